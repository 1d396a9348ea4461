import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { importSchedules, jobs, providers, type ImportSchedule } from "@/lib/db/schema";
import { rowsOf } from "@/lib/db/rows";
import { redactSecrets } from "@/lib/redact";
import { enqueueJob } from "@/lib/jobs/queue";
import {
  DEFAULT_INTERVAL_SECONDS,
  IMPORT_KINDS,
  IMPORT_RESOURCES,
  importDedupeKey,
  isImportResource,
  MAX_INTERVAL_SECONDS,
  MIN_INTERVAL_SECONDS,
  type ImportResource,
} from "./resources";

/**
 * Creates the missing schedule rows (Atmosphere's default intervals) for one provider, or for
 * every provider. New rows are due at once, so a new cloud gets its first import without
 * anyone pressing a button. Safe to run from several instances at once.
 */
export async function ensureDefaultSchedules(db: Db, providerId?: number | readonly number[]): Promise<void> {
  const values = sql.join(
    IMPORT_RESOURCES.map((r) => sql`(${r}, ${DEFAULT_INTERVAL_SECONDS[r]}::int)`),
    sql`, `,
  );
  await db.execute(sql`
    insert into ${importSchedules} (provider_id, resource, interval_seconds)
    select p.id, d.resource, d.interval_seconds
    from ${providers} p cross join (values ${values}) as d(resource, interval_seconds)
    ${
      providerId === undefined
        ? sql``
        : typeof providerId === "number"
          ? sql`where p.id = ${providerId}`
          : sql`where p.id in (${sql.join(providerId.map((id) => sql`${id}`), sql`, `)})`
    }
    on conflict (provider_id, resource) do nothing`);
}

/** A provider's schedules in resource order, creating the defaults when missing. */
export async function listSchedules(db: Db, providerId: number): Promise<ImportSchedule[]> {
  await ensureDefaultSchedules(db, providerId);
  const rows = await db.select().from(importSchedules).where(eq(importSchedules.providerId, providerId)).orderBy(asc(importSchedules.id));
  return IMPORT_RESOURCES.map((r) => rows.find((row) => row.resource === r)).filter((r): r is ImportSchedule => Boolean(r));
}

/** The schedules of many providers in resource order: one insert of the defaults and one select. */
export async function listSchedulesOf(db: Db, providerIds: readonly number[]): Promise<Map<number, ImportSchedule[]>> {
  const out = new Map<number, ImportSchedule[]>();
  if (providerIds.length === 0) return out;
  await ensureDefaultSchedules(db, providerIds);
  const rows = await db.select().from(importSchedules).where(inArray(importSchedules.providerId, [...providerIds])).orderBy(asc(importSchedules.id));
  for (const id of providerIds) {
    const mine = rows.filter((r) => r.providerId === id);
    out.set(id, IMPORT_RESOURCES.map((r) => mine.find((row) => row.resource === r)).filter((r): r is ImportSchedule => Boolean(r)));
  }
  return out;
}

/** Why an interval is refused, or null. */
export function intervalProblem(seconds: number): string | null {
  if (!Number.isInteger(seconds)) return "Use a whole number of seconds.";
  if (seconds < MIN_INTERVAL_SECONDS) return "Import at most every 5 minutes.";
  if (seconds > MAX_INTERVAL_SECONDS) return "Import at least every 7 days.";
  return null;
}

/**
 * Sets how often a resource is imported; the next run moves to one interval from now, so
 * the page can say exactly when it will be.
 */
export async function updateSchedule(
  db: Db,
  providerId: number,
  resource: ImportResource,
  change: { intervalSeconds: number; enabled: boolean },
): Promise<ImportSchedule> {
  const problem = intervalProblem(change.intervalSeconds);
  if (problem) throw new RangeError(problem);
  await ensureDefaultSchedules(db, providerId);
  const [row] = await db
    .update(importSchedules)
    .set({
      intervalSeconds: change.intervalSeconds,
      enabled: change.enabled,
      nextRunAt: sql`now() + make_interval(secs => ${change.intervalSeconds})`,
    })
    .where(and(eq(importSchedules.providerId, providerId), eq(importSchedules.resource, resource)))
    .returning();
  return row;
}

/** Finished import runs are kept this long (the newest success of each resource always). */
export const IMPORT_RUN_RETENTION_DAYS = 90;
const PRUNE_EVERY_MS = 60 * 60 * 1000;
let lastPrune = 0;

/**
 * Deletes finished import runs older than the retention, at most `limit` (1,000) a call, never a
 * provider's newest successful run of a resource (what its tables hold now). The default
 * schedules queue ~200 runs a provider a day: without this the history grows without end.
 */
export async function pruneImportRuns(db: Db, opts: { now?: Date; limit?: number } = {}): Promise<number> {
  const cutoff = new Date((opts.now ?? new Date()).getTime() - IMPORT_RUN_RETENTION_DAYS * 86_400_000).toISOString();
  const kinds = `{${IMPORT_RESOURCES.map((r) => IMPORT_KINDS[r]).join(",")}}`;
  const result = await db.execute(sql`
    delete from ${jobs} where id in (
      select j.id from ${jobs} j
      where j.kind = any(${kinds}::text[]) and j.state in ('succeeded', 'failed', 'cancelled')
        and j.finished_at < ${cutoff}::timestamptz
        -- a success is kept while it is the newest of its provider and resource
        and (j.state <> 'succeeded' or exists (
          select 1 from ${jobs} n
          where n.provider_id = j.provider_id and n.kind = j.kind and n.state = 'succeeded' and n.created_at > j.created_at))
      limit ${opts.limit ?? 1000})
    returning id`);
  return rowsOf<{ id: string }>(result).length;
}

export type DueImport = { providerId: number; resource: ImportResource; scheduleId: number };

/**
 * Claims the schedules that are due, for active providers, by moving their next run one
 * interval on in the same UPDATE. Postgres re-checks `next_run_at <= now()` on a row another
 * instance just updated, so when several app instances tick together exactly one of them
 * gets each due schedule.
 */
export async function claimDueSchedules(db: Db): Promise<DueImport[]> {
  const activeProviders = db.select({ id: providers.id }).from(providers).where(eq(providers.isActive, true));
  const rows = await db
    .update(importSchedules)
    .set({ nextRunAt: sql`now() + make_interval(secs => ${importSchedules.intervalSeconds})` })
    .where(
      and(
        // Other features' rows (capacity) share the table; they are claimed by their own tick.
        inArray(importSchedules.resource, [...IMPORT_RESOURCES]),
        eq(importSchedules.enabled, true),
        lte(importSchedules.nextRunAt, sql`now()`),
        inArray(importSchedules.providerId, activeProviders),
      ),
    )
    .returning({ scheduleId: importSchedules.id, providerId: importSchedules.providerId, resource: importSchedules.resource });
  // RETURNING has no order: sizes first per provider (instances read sizes for their vCPUs).
  return rows
    .flatMap((r) => (isImportResource(r.resource) ? [{ ...r, resource: r.resource }] : []))
    .sort((a, b) => a.providerId - b.providerId || IMPORT_RESOURCES.indexOf(a.resource) - IMPORT_RESOURCES.indexOf(b.resource));
}

/**
 * One scheduler step: default schedules for new providers, then a job for every schedule this
 * instance claimed. The dedupe key stops a run from starting while the previous one is live.
 */
export async function runSchedulerTick(db: Db): Promise<Array<DueImport & { jobId: string; created: boolean }>> {
  await ensureDefaultSchedules(db);
  const due = await claimDueSchedules(db);
  const out: Array<DueImport & { jobId: string; created: boolean }> = [];
  for (const d of due) {
    const { job, created } = await enqueueJob(db, {
      kind: IMPORT_KINDS[d.resource],
      providerId: d.providerId,
      params: { resource: d.resource, trigger: "schedule" },
      dedupeKey: importDedupeKey(d.resource, d.providerId),
    });
    out.push({ ...d, jobId: job.id, created });
  }
  // After the claims, and never in their way: a failed prune is retried at the next tick.
  if (Date.now() - lastPrune > PRUNE_EVERY_MS) {
    try {
      await pruneImportRuns(db);
      lastPrune = Date.now();
    } catch (error) {
      console.error(`[imports] pruning old runs failed: ${redactSecrets(error instanceof Error ? error.message : String(error))}`);
    }
  }
  return out;
}
