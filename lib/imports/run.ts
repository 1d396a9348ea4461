import crypto from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { jobs } from "@/lib/db/schema";
import type { ProgressUpdate } from "@/lib/jobs/queue";
import { IMPORT_KINDS, NAME_CAP, type ImportCounts, type ImportNames, type ImportResource, type ImportSummary } from "./resources";

export type ImportProgress = (update: ProgressUpdate) => Promise<void>;

export type ImportOptions = {
  /** Marks every row this run sees; a job passes its id. Default: a fresh UUID. */
  runId?: string;
  /** Page size asked of the API (Glance clamps to its api_limit_max, Nova to max_limit). */
  pageSize?: number;
  /** Rows written per transaction. */
  batchSize?: number;
  /** Stops between batches (the job's own signal). */
  signal?: AbortSignal;
  /** Clock, for tests. */
  now?: () => Date;
};

export const DEFAULT_BATCH_SIZE = 500;

/** Counts and capped name lists of one import run, reported as the run goes. */
export class ImportTally {
  readonly runId: string;
  readonly counts: ImportCounts = {
    listed: 0,
    imported: 0,
    added: 0,
    updated: 0,
    unchanged: 0,
    restored: 0,
    endDated: 0,
    skipped: 0,
    pages: 0,
  };
  readonly names: ImportNames = { added: [], updated: [], restored: [], endDated: [] };
  readonly truncated: ImportSummary["truncated"] = {};
  readonly startedAt = new Date();

  constructor(
    readonly resource: ImportResource,
    runId?: string,
  ) {
    this.runId = runId ?? crypto.randomUUID();
  }

  note(kind: keyof ImportNames, name: string): void {
    this.counts[kind]++;
    const list = this.names[kind];
    if (list.length < NAME_CAP) list.push(name);
    else this.truncated[kind] = true;
  }

  summary(finished = false): ImportSummary {
    return {
      resource: this.resource,
      runId: this.runId,
      counts: { ...this.counts },
      names: {
        added: [...this.names.added],
        updated: [...this.names.updated],
        restored: [...this.names.restored],
        endDated: [...this.names.endDated],
      },
      truncated: { ...this.truncated },
      startedAt: this.startedAt.toISOString(),
      ...(finished ? { finishedAt: new Date().toISOString() } : {}),
    };
  }
}

/** Splits rows into write batches. */
export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** JSON with sorted keys: Postgres jsonb reorders keys, so plain JSON.stringify would see changes that are not. */
export function canonical(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value ?? null;
}

/** True when any of the fields differs between the stored row and the incoming one. */
export function differs<T extends Record<string, unknown>>(stored: T, incoming: Partial<T>, fields: readonly (keyof T)[]): boolean {
  return fields.some((f) => canonical(stored[f]) !== canonical(incoming[f]));
}

/**
 * How many items the previous successful run listed, to turn "N done" into a fraction
 * while paging (the APIs never say how many there are in total).
 */
export async function previousListedCount(db: Db, providerId: number, resource: ImportResource): Promise<number | null> {
  const [row] = await db
    .select({ counts: jobs.counts })
    .from(jobs)
    .where(and(eq(jobs.providerId, providerId), eq(jobs.kind, IMPORT_KINDS[resource]), eq(jobs.state, "succeeded")))
    .orderBy(desc(jobs.finishedAt))
    .limit(1);
  const listed = (row?.counts as Partial<ImportCounts> | undefined)?.listed;
  return typeof listed === "number" && listed > 0 ? listed : null;
}

/** A fraction for the bar: done / expected, never reaching 1 before the run ends. */
export function fraction(done: number, expected: number | null): number {
  if (!expected) return Math.min(0.9, done / (done + 1000));
  return Math.min(0.95, done / expected);
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw signal.reason ?? new Error("The import was cancelled.");
}

/** Maps with at most `limit` calls in flight, keeping the order of the results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Pages of a listing with the next page already being fetched while the caller writes the
 * current one, so an import costs about as long as the listing itself. One page at most is
 * read ahead (memory stays flat); an error of the read-ahead surfaces when its page is due,
 * after the pages before it were written, exactly as without read-ahead.
 */
export async function* readAhead<T>(pages: AsyncIterable<T>): AsyncGenerator<T> {
  const it = pages[Symbol.asyncIterator]();
  let next = it.next();
  try {
    for (;;) {
      const r = await next;
      if (r.done) return;
      next = it.next();
      // Handled when awaited above; this only keeps a failure during our write from being "unhandled".
      next.catch(() => {});
      yield r.value;
    }
  } finally {
    // The consumer stopped early (an abort or a failed write): let the listing close its connection.
    await next.then(() => it.return?.(), () => {}).catch(() => {});
  }
}

/**
 * The value with every NUL character taken out of its strings (deeply; the same object when it
 * has none). Any project member can put one in an image, volume or server name, and PostgreSQL
 * stores no NUL in text or jsonb: one such name would fail every import of the provider.
 */
export function withoutNul<T>(value: T): T {
  if (typeof value === "string") return (value.includes("\u0000") ? value.replaceAll("\u0000", "") : value) as T;
  if (Array.isArray(value)) {
    const out = value.map(withoutNul);
    return (out.some((v, i) => v !== value[i]) ? out : value) as T;
  }
  if (value && typeof value === "object" && !(value instanceof Date)) {
    let out: Record<string, unknown> | null = null;
    for (const [k, v] of Object.entries(value)) {
      const clean = withoutNul(v);
      const key = withoutNul(k);
      if (clean !== v || key !== k) out ??= { ...(value as Record<string, unknown>) };
      if (out) {
        if (key !== k) delete out[k];
        out[key] = clean;
      }
    }
    return (out ?? value) as T;
  }
  return value;
}