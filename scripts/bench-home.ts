/**
 * Times the console home's data loading (lib/home/queries.ts) with 10 providers × 10,000 rows
 * behind each: users with accounts, instances and ~5 status segments each, audit events, import
 * jobs and 30 days of capacity snapshots every 15 minutes.
 *
 *   npm run bench:home                                   # 10 × 10,000, 60 timed loads
 *   npm run bench:home -- --providers 10 --rows 10000 --runs 100
 *   npm run bench:home -- --url http://127.0.0.1:3106 --cookie 'authjs.session-token=…'
 *                                                        # also GET / over HTTP (a production server on this database)
 *   npm run bench:home -- --keep                         # leave the database for a server to use
 *   npm run bench:home -- --no-seed --url … --cookie …   # time a kept database again (server running on it)
 *
 * BENCH_DATABASE_URL (default cloudport_bench_home on the test PostgreSQL from scripts/pg.sh) is
 * dropped and recreated: never point it at a database you care about.
 */
import path from "node:path";
import { performance } from "node:perf_hooks";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

import { insertProvider, insertUsers, syntheticUsers } from "../lib/allocation/fixtures";
import { allocationWatch } from "../lib/capacity/allocation-watch";
import { insertSnapshot } from "../lib/capacity/queries";
import type { Db } from "../lib/db/client";
import * as schema from "../lib/db/schema";
import { classTotals, type HostCapacity } from "../lib/domain/capacity";
import { loadHome } from "../lib/home/queries";

const STRATEGY = {
  countingBehavior: "1 Month - Calendar Window",
  refreshBehaviors: ["First of the Month"],
  rulesBehaviors: ["Ignore non-active status", "Multiply by Size CPU"],
  threshold: 168,
};

function parseArgs(argv: string[]) {
  const args = { providers: 10, rows: 10_000, runs: 60, url: "", cookie: "", keep: false, seed: true };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--providers") args.providers = Number(argv[++i]);
    else if (argv[i] === "--rows") args.rows = Number(argv[++i]);
    else if (argv[i] === "--runs") args.runs = Number(argv[++i]);
    else if (argv[i] === "--url") args.url = argv[++i];
    else if (argv[i] === "--cookie") args.cookie = argv[++i];
    else if (argv[i] === "--keep") args.keep = true;
    else if (argv[i] === "--no-seed") {
      args.seed = false;
      args.keep = true;
    }
  }
  return args;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function timeRuns(runs: number, fn: () => Promise<unknown>) {
  for (let i = 0; i < 3; i++) await fn(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { p50: pct(ms, 50), p95: pct(ms, 95), max: ms.at(-1)! };
}

const fmt = (r: { p50: number; p95: number; max: number }) => `p50 ${r.p50.toFixed(1)} ms   p95 ${r.p95.toFixed(1)} ms   max ${r.max.toFixed(1)} ms`;

function hostsOf(i: number, used: number): HostCapacity[] {
  return Array.from({ length: 4 }, (_, h) => ({
    uuid: `00000000-0000-0000-0000-${String(i * 100 + h).padStart(12, "0")}`,
    name: `p${i}-compute-${h}`,
    inventories: {
      VCPU: { total: 64, reserved: 0, minUnit: 1, maxUnit: 64, stepSize: 1, allocationRatio: 4 },
      MEMORY_MB: { total: 262144, reserved: 4096, minUnit: 1, maxUnit: 262144, stepSize: 1, allocationRatio: 1.5 },
      DISK_GB: { total: 4000, reserved: 0, minUnit: 1, maxUnit: 4000, stepSize: 1, allocationRatio: 1 },
    },
    usages: { VCPU: Math.round(used * 200), MEMORY_MB: Math.round(used * 300_000), DISK_GB: Math.round(used * 3000) },
    aggregates: [],
    traits: ["COMPUTE_NODE"],
  }));
}

async function seed(db: Db, sql: postgres.Sql, providers: number, rows: number, now: Date) {
  const ids: number[] = [];
  for (let i = 0; i < providers; i++) {
    const t = performance.now();
    const id = await insertProvider(db, `bench-cloud-${i}`, STRATEGY);
    ids.push(id);
    await insertUsers(db, id, syntheticUsers(rows, now, 5, 42 + i, `p${i}u`));
    // Some accounts failed or are still provisioning.
    await sql`update identities set state = 'failed' where provider_id = ${id} and id % 50 = 0`;
    await sql`update identities set state = 'provisioning' where provider_id = ${id} and id % 97 = 0`;
    await sql`
      update providers set last_preflight_at = now() - interval '2 hours',
        last_preflight = ${JSON.stringify({ at: now.toISOString(), ok: i % 3 !== 0, checks: [{ id: "token", label: "Token issued", status: "pass", detail: "" }, ...(i % 3 === 0 ? [{ id: "catalog-placement", label: "Catalog has placement", status: "fail", detail: "" }] : [])], catalog: [] })}::jsonb
      where id = ${id}`;
    // rows audit events, and a year of import runs every 15 minutes spread over the kinds.
    await sql`
      insert into audit_log (actor_username, action, target_type, target_id, details, at)
      select 'admin', (array['import.run', 'account.provision', 'provider.update', 'auth.login'])[1 + g % 4], 'provider', ${String(id)}, '{}'::jsonb,
        now() - make_interval(secs => g * 37)
      from generate_series(1, ${rows}) g`;
    await sql`
      insert into jobs (kind, provider_id, state, params, result, created_at, finished_at)
      select (array['import.sizes', 'import.machines', 'import.instances'])[1 + g % 3], ${id},
        (case when g % 20 = 0 then 'failed' else 'succeeded' end)::job_state, '{"trigger":"schedule"}'::jsonb,
        jsonb_build_object('counts', jsonb_build_object('added', g % 5, 'updated', g % 7, 'endDated', g % 3)),
        now() - make_interval(secs => g * 900), now() - make_interval(secs => g * 900 - 30)
      from generate_series(1, ${rows}) g`;
    await sql`
      insert into jobs (kind, provider_id, state, created_at) select 'capacity.snapshot', ${id}, 'queued', now() from generate_series(1, 2)`;
    // 30 days of snapshots every 15 minutes (2,880), growing slowly, with the allocation watch on the last.
    const total = classTotals(hostsOf(i, 0.5));
    await sql`
      insert into capacity_snapshots (provider_id, taken_at, hosts, totals)
      select ${id}, now() - make_interval(secs => g * 900), '[]'::jsonb, ${JSON.stringify(total)}::jsonb
      from generate_series(1, 2880) g`;
    // Fresh statistics, as autovacuum keeps them in production (stale ones turn the ranking into nested loops).
    await sql`analyze`;
    const tw = performance.now();
    const allocation = await allocationWatch(db, id, now);
    const watchMs = performance.now() - tw;
    const hosts = hostsOf(i, 0.6);
    await insertSnapshot(db, id, { hosts, totals: classTotals(hosts), quota: null, allocation, error: null }, { takenAt: now });
    console.log(
      `  provider ${i + 1}/${providers}: seeded in ${((performance.now() - t) / 1000).toFixed(1)} s; allocation watch (snapshot job) ${watchMs.toFixed(0)} ms: ${allocation?.over80} over 80 %, ${allocation?.over100} over 100 %`,
    );
  }
  // As autovacuum leaves a settled database: statistics and the visibility map (index-only counts).
  await sql`vacuum analyze`;
  return ids;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const url = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:54329/cloudport_bench_home";
  const dbName = url.slice(url.lastIndexOf("/") + 1);
  if (args.seed) {
    const admin = postgres(`${url.slice(0, url.lastIndexOf("/"))}/postgres`, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
    await admin.unsafe(`create database "${dbName}"`);
    await admin.end();
  }
  const sql = postgres(url, { max: 10, onnotice: () => {} });
  try {
    const db = drizzle(sql, { schema }) as unknown as Db;
    await migrate(drizzle(sql), { migrationsFolder: path.join(__dirname, "..", "drizzle") });
    const now = new Date();
    if (args.seed) await seedAll(db, sql, args, now);
    await report(db, args, dbName);
  } finally {
    await sql.end();
    if (!args.keep) {
      const again = postgres(`${url.slice(0, url.lastIndexOf("/"))}/postgres`, { max: 1, onnotice: () => {} });
      await again.unsafe(`drop database if exists "${dbName}" with (force)`);
      await again.end();
    }
  }
}

async function seedAll(db: Db, sql: postgres.Sql, args: ReturnType<typeof parseArgs>, now: Date) {
  {
    console.log(`seeding ${args.providers} providers × ${args.rows.toLocaleString("en-US")} users/accounts/instances (×5 history segments), audit events and import jobs…`);
    const t = performance.now();
    await seed(db, sql, args.providers, args.rows, now);
    const [counts] = await sql<Array<Record<string, number>>>`
      select (select count(*) from users)::int as users, (select count(*) from identities)::int as identities,
        (select count(*) from instances)::int as instances, (select count(*) from instance_status_history)::int as history,
        (select count(*) from audit_log)::int as audit, (select count(*) from jobs)::int as jobs,
        (select count(*) from capacity_snapshots)::int as snapshots`;
    console.log(`seeded in ${((performance.now() - t) / 1000).toFixed(0)} s: ${Object.entries(counts).map(([k, v]) => `${v.toLocaleString("en-US")} ${k}`).join(", ")}`);
  }
}

async function report(db: Db, args: ReturnType<typeof parseArgs>, dbName: string) {
  {
    const home = await loadHome(db);
    if (home.providers.length !== args.providers || home.providers.some((p) => !p.capacity || p.imports.length !== 3)) {
      throw new Error("The home did not load every provider with its capacity and imports.");
    }
    console.log(`\nhome data loading (lib/home/queries.ts loadHome, ${args.runs} runs after 3 warm-ups):`);
    console.log(`  ${fmt(await timeRuns(args.runs, () => loadHome(db)))}`);

    if (args.url) {
      const get = async () => {
        const res = await fetch(`${args.url}/`, { headers: args.cookie ? { cookie: args.cookie } : {}, redirect: "manual" });
        const body = await res.text();
        if (res.status !== 200 || !body.includes("bench-cloud-0")) throw new Error(`GET / answered ${res.status}; is the server on ${dbName} and the cookie valid?`);
      };
      console.log(`\nrendered page over HTTP (GET ${args.url}/, ${args.runs} runs):`);
      console.log(`  ${fmt(await timeRuns(args.runs, get))}`);
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
