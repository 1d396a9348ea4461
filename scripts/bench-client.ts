/**
 * Lists a large Glance catalogue through lib/openstack and through the `openstack` CLI and
 * prints both times. Seeds the cloud (OS_* env, or the lab's openrc) with metadata-only
 * images named bench-img-… first; they are left in place for the next run.
 *
 *   npm run bench:client                 # seed to 2000 if needed, then measure
 *   npm run bench:client -- --count 3000 --runs 5
 *   npm run bench:client -- --cleanup    # delete the bench-img-… images
 *
 * Imports lib/openstack/client directly: lib/openstack/index.ts pulls in "server-only",
 * which only resolves inside Next's server bundle (and vitest's alias), not under tsx.
 */
import { execFile } from "node:child_process";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";

import { createClient, type OpenStackClient } from "../lib/openstack/client";
import { labEnv, labOptions } from "../lib/openstack/testing/env";

const PREFIX = "bench-img-";
const CONCURRENCY = 8;

interface Args {
  count: number;
  runs: number;
  cleanup: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { count: 2000, runs: 3, cleanup: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--cleanup") args.cleanup = true;
    else if (argv[i] === "--count") args.count = Number(argv[++i]);
    else if (argv[i] === "--runs") args.runs = Number(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]} (use --count N, --runs N, --cleanup)`);
  }
  if (!(args.count > 0 && args.runs > 0)) throw new Error("--count and --runs must be positive numbers");
  return args;
}

/** Runs `work` over `items` with at most CONCURRENCY in flight. */
async function pool<T>(items: T[], work: (item: T) => Promise<void>, onDone: (done: number) => void): Promise<void> {
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      await work(item);
      onDone(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
}

async function benchImageNames(os: OpenStackClient): Promise<Map<string, string>> {
  const images = await os.image.images.list({ limit: 1000 });
  return new Map(images.filter((i) => i.name?.startsWith(PREFIX)).map((i) => [i.name as string, i.id]));
}

async function visibleImages(os: OpenStackClient): Promise<number> {
  return (await os.image.images.list({ limit: 1000 })).length;
}

function progress(label: string, total: number) {
  return (done: number) => {
    if (done % 100 === 0 || done === total) process.stdout.write(`\r${label}: ${done}/${total}`);
    if (done === total) process.stdout.write("\n");
  };
}

async function seed(os: OpenStackClient, count: number): Promise<void> {
  const existing = await benchImageNames(os);
  const wanted = Array.from({ length: count }, (_, i) => `${PREFIX}${String(i + 1).padStart(5, "0")}`);
  const missing = wanted.filter((name) => !existing.has(name));
  if (missing.length === 0) {
    console.log(`seed: ${existing.size} ${PREFIX}* images already exist, nothing to create`);
    return;
  }
  const started = performance.now();
  await pool(
    missing,
    async (name) => {
      await os.image.images.create({ name, diskFormat: "raw", containerFormat: "bare" });
    },
    progress(`seed: creating ${missing.length} images (${CONCURRENCY} at a time)`, missing.length),
  );
  console.log(`seed: done in ${seconds(performance.now() - started)}`);
}

async function cleanupImages(os: OpenStackClient): Promise<void> {
  const ids = [...(await benchImageNames(os)).values()];
  await pool(ids, (id) => os.image.images.delete(id), progress(`cleanup: deleting ${ids.length} images`, ids.length));
  console.log(`cleanup: deleted ${ids.length} ${PREFIX}* images`);
}

/** The OS_* environment the client used, for the CLI (the lab's openrc when the shell had none). */
function cliEnv(): NodeJS.ProcessEnv {
  return { ...process.env, ...labEnv() };
}

async function timeCli(args: string[]): Promise<{ ms: number; rows: number; queued: number }> {
  const started = performance.now();
  const { stdout } = await promisify(execFile)("openstack", args, { env: cliEnv(), maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - started;
  const rows = stdout.split("\n").filter((l) => l.trim());
  return { ms, rows: rows.length, queued: rows.filter((l) => /\squeued$/.test(l)).length };
}

interface ClientRun {
  ms: number;
  listMs: number;
  rows: number;
  queued: number;
  pages: number;
}

async function timeClient(limit: number | undefined): Promise<ClientRun> {
  const started = performance.now();
  const os = await createClient(labOptions());
  const listStarted = performance.now();
  let rows = 0;
  let queued = 0;
  let pages = 0;
  try {
    for await (const page of os.image.images.pages({ limit })) {
      pages++;
      rows += page.length;
      queued += page.filter((i) => i.status === "queued").length;
    }
  } finally {
    await os.close();
  }
  const end = performance.now();
  return { ms: end - started, listMs: end - listStarted, rows, queued, pages };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const os = await createClient(labOptions());
  let total: number;
  try {
    if (args.cleanup) return await cleanupImages(os);
    await seed(os, args.count);
    total = await visibleImages(os);
  } finally {
    await os.close();
  }

  const results: Array<{ what: string; ms: number; note: string }> = [];
  for (const limit of [25, undefined]) {
    const runs = [];
    for (let i = 0; i < args.runs; i++) runs.push(await timeClient(limit));
    const last = runs.at(-1)!;
    const listing = seconds(median(runs.map((r) => r.listMs)));
    results.push({
      what: limit ? `client, page size ${limit} (Glance's own default)` : "client, default page size (1000)",
      ms: median(runs.map((r) => r.ms)),
      note: `${last.rows} images (${last.queued} queued) in ${last.pages} pages; listing alone ${listing}, the rest is discovery + token`,
    });
  }

  // Both `openstack image list` and the client list every status (queued included) and leave
  // out community images. With --limit the CLI asks for one page of that size, which Glance
  // clamps to api_limit_max (1000): it then prints fewer rows than exist, so the like-for-like
  // comparison is the CLI without --limit (it follows `next` with Glance's 25-image pages).
  const cliVariants = [
    ["image", "list", "-f", "value"],
    ["image", "list", "--limit", String(args.count), "-f", "value"],
  ];
  for (const cliArgs of cliVariants) {
    const runs = [];
    for (let i = 0; i < args.runs; i++) runs.push(await timeCli(cliArgs));
    const last = runs.at(-1)!;
    const same = last.rows === total ? "the same set as the client" : `NOT the same set: ${total} images are visible`;
    results.push({
      what: `openstack ${cliArgs.join(" ")}`,
      ms: median(runs.map((r) => r.ms)),
      note: `${last.rows} rows (${last.queued} queued), ${same}; includes Python start-up and its own token`,
    });
  }

  const reference = results[2];
  console.log(`\n${total} images visible; median of ${args.runs} runs each, wall time including authentication:\n`);
  for (const r of results) {
    const ratio = r === reference ? "  (reference)" : `  (reference ÷ this = ${(reference.ms / r.ms).toFixed(2)})`;
    console.log(`${r.what.padEnd(50)} ${seconds(r.ms).padStart(8)}${ratio}\n${"".padEnd(50)} ${r.note}`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
