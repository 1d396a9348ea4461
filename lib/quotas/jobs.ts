// The quotas.bulk job: one tier (and/or custom values) applied to a selection of accounts,
// with per-account outcome and progress. Opens the provider once through openAdminClient.
import { ofTotal } from "@/lib/domain/format";
import { byName } from "@/lib/domain/by-name";
import { z } from "zod";
import { and, eq, inArray, isNull } from "drizzle-orm";
import { openAdminClient } from "@/lib/providers/connection";
import { identities, users } from "@/lib/db/schema";
import type { Db } from "@/lib/db/client";
import type { JobContext } from "@/lib/jobs/runner";
import type { OpenStackClient } from "@/lib/openstack/client";
import { redactSecrets } from "@/lib/redact";
import { createAuditEntry } from "@/lib/db/queries/audit";
import { changeAccountQuota } from "./service";
import { listTiers } from "./tiers";

export const QUOTA_BULK_JOB = "quotas.bulk";
const CONCURRENCY = 4;

export const bulkQuotaParamsSchema = z.object({
  providerId: z.number().int().positive(),
  identityIds: z.array(z.number().int().positive()).min(1).max(10_000),
  /** null: the provider's default tier. */
  tierId: z.number().int().positive().nullable(),
  /** Clear the accounts' custom values (so the tier applies as it is). */
  clearCustom: z.boolean().default(false),
  actor: z.object({ id: z.number().int().nullable(), username: z.string() }).optional(),
});
export type BulkQuotaParams = z.output<typeof bulkQuotaParamsSchema>;

type Outcome = { status: "done" | "failed"; error?: string; changed?: string[] };

export type BulkQuotaRun = {
  jobId: string;
  progress: JobContext["progress"];
  signal: AbortSignal;
};

/**
 * Applies the tier to each live account of the selection (a few at a time): per account the
 * outcome on the job's board and an audit entry, "quotas.apply" or "quotas.apply_failed" with
 * the reason (a value below usage is refused with the numbers). Throws at the end when any failed.
 */
export async function runBulkQuota(db: Db, client: OpenStackClient, params: BulkQuotaParams, run: BulkQuotaRun): Promise<{ done: number; failed: number }> {
  const rows = await db
    .select({ identity: identities, username: users.username })
    .from(identities)
    .innerJoin(users, eq(users.id, identities.userId))
    .where(and(eq(identities.providerId, params.providerId), inArray(identities.id, params.identityIds), isNull(identities.endDate)));
  const tiers = await listTiers(db, params.providerId);
  const actor = params.actor ?? { id: null, username: "system" };
  // Keyed by username: "__proto__" is a username like any other.
  const board = byName<Outcome>();
  let done = 0;
  let failed = 0;
  let next = 0;
  const report = () =>
    run.progress({
      progress: rows.length ? (done + failed) / rows.length : 1,
      progressText: ofTotal(done + failed, rows.length, "account", failed),
      counts: { total: rows.length, done, failed, users: board },
    });
  await report();
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, rows.length) }, async () => {
      while (next < rows.length) {
        run.signal.throwIfAborted();
        const { identity, username } = rows[next++];
        try {
          const r = await changeAccountQuota(db, client, identity, { tierId: params.tierId, ...(params.clearCustom ? { custom: null } : {}) }, tiers);
          board[username] = { status: "done", changed: r.changed };
          done++;
          await createAuditEntry(db, actor, {
            action: "quotas.apply",
            targetType: "identity",
            targetId: identity.id,
            details: { providerId: params.providerId, username, jobId: run.jobId, tier: r.tier?.name ?? null, before: r.before, after: r.after, note: r.note },
          });
        } catch (e) {
          if (run.signal.aborted) throw e;
          const error = redactSecrets(e instanceof Error ? e.message : String(e));
          board[username] = { status: "failed", error };
          failed++;
          await createAuditEntry(db, actor, {
            action: "quotas.apply_failed",
            targetType: "identity",
            targetId: identity.id,
            details: { providerId: params.providerId, username, jobId: run.jobId, tierId: params.tierId, error },
          });
        }
        await report();
      }
    }),
  );
  if (failed) throw new Error(`${ofTotal(failed, rows.length, "account")} could not be changed; the job's table says why.`);
  return { done, failed };
}

export async function bulkQuotaJobHandler({ job, db, progress, signal }: JobContext) {
  const params = bulkQuotaParamsSchema.parse(job.params);
  const { client } = await openAdminClient(db, params.providerId);
  try {
    return await runBulkQuota(db, client, params, { jobId: job.id, progress, signal });
  } finally {
    await client.close();
  }
}

export function registerQuotaJobHandlers(register: (kind: string, handler: (ctx: JobContext) => Promise<unknown>) => void): void {
  register(QUOTA_BULK_JOB, bulkQuotaJobHandler);
}
