/**
 * Times the accounting exports over 100,000 records (instances × status segments) and shows
 * that their memory stays flat.
 *
 *   npm run bench:accounting          (runs node with --expose-gc, so each export starts after a GC)
 *   npx tsx scripts/bench-accounting.ts --instances 20000 --segments 5 --keep
 *
 * Recreates BENCH_DATABASE_URL (default: cloudport_bench_accounting on the test PostgreSQL
 * from scripts/pg.sh), migrates it, seeds one provider (one project per instance owner, two
 * rules versions with a GPU multiplier and a mid-range rate change), then streams the APEL
 * message and the invoice CSV to nowhere, printing RSS after every 10,000 records, the peak
 * RSS, the time, and the usage page's time. The database is dropped afterwards unless --keep.
 *
 * Imports lib/accounting/* and lib/db/client directly: nothing here pulls in "server-only".
 */
import path from "node:path";
import { performance } from "node:perf_hooks";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

import { insertProvider } from "../lib/allocation/fixtures";
import { insertAccountingUsers, insertFlavors, syntheticAccounting } from "../lib/accounting/fixtures";
import { insertRuleVersion } from "../lib/accounting/queries";
import { apelExport, getUsagePage, invoiceCsvExport, jsonExport } from "../lib/accounting/service";
import type { Db } from "../lib/db/client";
import * as schema from "../lib/db/schema";
import { DEFAULT_RULES } from "../lib/domain/accounting";

function parseArgs(argv: string[]) {
  const args = { instances: 20_000, segments: 5, keep: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--instances") args.instances = Number(argv[++i]);
    else if (argv[i] === "--segments") args.segments = Number(argv[++i]);
    else if (argv[i] === "--keep") args.keep = true;
  }
  return args;
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

async function drain(label: string, gen: AsyncGenerator<string>, every: number, unit: string, progress: { n: number }) {
  global.gc?.();
  let peak = process.memoryUsage().rss;
  const start = process.memoryUsage().rss;
  let bytes = 0;
  let next = every;
  const t = performance.now();
  for await (const chunk of gen) {
    bytes += Buffer.byteLength(chunk);
    const rss = process.memoryUsage().rss;
    if (rss > peak) peak = rss;
    while (progress.n >= next) {
      console.log(`    ${label}: ${next.toLocaleString("en-US").padStart(7)} ${unit}, RSS ${mb(rss)}, heap ${mb(process.memoryUsage().heapUsed)}`);
      next += every;
    }
  }
  const ms = performance.now() - t;
  console.log(
    `  ${label}: ${progress.n.toLocaleString("en-US")} ${unit}, ${(bytes / 1024 / 1024).toFixed(1)} MB written in ${(ms / 1000).toFixed(2)} s` +
      ` (${Math.round(progress.n / (ms / 1000)).toLocaleString("en-US")} ${unit}/s); RSS at start ${mb(start)}, peak ${mb(peak)}`,
  );
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const url = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:54329/cloudport_bench_accounting";
  const dbName = url.slice(url.lastIndexOf("/") + 1);
  const admin = postgres(`${url.slice(0, url.lastIndexOf("/"))}/postgres`, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
  await admin.unsafe(`create database "${dbName}"`);
  const client = postgres(url, { max: 4, onnotice: () => {} });
  try {
    const db = drizzle(client, { schema }) as unknown as Db;
    await migrate(drizzle(client), { migrationsFolder: path.join(__dirname, "..", "drizzle") });
    const now = new Date();
    const range = { from: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 2, 1)), to: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)) };
    let t = performance.now();
    const providerId = await insertProvider(db, "bench-accounting");
    await insertFlavors(db, providerId);
    // Owners with two instances each: 100,000 records = 20,000 instances × 5 segments by default.
    // Seeded in slices, so the fixtures never sit in memory while the exports are measured.
    const owners = Math.ceil(args.instances / 2);
    for (let from = 0; from < owners; from += 2000) {
      const slice = syntheticAccounting(Math.min(2000, owners - from), now, { perUser: 2, segments: args.segments, days: 80, prefix: `bench${from}-`, seed: 7 + from });
      await insertAccountingUsers(db, providerId, slice);
    }
    const rulesFrom = new Date(range.from.getTime() - 86_400_000 * 30);
    await insertRuleVersion(db, providerId, { ...DEFAULT_RULES, effectiveFrom: rulesFrom, multipliers: [{ suType: "GPU", factor: 8, extraSpec: { key: "resources:VGPU" } }], rates: { CPU: 0.01, GPU: 0.4 }, currency: "EUR" }, null, null);
    await insertRuleVersion(db, providerId, { ...DEFAULT_RULES, effectiveFrom: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15)), multipliers: [{ suType: "GPU", factor: 8, extraSpec: { key: "resources:VGPU" } }], rates: { CPU: 0.012, GPU: 0.5 }, currency: "EUR" }, null, null);
    await client`analyze`;
    const [{ records }] = await client<{ records: number }[]>`select count(*)::int as records from instance_status_history`;
    const [{ vms }] = await client<{ vms: number }[]>`select count(*)::int as vms from instances`;
    console.log(
      `seeded ${records.toLocaleString("en-US")} records (${vms.toLocaleString("en-US")} instances × ${args.segments} segments, ${owners.toLocaleString("en-US")} projects) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    console.log(`range ${range.from.toISOString().slice(0, 10)} .. ${new Date(range.to.getTime() - 1).toISOString().slice(0, 10)}, Node ${process.version}\n`);

    const times: number[] = [];
    let total = 0;
    for (let i = 0; i < 5; i++) {
      t = performance.now();
      total = (await getUsagePage(db, providerId, { range, now, pageSize: 25 })).total;
      times.push(performance.now() - t);
    }
    const sorted = [...times.slice(1)].sort((a, b) => a - b);
    console.log(
      `usage page (25 of ${total.toLocaleString("en-US")} projects + chart): first ${times[0].toFixed(0)} ms, then median ${((sorted[1] + sorted[2]) / 2).toFixed(0)} ms of 4`,
    );
    t = performance.now();
    await getUsagePage(db, providerId, { range, now, pageSize: 25, search: "bench2000-000012" });
    console.log(`usage page, search "bench2000-000012": ${(performance.now() - t).toFixed(0)} ms\n`);

    const apel = { n: 0 };
    await drain("APEL", apelExport(db, { providerId, range, now, site: { siteName: "BENCH", cloudComputeService: "bench" }, onProgress: (n) => (apel.n = n) }), 10_000, "VM-month records", apel);
    const csv = { n: 0 };
    await drain("invoice CSV", invoiceCsvExport(db, { providerId, range, now, onProgress: (n) => (csv.n = n) }), 10_000, "lines", csv);
    const json = { n: 0 };
    await drain("JSON", jsonExport(db, { providerId, providerName: "bench-accounting", range, now, onProgress: (n) => (json.n = n) }), 2_000, "projects", json);
  } finally {
    await client.end();
    if (!args.keep) await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
    await admin.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
