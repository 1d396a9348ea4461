// The enforcement.run job (one provider) and the schedule that queues it (while enabled, or for
// "always" accounts and accounts still held).
import { ofTotal } from "@/lib/domain/format";
import { and, eq, lte, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { createAuditEntry } from "@/lib/db/queries/audit";
import { enforcementOverrides, enforcementPolicies, enforcementStates, identities } from "@/lib/db/schema";
import { enqueueJob } from "@/lib/jobs/queue";
import type { JobContext } from "@/lib/jobs/runner";
import { mailerFromEnv, staffAddresses, type Mailer } from "@/lib/mail/mailer";
import { openAdminClient } from "@/lib/providers/connection";
import { redactSecrets } from "@/lib/redact";
import { runEnforcement } from "./run";

export const ENFORCEMENT_RUN_JOB = "enforcement.run";

const actor = z.object({ id: z.number().int().nullable(), username: z.string() });
const runParams = z.object({ providerId: z.number().int().positive(), actor: actor.optional(), trigger: z.enum(["schedule", "manual"]).default("manual") });

/** Queues a run on the provider (or returns the one queued or running). */
export function enqueueEnforcementRun(db: Db, providerId: number, by?: { id: number | null; username: string }) {
  return enqueueJob(db, {
    kind: ENFORCEMENT_RUN_JOB,
    providerId,
    params: { providerId, trigger: by ? "manual" : "schedule", ...(by ? { actor: by } : {}) },
    createdBy: by?.id ?? null,
    maxAttempts: 1,
    dedupeKey: `${ENFORCEMENT_RUN_JOB}:${providerId}`,
  });
}

/** The job handler; `mailer` is swapped in tests (a real SMTP server on loopback). */
export function enforcementJobHandler(mailer: () => Mailer = mailerFromEnv) {
  return async ({ job, db, progress, signal }: JobContext) => {
    const params = runParams.parse(job.params);
    const { provider, client } = await openAdminClient(db, params.providerId);
    try {
      await progress({ progress: 0.02, progressText: "Measuring usage against allocations" });
      const summary = await runEnforcement(db, client, provider.id, {
        jobId: job.id,
        actor: params.actor,
        mailer: mailer(),
        staffEmails: staffAddresses(),
        providerName: provider.name,
        signal,
        scheduled: params.trigger === "schedule",
        onProgress: (done, total, failed) =>
          progress({
            progress: total ? done / total : 1,
            progressText: `${ofTotal(done, total, "account")} at a threshold${failed ? `, ${failed} failed` : ""}`,
          }),
      });
      await db.update(enforcementPolicies).set({ lastRunAt: new Date() }).where(eq(enforcementPolicies.providerId, provider.id));
      const { outcomes, ...counts } = summary;
      await progress({
        progress: 1,
        progressText: `${counts.notified} notified, ${counts.enforced} enforced, ${counts.restored} restored${counts.failed ? `, ${counts.failed} failed` : ""}`,
        counts: { ...counts, users: outcomes },
      });
      await createAuditEntry(db, params.actor ?? { id: null, username: "system" }, {
        action: "enforcement.run",
        targetType: "provider",
        targetId: provider.id,
        details: { ...counts, trigger: params.trigger, jobId: job.id },
      });
      if (summary.failed) throw new Error(`${summary.failed} account${summary.failed === 1 ? "" : "s"} could not be enforced or restored; the job's table says why.`);
      return counts;
    } finally {
      await client.close();
    }
  };
}

export function registerEnforcementJobHandlers(register: (kind: string, handler: (ctx: JobContext) => Promise<unknown>) => void): void {
  register(ENFORCEMENT_RUN_JOB, enforcementJobHandler());
}

/**
 * Queues a run for every provider that is due and has something to enforce: enforcement
 * enabled, or a live account "always" enforced, or an account enforcement still holds (so it is
 * given back after enforcement was switched off). Claiming is one UPDATE.
 */
export async function runEnforcementSchedulerTick(db: Db): Promise<number> {
  const p = enforcementPolicies.providerId;
  const due = await db
    .update(enforcementPolicies)
    .set({ nextRunAt: sql`now() + make_interval(secs => ${enforcementPolicies.intervalSeconds})` })
    .where(
      and(
        lte(enforcementPolicies.nextRunAt, sql`now()`),
        or(
          eq(enforcementPolicies.enabled, true),
          sql`exists (select 1 from ${enforcementOverrides} o join ${identities} i on i.id = o.identity_id where i.provider_id = ${p} and i.end_date is null and o.override = 'always')`,
          sql`exists (select 1 from ${enforcementStates} s where s.provider_id = ${p} and s.enforced_at is not null)`,
        ),
      ),
    )
    .returning({ providerId: enforcementPolicies.providerId });
  for (const d of due) await enqueueEnforcementRun(db, d.providerId);
  return due.length;
}

/** Ticks the enforcement schedule in this process; returns a stop function. */
export function startEnforcementScheduler(getDb: () => Promise<Db>, tickMs = 60_000): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = async () => {
    if (stopped) return;
    try {
      await runEnforcementSchedulerTick(await getDb());
    } catch (error) {
      console.error(`[enforcement] scheduler tick failed: ${redactSecrets(error instanceof Error ? error.message : String(error))}`);
    }
    if (!stopped) timer = setTimeout(tick, tickMs);
  };
  timer = setTimeout(tick, Math.min(tickMs, 20_000));
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
