// drift.check and drift.apply jobs, and the hourly schedule that queues checks.
import { byName } from "@/lib/domain/by-name";
import { and, eq, lte, sql } from "drizzle-orm";
import { z } from "zod";
import { openAdminClient } from "@/lib/providers/connection";
import type { Db } from "@/lib/db/client";
import { createAuditEntry } from "@/lib/db/queries/audit";
import { driftFindings, driftSettings, providers } from "@/lib/db/schema";
import { describeFinding } from "@/lib/domain/drift";
import { enqueueJob } from "@/lib/jobs/queue";
import type { JobContext } from "@/lib/jobs/runner";
import { redactSecrets } from "@/lib/redact";
import { applyFindings, findingsByIds } from "./apply";
import { runDriftCheck } from "./check";
import { driftCheckSummary } from "./text";
import { ofTotal } from "@/lib/domain/format";

export const DRIFT_CHECK_JOB = "drift.check";
export const DRIFT_APPLY_JOB = "drift.apply";

const actor = z.object({ id: z.number().int().nullable(), username: z.string() });
const checkParams = z.object({ providerId: z.number().int().positive(), actor: actor.optional() });
const applyParams = z.object({ providerId: z.number().int().positive(), findingIds: z.array(z.number().int().positive()).min(1), actor: actor.optional() });

const SYSTEM = { id: null, username: "system" };

/** Queues a drift check of the provider (or returns the one queued or running). */
export function enqueueDriftCheck(db: Db, providerId: number, by?: { id: number | null; username: string }) {
  return enqueueJob(db, {
    kind: DRIFT_CHECK_JOB,
    providerId,
    params: { providerId, ...(by ? { actor: by } : {}) },
    createdBy: by?.id ?? null,
    maxAttempts: 1,
    dedupeKey: `${DRIFT_CHECK_JOB}:${providerId}`,
  });
}

export function enqueueDriftApply(db: Db, providerId: number, findingIds: number[], by: { id: number | null; username: string }) {
  return enqueueJob(db, {
    kind: DRIFT_APPLY_JOB,
    providerId,
    params: { providerId, findingIds, actor: by },
    createdBy: by.id,
    maxAttempts: 1,
    dedupeKey: `${DRIFT_APPLY_JOB}:${providerId}`,
  });
}

export async function driftCheckJobHandler({ job, db, progress }: JobContext) {
  const params = checkParams.parse(job.params);
  const { provider, client } = await openAdminClient(db, params.providerId);
  try {
    await progress({ progress: 0.05, progressText: "Listing the cloud" });
    const r = await runDriftCheck(db, client, provider);
    await progress({ progress: 1, progressText: driftCheckSummary(r) });
    await createAuditEntry(db, params.actor ?? SYSTEM, { action: "drift.check", targetType: "provider", targetId: provider.id, details: { ...r, jobId: job.id } });
    return r;
  } finally {
    await client.close();
  }
}

export async function driftApplyJobHandler({ job, db, progress, signal }: JobContext) {
  const params = applyParams.parse(job.params);
  const { provider, accountSecret, client } = await openAdminClient(db, params.providerId);
  try {
    const findings = await findingsByIds(db, params.providerId, params.findingIds);
    const accounts = new Set(findings.filter((f) => f.fixable).map((f) => f.identityId)).size;
    let done = 0;
    let failed = 0;
    // Keyed by username: "__proto__" is a username like any other.
    const users = byName<{ status: string; error?: string; changes?: string[] }>();
    await progress({ progress: 0, progressText: ofTotal(0, accounts, "account"), counts: { total: accounts, done, failed, users } });
    await applyFindings(db, client, provider, accountSecret, findings, {
      jobId: job.id,
      onAccount: async (o) => {
        signal.throwIfAborted();
        if (o.ok) done++;
        else failed++;
        users[o.username] = { status: o.ok ? "done" : "failed", error: o.error, changes: o.changes };
        const mine = findings.filter((f) => f.identityId === o.identityId);
        await createAuditEntry(db, params.actor ?? SYSTEM, {
          action: "drift.apply",
          targetType: "identity",
          targetId: o.identityId,
          details: { providerId: provider.id, username: o.username, ok: o.ok, error: o.error, differences: mine.map(describeFinding), changes: o.changes, jobId: job.id },
        });
        await progress({
          progress: accounts ? (done + failed) / accounts : 1,
          progressText: ofTotal(done + failed, accounts, "account", failed),
          counts: { total: accounts, done, failed, users },
        });
      },
    });
    if (failed) throw new Error(`${ofTotal(failed, accounts, "account")} could not be fixed; the job's table says why.`);
    return { done, failed };
  } finally {
    await client.close();
  }
}

export function registerDriftJobHandlers(register: (kind: string, handler: (ctx: JobContext) => Promise<unknown>) => void): void {
  register(DRIFT_CHECK_JOB, driftCheckJobHandler);
  register(DRIFT_APPLY_JOB, driftApplyJobHandler);
}

/** Queues a check for every provider whose schedule is due (default hourly); claiming is one UPDATE. */
export async function runDriftSchedulerTick(db: Db): Promise<number> {
  await db.execute(sql`insert into ${driftSettings} (provider_id) select ${providers.id} from ${providers} on conflict do nothing`);
  const due = await db
    .update(driftSettings)
    .set({ nextRunAt: sql`now() + make_interval(secs => ${driftSettings.intervalSeconds})` })
    .where(and(eq(driftSettings.enabled, true), lte(driftSettings.nextRunAt, sql`now()`)))
    .returning({ providerId: driftSettings.providerId });
  for (const d of due) await enqueueDriftCheck(db, d.providerId);
  return due.length;
}

/** Ticks the drift schedule in this process; returns a stop function. */
export function startDriftScheduler(getDb: () => Promise<Db>, tickMs = 60_000): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = async () => {
    if (stopped) return;
    try {
      await runDriftSchedulerTick(await getDb());
    } catch (error) {
      console.error(`[drift] scheduler tick failed: ${redactSecrets(error instanceof Error ? error.message : String(error))}`);
    }
    if (!stopped) timer = setTimeout(tick, tickMs);
  };
  timer = setTimeout(tick, Math.min(tickMs, 15_000));
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}

/** Open / ignored findings of a provider, newest first, paged. */
export async function findingsPage(db: Db, providerId: number, opts: { status: "open" | "ignored"; page: number; pageSize: number }) {
  const where = and(eq(driftFindings.providerId, providerId), eq(driftFindings.status, opts.status));
  const [rows, [{ n }]] = await Promise.all([
    db.select().from(driftFindings).where(where).orderBy(driftFindings.identityId, driftFindings.field).limit(opts.pageSize).offset((opts.page - 1) * opts.pageSize),
    db.select({ n: sql<number>`count(*)::int` }).from(driftFindings).where(where),
  ]);
  return { rows, total: n };
}
