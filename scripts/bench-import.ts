/**
 * The import benchmark of issues 6 and 16. Seeds the cloud (OS_* env, or the lab's openrc) with
 * 10,000 images (2,000 of them shared with a member project), 1,000 flavors, 500 servers and
 * 200 volumes unless they exist, then prints:
 *   - the time to page the raw images, flavors and servers (all projects) with the client alone,
 *     after a warm-up pass, and again after every import run,
 *   - the full import (sizes, machines, instances) into a throw-away database,
 *   - the same import again with nothing changed (--runs N: N - 1 times; default 3 runs),
 *   - the peak resident memory of the process while importing,
 *   - both import times as a ratio to the raw paging time, overall and for the image rows alone
 *     (issue 16's goal: nothing changed ≤ 1.15×, full ≤ 1.3×) — each run against the mean of the
 *     raw paging just before and just after it, the median over the nothing-changed runs —
 *     with the member step (the member
 *     lists of new shared images) timed on its own, and one members refresh of every shared image.
 *
 *   npm run bench:import                                   # seed if needed, then measure
 *   npm run bench:import -- --images 2000 --shared 500 --flavors 100 --servers 50 --volumes 50 --runs 3
 *   npm run bench:import -- --page-size 100 --batch-size 500
 *   npm run bench:import -- --server-wait 0                # measure while seeded servers still build
 *   npm run bench:import -- --no-seed                      # measure what the cloud holds
 *   npm run bench:import -- --cleanup                      # delete what the seeding created
 *   npm run bench:import -- --synthetic 10000              # generated images, no cloud: the write path alone
 *   node --expose-gc --import tsx scripts/bench-import.ts …  # adds the live heap after GC per image page
 *
 * Seeded: metadata-only images bench-imp-NNNNN (Glance keeps them queued), private flavors
 * bench-flv-NNNNN, and servers bench-srv-… booted on Nova's fake driver without networks;
 * see scripts/bench-import-seed.ts. The seeded images never become active, so the images are
 * imported with includeInactive (benchmark only): --active-only imports as the job does, which
 * skips them. The lab's bench-img-… images of bench:client are listed and imported too.
 * Pages are the APIs' defaults unless --page-size is given, as in the import job.
 *
 * PostgreSQL: the database cloudport_bench_import on BENCH_DATABASE_URL's server (default the
 * test server, 127.0.0.1:54329), created and dropped here.
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
import { importInstances } from "../lib/imports/instances";
import { importMachines, importMembers } from "../lib/imports/machines";
import type { ImportSummary } from "../lib/imports/resources";
import { DEFAULT_BATCH_SIZE, type ImportProgress } from "../lib/imports/run";
import { importSizes } from "../lib/imports/sizes";
import { importVolumes } from "../lib/imports/volumes";
import { fakeCloud, image } from "../lib/imports/testing/fake-client";
import { createClient } from "../lib/openstack/client";
import { labOptions } from "../lib/openstack/testing/env";
import { cleanup, seed } from "./bench-import-seed";

const DB_NAME = "cloudport_bench_import";

interface Args {
  /** Page size asked of the APIs; undefined: their default, as the import job. */
  pageSize: number | undefined;
  batchSize: number;
  includeInactive: boolean;
  /** Import runs: the first is the full import, the others change nothing. */
  runs: number;
  images: number;
  flavors: number;
  servers: number;
  shared: number;
  volumes: number;
  /** Seconds to wait for seeded servers to leave BUILD. */
  serverWait: number;
  seed: boolean;
  cleanup: boolean;
  /** Generate this many images instead of asking the cloud. */
  synthetic: number;
}

const USAGE =
  "use --images N, --shared N, --flavors N, --servers N, --volumes N, --server-wait SECONDS, --no-seed, --cleanup, --page-size N, --batch-size N, --runs N, --active-only, --synthetic N";

function parseArgs(argv: string[]): Args {
  const args: Args = {
    pageSize: undefined,
    batchSize: DEFAULT_BATCH_SIZE,
    includeInactive: true,
    runs: 3,
    images: 10_000,
    flavors: 1_000,
    servers: 500,
    shared: 2000,
    volumes: 200,
    serverWait: 3600,
    seed: true,
    cleanup: false,
    synthetic: 0,
  };
  const num = (i: number) => {
    const n = Number(argv[i]);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${argv[i - 1]} needs a whole number, got ${argv[i]}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--include-inactive") args.includeInactive = true; // the default; kept for old command lines
    else if (a === "--active-only") args.includeInactive = false;
    else if (a === "--page-size") args.pageSize = num(++i);
    else if (a === "--batch-size") args.batchSize = num(++i);
    else if (a === "--runs") args.runs = num(++i);
    else if (a === "--images") args.images = num(++i);
    else if (a === "--flavors") args.flavors = num(++i);
    else if (a === "--servers") args.servers = num(++i);
    else if (a === "--shared") args.shared = num(++i);
    else if (a === "--volumes") args.volumes = num(++i);
    else if (a === "--server-wait") args.serverWait = num(++i);
    else if (a === "--no-seed") args.seed = false;
    else if (a === "--cleanup") args.cleanup = true;
    else if (a === "--synthetic") args.synthetic = num(++i);
    else throw new Error(`unknown argument ${a} (${USAGE})`);
  }
  if (args.pageSize === 0 || args.batchSize === 0 || args.runs === 0) throw new Error("page size, batch size and runs must be positive");
  return args;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/**
 * Times the API calls the importers make (wall time with at least one call in flight; member
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
  async function* pages<T>(source: AsyncIterable<T>) {
    const it = source[Symbol.asyncIterator]();
    for (;;) {
      const r = await time(it.next());
      if (r.done) return;
      yield r.value;
    }
  }
  return {
    compute: {
      flavors: {
        pages: (opts) => pages(client.compute.flavors.pages(opts)),
        extraSpecs: (id) => time(client.compute.flavors.extraSpecs(id)),
      },
      servers: { pages: (opts) => pages(client.compute.servers.pages(opts)) },
    },
    image: {
      images: { pages: (opts) => pages(client.image.images.pages(opts)) },
      members: { list: (id) => time(client.image.members.list(id)) },
    },
    blockStorage: { volumes: { pages: (opts) => pages(client.blockStorage.volumes.pages(opts)) } },
    hasService: (type) => client.hasService(type),
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
          const size = opts?.limit ?? 1000;
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

type Resource = "sizes" | "machines" | "instances" | "volumes";
const NOUN: Record<Resource, string> = { sizes: "flavors", machines: "images", instances: "servers", volumes: "volumes" };

/** Resident memory, sampled every 20 ms while `peak` is read. */
class RssSampler {
  peak = 0;
  readonly #timer: NodeJS.Timeout;
  constructor() {
    this.sample();
    this.#timer = setInterval(() => this.sample(), 20);
  }
  sample(): number {
    const rss = process.memoryUsage().rss;
    this.peak = Math.max(this.peak, rss);
    return rss;
  }
  reset(): void {
    this.peak = 0;
    this.sample();
  }
  stop(): void {
    clearInterval(this.#timer);
  }
}

type RawPaging = Array<{ resource: Resource; rows: number; pages: number; ms: number }>;
const totalMs = (raw: RawPaging) => raw.reduce((t, r) => t + r.ms, 0);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Pages what the importers read, with the client alone: no member calls, no parsing beyond the client's, no database. */
async function pageRaw(source: ImportClient, resources: Resource[], args: Args): Promise<RawPaging> {
  const out: RawPaging = [];
  for (const resource of resources) {
    const started = performance.now();
    const it: AsyncIterable<unknown[]> =
      resource === "machines"
        ? source.image.images.pages({ visibility: "all", status: args.includeInactive ? undefined : "active", limit: args.pageSize })
        : resource === "sizes"
          ? source.compute.flavors.pages({ visibility: "all", limit: args.pageSize })
          : resource === "volumes"
            ? source.blockStorage.volumes.pages({ allTenants: true, limit: args.pageSize })
            : source.compute.servers.pages({ allTenants: true, limit: args.pageSize });
    let rows = 0;
    let pages = 0;
    for await (const page of it) {
      rows += page.length;
      pages++;
    }
    out.push({ resource, rows, pages, ms: performance.now() - started });
  }
  return out;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const options = labOptions({ timeoutMs: 30_000 });

  if (args.cleanup) {
    const os = await createClient(options);
    try {
      await cleanup(os, options);
    } finally {
      await os.close();
    }
    return;
  }

  const server = (process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:54329/postgres").replace(/\/[^/]*$/, "");
  const admin = postgres(`${server}/postgres`, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${DB_NAME}" with (force)`);
  await admin.unsafe(`create database "${DB_NAME}"`);
  const sql = postgres(`${server}/${DB_NAME}`, { max: 4, onnotice: () => {} });
  const os = args.synthetic ? null : await createClient(options);
  try {
    if (os && args.seed) await seed(os, options, {
        images: args.images,
        shared: args.shared,
        flavors: args.flavors,
        servers: args.servers,
        volumes: args.volumes,
        serverWaitMs: args.serverWait * 1000,
      });
    await migrate(drizzle(sql), { migrationsFolder: path.join(import.meta.dirname, "..", "drizzle") });
    const db = drizzle(sql, { schema }) as unknown as Db;
    const [provider] = await db.insert(schema.providers).values({ name: "bench", authUrl: options.authUrl }).returning();
    const source: ImportClient = os ?? syntheticClient(args.synthetic);
    const resources: Resource[] = args.synthetic ? ["machines"] : ["sizes", "machines", "instances", "volumes"];
    console.log(
      `${args.synthetic ? `${args.synthetic} generated images` : `images, flavors and servers of ${options.authUrl}`}, ` +
        `page size ${args.pageSize ?? "the API's default"}, batch ${args.batchSize}` +
        `${args.includeInactive ? ", inactive images included (benchmark only)" : ", active images only"}`,
    );

    global.gc?.();
    const rss = new RssSampler();
    const baseline = rss.peak;

    // 1. The raw data, with the client alone. A first call has already negotiated microversions.
    // A first pass warms the cloud's caches (it is not counted); then raw paging is timed again
    // after every import run, so each run is set against the paging just before and just after
    // it: the cloud's own speed drifts between runs on a shared machine, and a single raw figure
    // taken at the start made the ratios follow that drift.
    const warm = await pageRaw(source, resources, args);
    console.log(`warm-up paging (not counted): ${secs(totalMs(warm))}`);
    const rawRuns = [await pageRaw(source, resources, args)];
    const rawPeak = rss.peak;
    const showRaw = (raw: RawPaging) =>
      `raw paging: ${secs(totalMs(raw))} (${raw.map((r) => `${NOUN[r.resource]} ${r.rows} in ${r.pages} pages ${secs(r.ms)}`).join(", ")})`;
    console.log(showRaw(rawRuns[0]));

    // 2. The imports: sizes first (instances look their flavors up there), then machines, instances.
    const importers = { sizes: importSizes, machines: importMachines, instances: importInstances, volumes: importVolumes };
    const runMs: number[] = [];
    const imageRuns: Array<{ rowMs: number; memberMs: number; members: number }> = [];
    let importPeak = 0;
    for (let run = 1; run <= args.runs; run++) {
      global.gc?.();
      rss.reset();
      const parts: string[] = [];
      const clock = { apiMs: 0 };
      const perPage: Array<{ rows: number; rss: number; heap: number }> = [];
      const client = timed(source, clock);
      const started = performance.now();
      for (const resource of resources) {
        const progress: ImportProgress = async (u) => {
          const now = rss.sample();
          const counts = u.counts as { listed?: number } | undefined;
          if (resource !== "machines" || !counts?.listed) return;
          // With --expose-gc, the live heap after a collection: what the import really holds.
          global.gc?.();
          perPage.push({ rows: counts.listed, rss: now, heap: process.memoryUsage().heapUsed });
        };
        const t = performance.now();
        const summary: ImportSummary = await importers[resource](db, client, provider.id, progress, {
          pageSize: args.pageSize,
          batchSize: args.batchSize,
          includeInactive: args.includeInactive,
        });
        const c = summary.counts;
        if (resource === "machines") imageRuns.push({ rowMs: (c.rowSeconds ?? 0) * 1000, memberMs: (c.memberSeconds ?? 0) * 1000, members: c.membersFetched ?? 0 });
        parts.push(
          `  ${resource}: ${c.listed} listed in ${c.pages} pages, ${c.imported} written (${c.added} added, ${c.updated} updated, ` +
            `${c.unchanged} unchanged, ${c.endDated} end-dated${c.skipped ? `, ${c.skipped} skipped` : ""}` +
            `${c.statusChanges !== undefined ? `, ${c.statusChanges} status changes` : ""}) in ${secs(performance.now() - t)}` +
            `${resource === "machines" ? ` (image rows ${secs((c.rowSeconds ?? 0) * 1000)}, member step ${secs((c.memberSeconds ?? 0) * 1000)} for ${c.membersFetched ?? 0} lists)` : ""}`,
        );
      }
      const ms = performance.now() - started;
      runMs.push(ms);
      importPeak = Math.max(importPeak, rss.peak);
      console.log(
        `import run ${run}${run === 1 ? " (full)" : " (nothing changed)"}: ${secs(ms)}; waiting on the cloud ${secs(clock.apiMs)}, ` +
          `the rest (database, parsing) ${secs(ms - clock.apiMs)}; peak rss ${mb(rss.peak)}`,
      );
      for (const p of parts) console.log(p);
      rawRuns.push(await pageRaw(source, resources, args));
      console.log(showRaw(rawRuns[run]));
      const marks = [0.1, 0.25, 0.5, 0.75, 1].map((f) => perPage[Math.max(0, Math.ceil(perPage.length * f) - 1)]).filter(Boolean);
      if (marks.length) console.log(`  rss during the image import: after ${marks.map((m) => `${m.rows} images ${mb(m.rss)}`).join(", ")}`);
      if (global.gc && marks.length) console.log(`  live heap after GC: ${marks.map((m) => `${m.rows} images ${mb(m.heap)}`).join(", ")}`);
    }
    // The hourly members refresh: every shared image's member list, read again.
    const refreshStarted = performance.now();
    const refresh = await importMembers(db, source, provider.id, async () => {});
    const refreshMs = performance.now() - refreshStarted;
    rss.stop();

    // Run k (0-based) is set against the mean of the raw paging just before (k) and after (k + 1) it.
    const around = (k: number, of: (raw: RawPaging) => number) => (of(rawRuns[k]) + of(rawRuns[k + 1])) / 2;
    const imagesMs = (raw: RawPaging) => raw.find((r) => r.resource === "machines")?.ms ?? NaN;
    const ratios = runMs.map((ms, k) => ms / around(k, totalMs));
    const imageRatios = imageRuns.map((r, k) => r.rowMs / around(k, imagesMs));
    const unchanged = runMs.slice(1);
    const ratioList = (rs: number[]) => rs.map((r) => r.toFixed(2)).join(", ");
    console.log("");
    console.log(`raw paging (client alone):    ${rawRuns.map((r) => secs(totalMs(r))).join(", ")} (before the first run and after each)`);
    console.log(`full import:                  ${secs(runMs[0])}  = ${ratios[0].toFixed(2)} x the raw paging around it`);
    if (unchanged.length) {
      console.log(
        `import with nothing changed:  ${unchanged.map(secs).join(", ")}  = ${median(ratios.slice(1)).toFixed(2)} x raw paging` +
          `${unchanged.length > 1 ? ` (median of ${unchanged.length} runs: ${ratioList(ratios.slice(1))})` : ""}`,
      );
    }
    if (imageRuns.length && !Number.isNaN(imagesMs(rawRuns[0]))) {
      const [full, ...again] = imageRuns;
      console.log(`image rows, raw paging:       ${rawRuns.map((r) => secs(imagesMs(r))).join(", ")} (${rawRuns[0].find((r) => r.resource === "machines")!.rows} images)`);
      console.log(`image rows, full import:      ${secs(full.rowMs)}  = ${imageRatios[0].toFixed(2)} x raw image paging (goal ≤ 1.3)`);
      if (again.length) {
        console.log(
          `image rows, nothing changed:  ${again.map((r) => secs(r.rowMs)).join(", ")}  = ${median(imageRatios.slice(1)).toFixed(2)} x raw image paging (goal ≤ 1.15)` +
            `${again.length > 1 ? ` (median of ${again.length} runs: ${ratioList(imageRatios.slice(1))})` : ""}`,
        );
      }
      console.log(`member step (new shared):     ${secs(full.memberMs)} for ${full.members} member lists in the full import; ${again.map((r) => `${secs(r.memberMs)} for ${r.members}`).join(", ") || "—"} after`);
    }
    console.log(`members refresh (all shared): ${secs(refreshMs)} for ${refresh.counts.listed} shared images (${refresh.counts.updated} changed)`);
    console.log(
      `peak rss while importing:     ${mb(importPeak)} (${mb(baseline)} before paging, ${mb(rawPeak)} peak while paging raw; ` +
        `process max ${mb(process.resourceUsage().maxRSS * 1024)} including seeding)`,
    );
  } finally {
    await os?.close();
    await sql.end();
    await admin.unsafe(`drop database if exists "${DB_NAME}" with (force)`);
    await admin.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
