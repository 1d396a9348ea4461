import { and, count, desc, eq, inArray, sql } from "drizzle-orm";
import { rowsOf } from "@/lib/db/rows";
import type { Db } from "@/lib/db/client";
import { importSchedules, jobs, users, type ImportSchedule, type Job } from "@/lib/db/schema";
import { enqueueJob } from "@/lib/jobs/queue";
import {
  IMPORT_KIND_LIST,
  IMPORT_KINDS,
  IMPORT_RESOURCES,
  importDedupeKey,
  resourceOfKind,
  type ImportCounts,
  type ImportResource,
  type ImportSummary,
} from "./resources";
import { ensureDefaultSchedules, listSchedules, listSchedulesOf } from "./schedules";

export type ImportRun = Pick<
  Job,
  "id" | "kind" | "providerId" | "state" | "progress" | "progressText" | "error" | "createdAt" | "startedAt" | "finishedAt" | "attempts"
> & {
  resource: ImportResource;
  counts: Partial<ImportCounts>;
  result: ImportSummary | null;
  /** Who pressed the button; null for the scheduler. */
  createdBy: string | null;
  trigger: "manual" | "schedule";
};

const runColumns = {
  id: jobs.id,
  kind: jobs.kind,
  providerId: jobs.providerId,
  state: jobs.state,
  progress: jobs.progress,
  progressText: jobs.progressText,
  counts: jobs.counts,
  result: jobs.result,
  error: jobs.error,
  params: jobs.params,
  attempts: jobs.attempts,
  createdAt: jobs.createdAt,
  startedAt: jobs.startedAt,
  finishedAt: jobs.finishedAt,
  createdBy: users.username,
};

type RunRow = { [K in keyof typeof runColumns]: unknown } & Record<string, unknown>;

function toRun(r: RunRow): ImportRun {
  const row = r as unknown as Omit<ImportRun, "resource" | "trigger"> & { params: Record<string, unknown> };
  const { params, ...rest } = row;
  return {
    ...rest,
    resource: resourceOfKind(row.kind)!,
    counts: (row.counts ?? {}) as Partial<ImportCounts>,
    result: (row.result ?? null) as ImportSummary | null,
    trigger: params?.trigger === "schedule" ? "schedule" : "manual",
  };
}

/**
 * A run a person started counts as the scheduled one: each resource's next scheduled run moves
 * to one interval from now (never earlier than it was), so the scheduler does not repeat a
 * button press a few seconds later. Every run calls it again when it ends, so the interval
 * counts from the end of the last run: an import slower than its interval does not follow
 * itself without a pause (the cloud is not listed non-stop).
 */
export async function postponeSchedules(db: Db, providerId: number, resources: readonly ImportResource[]): Promise<void> {
  if (resources.length === 0) return;
  await ensureDefaultSchedules(db, providerId);
  await db
    .update(importSchedules)
    .set({ nextRunAt: sql`greatest(${importSchedules.nextRunAt}, now() + make_interval(secs => ${importSchedules.intervalSeconds}))` })
    .where(and(eq(importSchedules.providerId, providerId), inArray(importSchedules.resource, [...resources])));
}

/**
 * Queues imports of the given resources for a provider, sizes first (instances read sizes for
 * their vCPUs). A resource already queued or running is not queued again: its live job is
 * returned instead.
 */
export async function enqueueImports(
  db: Db,
  input: { providerId: number; resources: readonly ImportResource[]; userId: number | null },
): Promise<Array<{ resource: ImportResource; jobId: string; created: boolean }>> {
  const out: Array<{ resource: ImportResource; jobId: string; created: boolean }> = [];
  for (const resource of IMPORT_RESOURCES.filter((r) => input.resources.includes(r))) {
    const { job, created } = await enqueueJob(db, {
      kind: IMPORT_KINDS[resource],
      providerId: input.providerId,
      params: { resource, trigger: "manual" },
      createdBy: input.userId,
      dedupeKey: importDedupeKey(resource, input.providerId),
    });
    out.push({ resource, jobId: job.id, created });
  }
  await postponeSchedules(db, input.providerId, out.map((r) => r.resource));
  return out;
}

/** Import runs of a provider (or all), newest first, one page at a time. */
export async function listImportRuns(
  db: Db,
  filter: { providerId?: number; resource?: ImportResource; page?: number; pageSize?: number } = {},
): Promise<{ rows: ImportRun[]; total: number; page: number; pageSize: number }> {
  const pageSize = Math.min(Math.max(filter.pageSize ?? 20, 1), 100);
  const page = Math.max(filter.page ?? 1, 1);
  const where = and(
    filter.providerId !== undefined ? eq(jobs.providerId, filter.providerId) : undefined,
    filter.resource ? eq(jobs.kind, IMPORT_KINDS[filter.resource]) : inArray(jobs.kind, IMPORT_KIND_LIST),
  );
  const [rows, [{ total }]] = await Promise.all([
    db
      .select(runColumns)
      .from(jobs)
      .leftJoin(users, eq(users.id, jobs.createdBy))
      .where(where)
      .orderBy(desc(jobs.createdAt), desc(jobs.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ total: count() }).from(jobs).where(where),
  ]);
  return { rows: rows.map((r) => toRun(r as RunRow)), total: Number(total), page, pageSize };
}

export type ResourceStatus = {
  resource: ImportResource;
  /** Queued or running now. */
  live: ImportRun | null;
  /** The newest finished run, whatever its outcome. */
  last: ImportRun | null;
  /** The newest successful run (what the tables hold now). */
  lastSuccess: ImportRun | null;
};

type StatusPick = "live" | "finished" | "succeeded";
const STATES: Record<StatusPick, Job["state"][]> = {
  live: ["queued", "running"],
  finished: ["succeeded", "failed", "cancelled"],
  succeeded: ["succeeded"],
};

/**
 * The ids of the newest `limit` jobs of each provider and import kind,
 * one backward walk of jobs_provider_kind_idx per pair that stops after `limit` matches: the
 * cost follows the number of providers, not the months of runs behind them (a DISTINCT ON or a
 * window over the whole history read every job ever run, ~190 ms at 10 providers × a month).
 */
async function newestIds(db: Db, providerIds: readonly number[], limit: number): Promise<string[]> {
  const result = await db.execute(sql`
    select r.id from unnest(${`{${providerIds.join(",")}}`}::int[]) as p(id)
    cross join unnest(${`{${IMPORT_KIND_LIST.join(",")}}`}::text[]) as k(kind)
    cross join lateral (
      select j.id from ${jobs} j
      where j.provider_id = p.id and j.kind = k.kind
      order by j.created_at desc, j.id desc
      limit ${limit}
    ) r`);
  return rowsOf<{ id: string }>(result).map((r) => String(r.id));
}

async function runsByIds(db: Db, ids: string[]): Promise<RunRow[]> {
  if (ids.length === 0) return [];
  // Newest first, then by id, in Postgres's order (microseconds; uuids as Postgres compares them).
  return (await db
    .select(runColumns)
    .from(jobs)
    .leftJoin(users, eq(users.id, jobs.createdBy))
    .where(inArray(jobs.id, ids))
    .orderBy(desc(jobs.createdAt), desc(jobs.id))) as RunRow[];
}

/**
 * Per provider and resource: the live run, the last finished run and the last successful one —
 * a constant number of queries however many providers are asked for (see newestIds).
 */
export async function importStatuses(db: Db, providerIds: readonly number[]): Promise<Map<number, ResourceStatus[]>> {
  const out = new Map<number, ResourceStatus[]>();
  if (providerIds.length === 0) return out;
  // One statement: per provider and kind, the newest job in each group of states.
  const newest = (which: StatusPick) => sql`(
      select j.id from ${jobs} j
      where j.provider_id = p.id and j.kind = k.kind and j.state::text = any(${`{${STATES[which].join(",")}}`}::text[])
      order by j.created_at desc, j.id desc limit 1)`;
  // Live jobs are few and found through jobs_claim_idx (state first); walking a pair's history
  // backwards for one that is not there would read all of it.
  const providerArray = `{${providerIds.join(",")}}`;
  const picked = rowsOf<{ provider_id: number; kind: string; live: string | null; finished: string | null; succeeded: string | null }>(
    await db.execute(sql`
      with live as materialized (
        select distinct on (j.provider_id, j.kind) j.id, j.provider_id, j.kind from ${jobs} j
        where j.state in ('queued', 'running') and j.provider_id = any(${providerArray}::int[])
        order by j.provider_id, j.kind, j.created_at desc, j.id desc)
      select p.id as provider_id, k.kind,
        (select live.id from live where live.provider_id = p.id and live.kind = k.kind) as live,
        ${newest("finished")} as finished, ${newest("succeeded")} as succeeded
      from unnest(${providerArray}::int[]) as p(id) cross join unnest(${`{${IMPORT_KIND_LIST.join(",")}}`}::text[]) as k(kind)`),
  );
  const ids = [...new Set(picked.flatMap((r) => [r.live, r.finished, r.succeeded]).filter((id): id is string => id !== null))];
  const byId = new Map((await runsByIds(db, ids)).map((r) => [String(r.id), toRun(r)]));
  const at = new Map(picked.map((r) => [`${r.provider_id}:${r.kind}`, r]));
  const run = (id: string | null | undefined) => (id ? (byId.get(id) ?? null) : null);
  for (const id of providerIds) {
    out.set(
      id,
      IMPORT_RESOURCES.map((resource) => {
        const r = at.get(`${id}:${IMPORT_KINDS[resource]}`);
        return { resource, live: run(r?.live), last: run(r?.finished), lastSuccess: run(r?.succeeded) };
      }),
    );
  }
  return out;
}

/** Per resource: the live run, the last finished run and the last successful one. */
export async function importStatus(db: Db, providerId: number): Promise<ResourceStatus[]> {
  return (await importStatuses(db, [providerId])).get(providerId)!;
}

/**
 * The newest `limit` import runs of each provider and each provider's run count: the newest
 * `limit` of every kind (newestIds), then the newest `limit` of those per provider.
 */
async function recentRuns(db: Db, providerIds: readonly number[], limit: number): Promise<Map<number, { rows: ImportRun[]; total: number }>> {
  const where = and(inArray(jobs.providerId, [...providerIds]), inArray(jobs.kind, IMPORT_KIND_LIST));
  const [rows, totals] = await Promise.all([
    newestIds(db, providerIds, limit).then((ids) => runsByIds(db, ids)),
    db.select({ providerId: jobs.providerId, total: count() }).from(jobs).where(where).groupBy(jobs.providerId),
  ]);
  const out = new Map<number, { rows: ImportRun[]; total: number }>(providerIds.map((id) => [id, { rows: [], total: 0 }]));
  for (const t of totals) if (t.providerId !== null) out.get(t.providerId)!.total = Number(t.total);
  for (const r of rows.map(toRun)) {
    const entry = out.get(r.providerId as number);
    if (entry && entry.rows.length < limit) entry.rows.push(r);
  }
  return out;
}

export type ImportPanel = {
  data: { provider: { id: number; name: string; isActive: boolean }; statuses: ResourceStatus[]; schedules: ImportSchedule[]; runs: ImportRun[] };
  total: number;
  page: number;
  pageSize: number;
};

/**
 * The imports panels of many providers (the /imports page): a constant number of queries, not a
 * few per provider, so the page costs the same with 1 provider or 50.
 */
export async function loadImportPanels(
  db: Db,
  list: ReadonlyArray<{ id: number; name: string; isActive: boolean }>,
  opts: { recent: number },
): Promise<ImportPanel[]> {
  if (list.length === 0) return [];
  const ids = list.map((p) => p.id);
  const [statuses, schedules, runs] = await Promise.all([importStatuses(db, ids), listSchedulesOf(db, ids), recentRuns(db, ids, opts.recent)]);
  return list.map((p) => ({
    data: {
      provider: { id: p.id, name: p.name, isActive: p.isActive },
      statuses: statuses.get(p.id)!,
      schedules: schedules.get(p.id) ?? [],
      runs: runs.get(p.id)!.rows,
    },
    total: runs.get(p.id)!.total,
    page: 1,
    pageSize: opts.recent,
  }));
}

/** What the imports panel of one provider shows; creates its default schedules when missing. */
export async function loadImportPanel(
  db: Db,
  provider: { id: number; name: string; isActive: boolean },
  history: { page?: number; pageSize?: number; resource?: ImportResource } = {},
) {
  const [statuses, schedules, runs] = await Promise.all([
    importStatus(db, provider.id),
    listSchedules(db, provider.id),
    listImportRuns(db, { providerId: provider.id, ...history }),
  ]);
  return {
    data: { provider: { id: provider.id, name: provider.name, isActive: provider.isActive }, statuses, schedules, runs: runs.rows },
    total: runs.total,
    page: runs.page,
    pageSize: runs.pageSize,
  };
}
