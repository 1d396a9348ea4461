/**
 * Page times at 10,000 rows (issue 16): against a production build (`next build` + `next start`)
 * on PostgreSQL, seeds 10,000 users with an account each, 10,000 images, 10,000 instances with
 * status history, 1,000 flavors and 50,000 audit rows; signs in through the login form in
 * Chromium; then requests every console page 20 times and prints p50/p95 of the response time
 * (loopback, so this is the server's time to render and send) and the HTML size.
 * Goal: every page ≤ 150 ms p95 and ≤ 150 KB of HTML.
 *
 *   npm run build && npm run bench:pages
 *   npm run bench:pages -- --runs 50 --port 3199 --rows 10000
 *   npm run bench:pages -- --only launch --dump /tmp/pages   # pages whose path has "launch"; their HTML saved
 *   npm run bench:pages -- --keep                           # leave the seeded database for EXPLAIN
 *   npm run bench:pages -- --providers 10 --only /providers # ten such providers (the pages of the first are timed)
 *   npm run bench:js        # instead: compressed JS per route, each page loaded in Chromium with
 *                           # an empty cache (goal ≤ 170 KB; a bare page of this stack is ~144 KB)
 *
 * PostgreSQL: the database named in BENCH_DATABASE_URL (default cloudport_bench_pages on the test
 * server, 127.0.0.1:54329), recreated here and dropped afterwards. Nothing talks to a cloud: the provider's auth URL is
 * a closed port, and the app runs with CLOUDPORT_WORKER=0.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { chromium, type BrowserContext } from "playwright-core";

const ADMIN = { username: "bench-admin", password: "Bench-Pages-Password-1" };

function parseArgs(argv: string[]) {
  const args = { runs: 20, port: 3199, rows: 10_000, audit: 50_000, providers: 1, js: false, dump: "", only: "", keep: false };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i];
    if (key === "--js" || key === "--keep") {
      args[key === "--js" ? "js" : "keep"] = true;
      continue;
    }
    if (key === "--dump" || key === "--only") {
      const value = argv[++i];
      if (!value) throw new Error(`${key} needs a value`);
      args[key === "--dump" ? "dump" : "only"] = value;
      continue;
    }
    const n = Number(argv[++i]);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${key} needs a positive whole number`);
    if (key === "--runs") args.runs = n;
    else if (key === "--port") args.port = n;
    else if (key === "--rows") args.rows = n;
    else if (key === "--audit") args.audit = n;
    else if (key === "--providers") args.providers = n;
    else throw new Error(`unknown argument ${key} (use --runs N, --port N, --rows N, --audit N, --providers N, --js, --keep, --dump DIR, --only TEXT)`);
  }
  return args;
}

/** Everything in SQL with generate_series: seconds, not minutes, for 100,000 rows. */
async function seed(sql: postgres.Sql, rows: number, auditRows: number, providers: number): Promise<number> {
  await sql`
    insert into users (username, email, display_name, joined_at)
    select 'bench-user-' || lpad(i::text, 5, '0'), 'bench' || i || '@example.org', 'Bench User ' || i, now() - (i % 400) * interval '1 day'
    from generate_series(1, ${rows}) i`;
  const ids: number[] = [];
  for (let k = 0; k < providers; k++) ids.push(await seedProvider(sql, k === 0 ? "bench" : `bench-${k + 1}`, rows));
  await sql`
    insert into audit_log (actor_username, action, target_type, target_id, details, ip, at)
    select 'bench-user-' || lpad((1 + i % ${rows})::text, 5, '0'),
           (array['provider.update','account.provision','import.run','user.set_role','launch.start'])[1 + i % 5],
           'provider', ${String(ids[0])}, jsonb_build_object('n', i), '127.0.0.1', now() - i * interval '1 minute'
    from generate_series(1, ${auditRows}) i`;
  await sql`analyze`;
  return ids[0];
}

/** One provider with an account for every user, `rows` images and instances, 1,000 flavors. */
async function seedProvider(sql: postgres.Sql, name: string, rows: number): Promise<number> {
  const [{ id: providerId }] = await sql`
    insert into providers (name, auth_url, admin_username, admin_project_name, network_name, public_routers, cloud_config, last_preflight_at)
    values (${name}, 'http://127.0.0.1:9/v3', 'admin', 'admin', 'public', '{router1}',
            '{"deploy":{"hostname_format":"vm%(four)s.bench.example.org"},"network":{"topology":"External Router Topology"}}', now())
    returning id`;
  await sql`insert into allocation_strategies (provider_id, rules_behaviors, refresh_behaviors)
            values (${providerId}, '{"Ignore non-active status","Multiply by Size CPU"}', '{"First of the Month"}')`;
  await sql`
    insert into identities (user_id, provider_id, project_name, project_id, openstack_user_id, state)
    select u.id, ${providerId}, u.username, 'proj-' || u.id, 'user-' || u.id,
           (case when u.id % 50 = 0 then 'failed' else 'active' end)::identity_state
    from users u where u.username like 'bench-user-%'`;
  await sql`
    insert into sizes (provider_id, flavor_id, name, vcpus, ram_mb, disk_gb)
    select ${providerId}, 'flv-' || i, 'bench.f' || lpad(i::text, 4, '0'), 1 + i % 16, 512 * (1 + i % 32), 10 + i % 100
    from generate_series(1, 1000) i`;
  await sql`
    insert into machines (provider_id, image_id, name, visibility, size_bytes, disk_format, container_format)
    select ${providerId}, 'img-' || i, 'bench-image-' || lpad(i::text, 5, '0'), (case when i % 5 = 0 then 'shared' else 'public' end), 21430272 + i, 'qcow2', 'bare'
    from generate_series(1, ${rows}) i`;
  await sql`
    insert into instances (provider_id, identity_id, server_id, name, project_id, status, flavor_id, flavor_name, image_id, addresses, server_created_at, launched_at)
    select ${providerId}, i.id, 'srv-' || i.id, 'bench-server-' || i.id, i.project_id, 'ACTIVE', 'flv-' || (1 + i.id % 1000), 'bench.f' || lpad((1 + i.id % 1000)::text, 4, '0'),
           'img-' || (1 + i.id % ${rows}),
           jsonb_build_object('fixed', jsonb_build_array('172.16.' || (i.id / 250) % 250 || '.' || (1 + i.id % 250)), 'floating', '[]'::jsonb, 'networks', '{}'::jsonb),
           now() - interval '40 days', now() - interval '40 days'
    from identities i where i.provider_id = ${providerId}`;
  // Three segments each: ACTIVE, SHUTOFF, then ACTIVE up to now.
  await sql`
    insert into instance_status_history (instance_id, status, vcpus, ram_mb, disk_gb, flavor_id, start_date, end_date)
    select n.id, s.status, 1 + n.id % 16, 2048, 20, n.flavor_id, now() - s.from_days * interval '1 day', case when s.to_days is null then null else now() - s.to_days * interval '1 day' end
    from instances n cross join (values ('ACTIVE', 40, 20), ('SHUTOFF', 20, 10), ('ACTIVE', 10, null)) as s(status, from_days, to_days)
    where n.provider_id = ${providerId}`;
  return providerId;
}

async function waitForHealth(base: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("the app did not answer /api/health within 2 minutes");
}

const launchChromium = () =>
  chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });

type Cookies = Awaited<ReturnType<BrowserContext["cookies"]>>;

/** Signs in as a person would and returns the session cookies. */
async function signIn(base: string): Promise<Cookies> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`${base}/login`);
    await page.getByLabel("Username").fill(ADMIN.username);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/login"), { timeout: 30_000 });
    return await page.context().cookies();
  } finally {
    await browser.close();
  }
}

/** Compressed bytes of JavaScript each page loads with an empty cache (a new browser context per page). */
async function measureJs(base: string, cookies: Cookies, pages: string[]): Promise<void> {
  const browser = await launchChromium();
  console.log(`\n${"page".padEnd(44)} ${"scripts".padStart(8)} ${"JS KB (compressed)".padStart(20)}`);
  const over: string[] = [];
  try {
    for (const path of pages) {
      const context = await browser.newContext();
      await context.addCookies(cookies);
      const page = await context.newPage();
      const scripts: Array<Promise<number>> = [];
      page.on("requestfinished", (request) => {
        if (request.resourceType() === "script") scripts.push(request.sizes().then((s) => s.responseBodySize));
      });
      await page.goto(`${base}${path}`, { waitUntil: "networkidle" });
      const bytes = (await Promise.all(scripts)).reduce((a, b) => a + b, 0);
      const landed = new URL(page.url()).pathname;
      await context.close();
      const kb = bytes / 1024;
      if (kb > 170) over.push(path);
      console.log(`${path.padEnd(44)} ${String(scripts.length).padStart(8)} ${kb.toFixed(1).padStart(20)}${landed !== path ? `  (landed on ${landed})` : ""}`);
    }
  } finally {
    await browser.close();
  }
  console.log(over.length ? `\nover 170 KB of compressed JS: ${over.join(", ")}` : "\nevery route within 170 KB of compressed JS");
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)];

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const root = path.join(import.meta.dirname, "..");
  const dist = process.env.NEXT_DIST_DIR ?? ".next";
  if (!fs.existsSync(path.join(root, dist, "BUILD_ID"))) throw new Error(`No production build in ${dist}: run npm run build first.`);

  // The database named in BENCH_DATABASE_URL (default cloudport_bench_pages) is recreated, so
  // engineers sharing one PostgreSQL can each bench in their own.
  const benchUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:54329/cloudport_bench_pages";
  const server = benchUrl.replace(/\/[^/]*$/, "");
  // Never the maintenance database (an older convention passed …/postgres for the server only).
  const named = benchUrl.slice(benchUrl.lastIndexOf("/") + 1);
  const DB_NAME = named && named !== "postgres" ? named : "cloudport_bench_pages";
  const admin = postgres(`${server}/postgres`, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${DB_NAME}" with (force)`);
  await admin.unsafe(`create database "${DB_NAME}"`);
  const url = `${server}/${DB_NAME}`;
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  let child: ChildProcess | undefined;
  try {
    await migrate(drizzle(sql), { migrationsFolder: path.join(root, "drizzle") });
    const t = performance.now();
    const providerId = await seed(sql, args.rows, args.audit, args.providers);
    const [{ userId }] = await sql`select min(id)::int as "userId" from users`;
    console.log(`seeded ${args.providers > 1 ? `${args.providers} providers, each with ` : ""}${args.rows} users with an account each, ${args.rows} images, ${args.rows} instances × 3 segments, 1000 flavors, ${args.audit} audit rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const base = `http://127.0.0.1:${args.port}`;
    const dataDir = path.join(root, ".data", `bench-pages-${args.port}`);
    fs.rmSync(dataDir, { recursive: true, force: true });
    child = spawn("npx", ["next", "start", "-H", "127.0.0.1", "-p", String(args.port)], {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: "production",
        DATABASE_URL: url,
        AUTH_SECRET: "bench-pages-auth-secret-0123456789abcdef",
        CLOUDPORT_SECRET_KEY: Buffer.alloc(32, 5).toString("base64"),
        CLOUDPORT_ADMIN_USERNAME: ADMIN.username,
        CLOUDPORT_ADMIN_PASSWORD: ADMIN.password,
        CLOUDPORT_DATA_DIR: dataDir,
        CLOUDPORT_WORKER: "0",
      },
      stdio: ["ignore", "ignore", "inherit"],
      detached: true,
    });
    await waitForHealth(base, child);
    const cookies = await signIn(base);
    const cookie = cookies.map((c) => `${c.name}=${c.value}`).join("; ");

    const p = `/providers/${providerId}`;
    const pages = [
      "/",
      "/providers",
      p,
      `${p}/accounts`,
      `${p}/accounts?q=bench-user-09`,
      `${p}/imports`,
      `${p}/allocation`,
      `${p}/allocation?q=bench-user-05`,
      `${p}/allocation/users/${userId}`,
      `${p}/inventory`,
      `${p}/launch-test`,
      "/users",
      "/users?q=bench-user-07",
      "/users?page=200",
      `/users/${userId}`,
      "/allocation",
      "/imports",
      "/launch-test",
      "/audit",
      "/audit?page=1000",
      "/account",
    ];
    if (args.js) {
      await measureJs(base, cookies, ["/login", ...pages.filter((p) => !p.includes("?"))]);
      return;
    }
    console.log(`\n${"page".padEnd(44)} ${"status".padStart(6)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)} ${"HTML KB".padStart(8)}`);
    const over: string[] = [];
    for (const page of pages.filter((x) => x.includes(args.only))) {
      const times: number[] = [];
      let bytes = 0;
      let status = 0;
      for (let i = 0; i < args.runs + 2; i++) {
        const start = performance.now();
        const res = await fetch(`${base}${page}`, { headers: { cookie, "accept-encoding": "identity" }, redirect: "manual" });
        const body = await res.arrayBuffer();
        const ms = performance.now() - start;
        status = res.status;
        bytes = body.byteLength;
        if (args.dump && i === 0) {
          fs.mkdirSync(args.dump, { recursive: true });
          fs.writeFileSync(path.join(args.dump, `${page.replace(/[^a-z0-9]+/gi, "_") || "_"}.html`), Buffer.from(body));
        }
        if (i >= 2) times.push(ms); // two warm-ups
      }
      times.sort((a, b) => a - b);
      const [p50, p95, kb] = [pct(times, 0.5), pct(times, 0.95), bytes / 1024];
      if (p95 > 150 || kb > 150 || status !== 200) over.push(page);
      console.log(`${page.padEnd(44)} ${String(status).padStart(6)} ${p50.toFixed(1).padStart(8)} ${p95.toFixed(1).padStart(8)} ${kb.toFixed(1).padStart(8)}`);
    }
    console.log(over.length ? `\nover 150 ms p95, over 150 KB or not 200: ${over.join(", ")}` : "\nevery page within 150 ms p95 and 150 KB of HTML");
  } finally {
    if (child?.pid) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
    await sql.end();
    if (args.keep) console.log(`kept the database: ${url}`);
    else await admin.unsafe(`drop database if exists "${DB_NAME}" with (force)`);
    await admin.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
