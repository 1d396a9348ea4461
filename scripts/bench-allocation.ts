/**
 * Times the allocation engine and the usage queries on 10,000 users × ~5 status segments.
 *
 *   npx tsx scripts/bench-allocation.ts                      # engine, then the database part
 *   npx tsx scripts/bench-allocation.ts --users 20000 --runs 7
 *   npx tsx scripts/bench-allocation.ts --no-db              # engine only
 *
 * The database part recreates BENCH_DATABASE_URL (default: cloudport_bench_alloc on the test
 * PostgreSQL from scripts/pg.sh), migrates it, seeds one provider with the users, and times
 * the usage table's page (SQL ranking of every user + engine on the page), a search, a user
 * page and the five-heaviest preview.
 *
 * Imports lib/allocation/* and lib/db/client directly: nothing here pulls in "server-only".
 */
import path from "node:path";
import { performance } from "node:perf_hooks";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

import { insertProvider, insertUsers, syntheticUsers } from "../lib/allocation/fixtures";
import { rankUsersByUsage } from "../lib/allocation/queries";
import { getUsagePage, getUserUsage, previewStrategyChange } from "../lib/allocation/service";
import type { Db } from "../lib/db/client";
import * as schema from "../lib/db/schema";
import { computeAllocation, usageSeries, type AllocationStrategy } from "../lib/domain/allocation";

const SEED: AllocationStrategy = {
  countingBehavior: "1 Month - Calendar Window",
  refreshBehaviors: ["First of the Month"],
  rulesBehaviors: ["Ignore non-active status", "Multiply by Size CPU"],
  threshold: 168,
};
const STRATEGIES: Array<[string, AllocationStrategy]> = [
  ["seed (calendar, 1st, ACTIVE only, × vCPU)", SEED],
  ["anniversary window + anniversary refresh", { ...SEED, countingBehavior: "1 Month - Calendar Window - Anniversary", refreshBehaviors: ["Anniversary Date"] }],
  ["all time + 1st of month, × vCPU × RAM", { ...SEED, countingBehavior: "Count all time", rulesBehaviors: ["Multiply by Size CPU", "Multiply by Size RAM"] }],
];

function parseArgs(argv: string[]) {
  const args = { users: 10_000, segments: 5, runs: 5, db: true };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--users") args.users = Number(argv[++i]);
    else if (argv[i] === "--segments") args.segments = Number(argv[++i]);
    else if (argv[i] === "--runs") args.runs = Number(argv[++i]);
    else if (argv[i] === "--no-db") args.db = false;
  }
  return args;
}

async function time<T>(runs: number, fn: () => Promise<T> | T): Promise<{ median: number; min: number; result: T }> {
  let result = await fn(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    result = await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(ms.length / 2)], min: ms[0], result };
}

const fmt = (ms: number) => `${ms.toFixed(1).padStart(8)} ms`;

async function benchEngine(users: number, segments: number, runs: number, now: Date) {
  const people = syntheticUsers(users, now, segments);
  const total = people.reduce((n, p) => n + p.instances.flat().length, 0);
  console.log(`engine: ${users.toLocaleString("en-US")} users, ${total.toLocaleString("en-US")} segments (median of ${runs})`);
  for (const [label, strategy] of STRATEGIES) {
    const { median, min, result } = await time(runs, () => {
      let sum = 0;
      for (const p of people) sum += computeAllocation({ strategy, joinedAt: p.joinedAt, segments: p.instances.flat(), now }).usage;
      return sum;
    });
    console.log(`  ${label.padEnd(46)} ${fmt(median)}  (min ${min.toFixed(1)} ms, Σ usage ${Math.round(result).toLocaleString("en-US")})`);
  }
  const { median } = await time(runs, () => {
    for (const p of people) usageSeries(SEED, p.instances.flat(), new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)), now);
  });
  console.log(`  ${"cumulative series for every user".padEnd(46)} ${fmt(median)}`);
}

async function benchDb(users: number, segments: number, runs: number, now: Date) {
  const url = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:54329/cloudport_bench_alloc";
  const dbName = url.slice(url.lastIndexOf("/") + 1);
  const admin = postgres(`${url.slice(0, url.lastIndexOf("/"))}/postgres`, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
  await admin.unsafe(`create database "${dbName}"`);
  await admin.end();
  const client = postgres(url, { max: 4, onnotice: () => {} });
  try {
    const db = drizzle(client, { schema }) as unknown as Db;
    await migrate(drizzle(client), { migrationsFolder: path.join(__dirname, "..", "drizzle") });
    let t = performance.now();
    const providerId = await insertProvider(db, "bench-cloud", SEED);
    const ids = await insertUsers(db, providerId, syntheticUsers(users, now, segments));
    await client`analyze`;
    console.log(`\ndatabase: seeded ${users.toLocaleString("en-US")} users × ${segments} segments in ${((performance.now() - t) / 1000).toFixed(1)} s (median of ${runs})`);

    for (const [label, strategy] of STRATEGIES) {
      const r = await time(runs, () => rankUsersByUsage(db, { providerId, strategy, now, limit: 25 }));
      console.log(`  SQL rank of every user, ${label.padEnd(42)} ${fmt(r.median)}`);
    }
    const page1 = await time(runs, () => getUsagePage(db, providerId, SEED, { now, page: 1, pageSize: 25 }));
    console.log(`  usage table page 1 (rank + count + engine on 25)${"".padEnd(23)} ${fmt(page1.median)}`);
    const page200 = await time(runs, () => getUsagePage(db, providerId, SEED, { now, page: 200, pageSize: 50 }));
    console.log(`  usage table page 200 of 50 rows${"".padEnd(39)} ${fmt(page200.median)}`);
    const byName = await time(runs, () => getUsagePage(db, providerId, SEED, { now, sort: "username", pageSize: 25 }));
    console.log(`  usage table sorted by username${"".padEnd(40)} ${fmt(byName.median)}`);
    const search = await time(runs, () => getUsagePage(db, providerId, SEED, { now, search: "bench012", pageSize: 25 }));
    console.log(`  usage table search "bench012" (${search.result.total} users)${"".padEnd(30)} ${fmt(search.median)}`);
    const user = await time(runs, () => getUserUsage(db, providerId, ids[1234], now));
    console.log(`  one user's page (engine + series)${"".padEnd(37)} ${fmt(user.median)}`);
    const preview = await time(runs, () => previewStrategyChange(db, providerId, STRATEGIES[2][1], now));
    console.log(`  preview of the five heaviest${"".padEnd(42)} ${fmt(preview.median)}`);
    t = performance.now();
    const all = await rankUsersByUsage(db, { providerId, strategy: SEED, now, limit: users });
    console.log(`  (every row fetched: ${all.length.toLocaleString("en-US")} in ${(performance.now() - t).toFixed(1)} ms)`);
  } finally {
    await client.end();
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const now = new Date();
  await benchEngine(args.users, args.segments, args.runs, now);
  if (args.db) await benchDb(args.users, args.segments, args.runs, now);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
