/**
 * Times the staff user list (lib/db/queries/users.ts listUsers) on 10,000 seeded users, in a
 * throw-away database: page 1, a middle page, the last page, searches and a filter, the median
 * of several runs each. Runs on PostgreSQL (a temporary database on the test server) and on
 * the embedded PGlite (in memory), the two databases Cloudport runs on.
 *
 *   npx tsx scripts/bench-users.ts                       # 10,000 users, 25 runs, both databases
 *   npx tsx scripts/bench-users.ts --users 50000 --runs 11 --only postgres
 *
 * Each line gives the wall-clock time of listUsers (both statements, round trips included) and
 * the server-side execution time of its two statements (the page, then the count) from
 * EXPLAIN ANALYZE, which the machine's load disturbs much less.
 *
 * BENCH_PG_URL names the server (default postgres://postgres@127.0.0.1:54329/postgres; start
 * it with `bash scripts/pg.sh start`); the database is created and dropped again.
 * Imports lib/db/client and the query module directly (no "server-only" modules under tsx).
 */
import path from "node:path";
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import postgres from "postgres";

import type { Db } from "../lib/db/client";
import { listUsers, type UserListFilter } from "../lib/db/queries/users";
import * as schema from "../lib/db/schema";

interface Args {
  users: number;
  runs: number;
  only?: "postgres" | "pglite";
}

function parseArgs(argv: string[]): Args {
  const args: Args = { users: 10_000, runs: 25 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--users") args.users = Number(argv[++i]);
    else if (argv[i] === "--runs") args.runs = Number(argv[++i]);
    else if (argv[i] === "--only") args.only = argv[++i] as Args["only"];
    else throw new Error(`unknown argument ${argv[i]} (use --users N, --runs N, --only postgres|pglite)`);
  }
  if (!(args.users > 0 && args.runs > 0)) throw new Error("--users and --runs must be positive numbers");
  if (args.only && !["postgres", "pglite"].includes(args.only)) throw new Error("--only takes postgres or pglite");
  return args;
}

const MIGRATIONS = path.join(import.meta.dirname, "..", "drizzle");

/** users u00001…, every 10th staff, every 100th superuser, every 7th inactive; a third with a live account. */
async function seed(db: Db, n: number) {
  const t0 = performance.now();
  const [provider] = await db
    .insert(schema.providers)
    .values({ name: "bench-cloud", authUrl: "https://bench.example.org:5000/v3" })
    .returning();
  await db.execute(sql`
    insert into users (username, display_name, email, is_staff, is_superuser, is_active, joined_at, last_login)
    select 'u' || lpad(g::text, 5, '0'),
           (array['Ada','Grace','Alan','Edsger','Barbara'])[1 + g % 5] || ' ' || (array['Lovelace','Hopper','Turing','Dijkstra','Liskov','Smith'])[1 + g % 6],
           case when g % 4 = 0 then null else 'u' || g || '@inst' || (g % 3) || '.example' end,
           g % 10 = 0, g % 100 = 0, g % 7 <> 0,
           timestamptz '2024-01-01' + g * interval '1 hour',
           case when g % 2 = 0 then timestamptz '2026-01-01' + g * interval '1 minute' end
    from generate_series(1, ${n}::int) g`);
  await db.execute(sql`
    insert into identities (user_id, provider_id, project_name, end_date, state)
    select u.id, ${provider.id}::int, u.username, null::timestamptz, 'active'::identity_state from users u where u.id % 3 = 0
    union all
    select u.id, ${provider.id}::int, u.username || '-old', timestamptz '2025-01-01', 'removed'::identity_state from users u where u.id % 9 = 0`);
  await db.execute(sql`analyze users`);
  await db.execute(sql`analyze identities`);
  return performance.now() - t0;
}

function median(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

async function time(runs: number, work: () => Promise<unknown>) {
  for (let i = 0; i < 3; i++) await work(); // warm caches and plans
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await work();
    ms.push(performance.now() - t0);
  }
  return { median: median(ms), p95: pct(ms, 0.95) };
}

/** Runs EXPLAIN ANALYZE on one statement and returns the server's execution time in ms. */
type Explain = (query: string, params: unknown[]) => Promise<number>;

/** The statements listUsers sends for `filter`, captured through drizzle's logger. */
type Capture = (filter: UserListFilter) => Promise<Array<{ query: string; params: unknown[] }>>;

async function measure(label: string, db: Db, args: Args, capture: Capture, explain: Explain) {
  const seedMs = await seed(db, args.users);
  const pageSize = 25;
  const middle = Math.ceil(args.users / pageSize / 2);
  const last = Math.ceil(args.users / pageSize);
  const cases: Array<[string, UserListFilter]> = [
    ["page 1", { page: 1 }],
    [`middle page (${middle})`, { page: middle }],
    [`last page (${last})`, { page: last }],
    ['search "hopper" (display name, 1,667 hits)', { q: "hopper" }],
    ['search "u0999" (username, 10 hits)', { q: "u0999" }],
    ['search "@inst2" (email, page 20)', { q: "@inst2", page: 20 }],
    ['search "zzz" (no hits)', { q: "zzz" }],
    ["filter staff + inactive", { role: "staff", status: "inactive" }],
  ];
  console.log(`\n${label}: ${args.users.toLocaleString("en-US")} users seeded in ${seedMs.toFixed(0)} ms; ${args.runs} runs each, ${pageSize} per page`);
  console.log(
    `${"listUsers(…)".padEnd(46)} ${"median".padStart(9)} ${"p95".padStart(9)}  ${"server: page + count".padStart(22)}   rows / total`,
  );
  for (const [name, filter] of cases) {
    const r = await listUsers(db, { ...filter, pageSize });
    const t = await time(args.runs, () => listUsers(db, { ...filter, pageSize }));
    // Server-side execution time of each statement (EXPLAIN ANALYZE), median of the runs: the
    // round trips and the machine's load show in the wall-clock figures, not in these.
    const statements = await capture({ ...filter, pageSize });
    const server: number[][] = statements.map(() => []);
    for (let i = 0; i < args.runs; i++) {
      for (const [k, st] of statements.entries()) server[k].push(await explain(st.query, st.params));
    }
    const serverText = server.map((xs) => `${median(xs).toFixed(2)}`).join(" + ") + " ms";
    console.log(
      `${name.padEnd(46)} ${`${t.median.toFixed(2)} ms`.padStart(9)} ${`${t.p95.toFixed(2)} ms`.padStart(9)}  ${serverText.padStart(22)}   ${r.rows.length} / ${r.total}`,
    );
  }
  // The cheap-count question on its own: what COUNT(*) costs per keystroke.
  const count = await time(args.runs, () =>
    db.execute(sql`select count(*) from users where search_text like lower(${"%hopper%"})`),
  );
  // What the same search cost before users.search_text: three ILIKEs per row.
  const ilike = await time(args.runs, () =>
    db.execute(sql`select count(*) from users where username ilike ${"%hopper%"} or display_name ilike ${"%hopper%"} or email ilike ${"%hopper%"}`),
  );
  const countAll = await time(args.runs, () => db.execute(sql`select count(*) from users`));
  console.log(`${"  count(*) alone, search".padEnd(46)} ${`${count.median.toFixed(2)} ms`.padStart(9)} ${`${count.p95.toFixed(2)} ms`.padStart(9)}`);
  console.log(`${"  count(*) alone, search as 3 ILIKEs".padEnd(46)} ${`${ilike.median.toFixed(2)} ms`.padStart(9)} ${`${ilike.p95.toFixed(2)} ms`.padStart(9)}`);
  console.log(`${"  count(*) alone, no filter".padEnd(46)} ${`${countAll.median.toFixed(2)} ms`.padStart(9)} ${`${countAll.p95.toFixed(2)} ms`.padStart(9)}`);
}

async function onPostgres(args: Args) {
  const serverUrl = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:54329/postgres";
  const name = `cloudport_bench_users_${process.pid}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = serverUrl.replace(/\/[^/]*$/, `/${name}`);
  const client = postgres(url, { max: 4, onnotice: () => {} });
  try {
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const { migrate } = await import("drizzle-orm/postgres-js/migrator");
    const db = drizzle(client, { schema });
    await migrate(db, { migrationsFolder: MIGRATIONS });
    const [{ version }] = await client<{ version: string }[]>`select version()`;
    const explain: Explain = async (query, params) => {
      const [row] = await client.unsafe(`explain (analyze, format json) ${query}`, params as never[]);
      return (row["QUERY PLAN"] as Array<{ "Execution Time": number }>)[0]["Execution Time"];
    };
    const capture: Capture = async (filter) => {
      const seen: Array<{ query: string; params: unknown[] }> = [];
      const logged = drizzle(client, { schema, logger: { logQuery: (query, params) => seen.push({ query, params }) } });
      await listUsers(logged as unknown as Db, filter);
      return seen;
    };
    await measure(`PostgreSQL (${version.split(" on ")[0]})`, db as unknown as Db, args, capture, explain);
  } finally {
    await client.end();
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}

async function onPglite(args: Args) {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  const client = new PGlite(); // in memory: nothing to clean up
  try {
    const db = drizzle(client, { schema });
    await migrate(db, { migrationsFolder: MIGRATIONS });
    const explain: Explain = async (query, params) => {
      const { rows } = await client.query<{ "QUERY PLAN": Array<{ "Execution Time": number }> }>(
        `explain (analyze, format json) ${query}`,
        params as unknown[],
      );
      return rows[0]["QUERY PLAN"][0]["Execution Time"];
    };
    const capture: Capture = async (filter) => {
      const seen: Array<{ query: string; params: unknown[] }> = [];
      const logged = drizzle(client, { schema, logger: { logQuery: (query, params) => seen.push({ query, params }) } });
      await listUsers(logged as unknown as Db, filter);
      return seen;
    };
    await measure("PGlite (embedded, in memory)", db as unknown as Db, args, capture, explain);
  } finally {
    await client.close();
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.only !== "pglite") await onPostgres(args);
  if (args.only !== "postgres") await onPglite(args);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
