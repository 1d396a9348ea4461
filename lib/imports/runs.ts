import { and, count, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { jobs, users, type Job } from "@/lib/db/schema";
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
import { listSchedules } from "./schedules";

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

/** Per resource: the live run, the last finished run and the last successful one. */
export async function importStatus(db: Db, providerId: number): Promise<ResourceStatus[]> {
  return Promise.all(
    IMPORT_RESOURCES.map(async (resource) => {
      const base = and(eq(jobs.providerId, providerId), eq(jobs.kind, IMPORT_KINDS[resource]));
      const pick = (state: "live" | "finished" | "succeeded") =>
        db
          .select(runColumns)
          .from(jobs)
          .leftJoin(users, eq(users.id, jobs.createdBy))
          .where(
            and(
              base,
              state === "live"
                ? inArray(jobs.state, ["queued", "running"])
                : state === "succeeded"
                  ? eq(jobs.state, "succeeded")
                  : inArray(jobs.state, ["succeeded", "failed", "cancelled"]),
            ),
          )
          .orderBy(desc(jobs.createdAt))
          .limit(1);
      const [[live], [last], [lastSuccess]] = await Promise.all([pick("live"), pick("finished"), pick("succeeded")]);
      const run = (r: unknown) => (r ? toRun(r as RunRow) : null);
      return { resource, live: run(live), last: run(last), lastSuccess: run(lastSuccess) };
    }),
  );
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
