/**
 * Imports the cloud's images (OS_* env, or the lab's openrc) into a throw-away database and
 * prints the time, rows/s and resident memory sampled through the run, to show that the
 * streaming import keeps memory flat however many images there are.
 *
 *   npx tsx scripts/bench-import.ts --include-inactive            # the lab's ~2,000 queued bench-img-… too
 *   npx tsx scripts/bench-import.ts --include-inactive --page-size 100 --batch-size 500
 *   npx tsx scripts/bench-import.ts --synthetic 10000    # generated pages, no cloud: the write path alone
 *   node --expose-gc --import tsx scripts/bench-import.ts …  # adds the live heap after GC per page
 *
 * --include-inactive exists for this benchmark only: the lab has two active images, and its
 * 2,000 benchmark images are metadata-only records that never become active.
 * PostgreSQL: BENCH_DATABASE_URL's server (default the test server, 127.0.0.1:54329); the
 * database is created and dropped here.
 *
 * Imports lib/openstack/client directly: lib/openstack/index.ts pulls in "server-only".
 */
import path from "node:path";
import { performance } from "node:perf_hooks";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

import type { Db } from "../lib/db/client";
import * as schema from "../lib/db/schema";
import type { ImportClient } from "../lib/imports/client";
import { importMachines } from "../lib/imports/machines";
import { fakeCloud, image } from "../lib/imports/testing/fake-client";
import { createClient } from "../lib/openstack/client";
import { labOptions } from "../lib/openstack/testing/env";

interface Args {
  pageSize: number;
  batchSize: number;
  includeInactive: boolean;
  runs: number;
  /** Generate this many images instead of asking the cloud. */
  synthetic: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { pageSize: 100, batchSize: 500, includeInactive: false, runs: 2, synthetic: 0 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--include-inactive") args.includeInactive = true;
    else if (argv[i] === "--page-size") args.pageSize = Number(argv[++i]);
    else if (argv[i] === "--batch-size") args.batchSize = Number(argv[++i]);
    else if (argv[i] === "--runs") args.runs = Number(argv[++i]);
    else if (argv[i] === "--synthetic") args.synthetic = Number(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]} (use --include-inactive, --page-size N, --batch-size N, --runs N, --synthetic N)`);
  }
  if (!(args.pageSize > 0 && args.batchSize > 0 && args.runs > 0)) throw new Error("sizes and runs must be positive numbers");
  return args;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * Times the API calls the importer makes (wall time with at least one call in flight; member
 * calls overlap), so the report can tell cloud time from write time.
 */
function timed(client: ImportClient, clock: { apiMs: number }): ImportClient {
  let inFlight = 0;
  let since = 0;
  const time = async <T>(p: Promise<T>) => {
    if (inFlight++ === 0) since = performance.now();
    try {
      return await p;
    } finally {
      if (--inFlight === 0) clock.apiMs += performance.now() - since;
    }
  };
  return {
    ...client,
    image: {
      images: {
        async *pages(opts) {
          const it = client.image.images.pages(opts)[Symbol.asyncIterator]();
          for (;;) {
            const r = await time(it.next());
            if (r.done) return;
            yield r.value;
          }
        },
      },
      members: { list: (id) => time(client.image.members.list(id)) },
    },
  };
}

/** A cloud of `count` public images, generated a page at a time (nothing held in memory). */
function syntheticClient(count: number): ImportClient {
  const { client } = fakeCloud();
  return {
    ...client,
    image: {
      ...client.image,
      images: {
        async *pages(opts) {
          const size = opts?.limit ?? 100;
          for (let i = 0; i < count; i += size) {
            yield Array.from({ length: Math.min(size, count - i) }, (_, k) =>
              image({ id: `synthetic-${String(i + k).padStart(7, "0")}`, name: `synthetic-${i + k}`, tags: ["bench"] }),
            );
          }
        },
      },
    },
  };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const server = (process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:54329/postgres").replace(/\/[^/]*$/, "");
  const dbName = `cloudport_bench_import_${process.pid}`;
  const admin = postgres(`${server}/postgres`, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${dbName}"`);
  const sql = postgres(`${server}/${dbName}`, { max: 4, onnotice: () => {} });
  const os = await createClient(labOptions({ timeoutMs: 30_000 }));
  try {
    await migrate(drizzle(sql), { migrationsFolder: path.join(import.meta.dirname, "..", "drizzle") });
    const db = drizzle(sql, { schema }) as unknown as Db;
    const [provider] = await db.insert(schema.providers).values({ name: "bench", authUrl: labOptions().authUrl }).returning();
    console.log(
      `${args.synthetic ? `${args.synthetic} generated images` : `images of ${labOptions().authUrl}`}, page size ${args.pageSize}, batch ${args.batchSize}` +
        `${args.includeInactive ? ", inactive included (benchmark only)" : ""}`,
    );
    const source = args.synthetic ? syntheticClient(args.synthetic) : os;

    for (let run = 1; run <= args.runs; run++) {
      global.gc?.();
      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      const perPage: Array<{ rows: number; rss: number; heap: number }> = [];
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 20);
      const clock = { apiMs: 0 };
      const started = performance.now();
      const summary = await importMachines(
        db,
        timed(source, clock),
        provider.id,
        async (u) => {
          const rss = process.memoryUsage().rss;
          peak = Math.max(peak, rss);
          const counts = u.counts as { listed?: number } | undefined;
          // With --expose-gc, the live heap after a collection: what the import really holds.
          global.gc?.();
          if (counts?.listed) perPage.push({ rows: counts.listed, rss, heap: process.memoryUsage().heapUsed });
        },
        { pageSize: args.pageSize, batchSize: args.batchSize, includeInactive: args.includeInactive },
      );
      const seconds = (performance.now() - started) / 1000;
      clearInterval(sampler);
      const c = summary.counts;
      console.log(
        `run ${run}: ${c.listed} listed in ${c.pages} pages, ${c.imported} written ` +
          `(${c.added} added, ${c.updated} updated, ${c.unchanged} unchanged, ${c.endDated} end-dated) ` +
          `in ${seconds.toFixed(2)} s = ${Math.round(c.imported / seconds)} rows/s; ` +
          `waiting on the cloud ${(clock.apiMs / 1000).toFixed(2)} s, the rest (database, parsing) ` +
          `${(seconds - clock.apiMs / 1000).toFixed(2)} s = ${Math.round(c.imported / (seconds - clock.apiMs / 1000))} rows/s`,
      );
      const marks = [0.1, 0.25, 0.5, 0.75, 1].map((f) => perPage[Math.max(0, Math.ceil(perPage.length * f) - 1)]).filter(Boolean);
      console.log(
        `  rss: start ${mb(baseline)}, peak ${mb(peak)} (+${mb(peak - baseline)}); ` +
          `after ${marks.map((m) => `${m.rows} rows ${mb(m.rss)}`).join(", ")}`,
      );
      if (global.gc) console.log(`  live heap after GC: ${marks.map((m) => `${m.rows} rows ${mb(m.heap)}`).join(", ")}`);
    }
  } finally {
    await os.close();
    await sql.end();
    await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
    await admin.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
