// The quotas.bulk job: one tier (and/or custom values) applied to a selection of accounts,
// with per-account outcome and progress. Opens the provider once through openAdminClient.
import { ofTotal } from "@/lib/domain/format";
import { byName } from "@/lib/domain/by-name";
import { z } from "zod";
import { and, eq, inArray, isNull } from "drizzle-orm";
import { openAdminClient } from "@/lib/providers/connection";
import { identities, users } from "@/lib/db/schema";
import type { JobContext } from "@/lib/jobs/runner";
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

export async function bulkQuotaJobHandler({ job, db, progress, signal }: JobContext) {
  const params = bulkQuotaParamsSchema.parse(job.params);
  const rows = await db
    .select({ identity: identities, username: users.username })
    .from(identities)
    .innerJoin(users, eq(users.id, identities.userId))
    .where(and(eq(identities.providerId, params.providerId), inArray(identities.id, params.identityIds), isNull(identities.endDate)));
  const { client } = await openAdminClient(db, params.providerId);
  const tiers = await listTiers(db, params.providerId);
  // Keyed by username: "__proto__" is a username like any other.
  const board = byName<Outcome>();
  let done = 0;
  let failed = 0;
  let next = 0;
  const report = () =>
    progress({
      progress: rows.length ? (done + failed) / rows.length : 1,
      progressText: ofTotal(done + failed, rows.length, "account", failed),
      counts: { total: rows.length, done, failed, users: board },
    });
  try {
    await report();
    await Promise.all(
      Array.from({ length: Math.min(CONCURRENCY, rows.length) }, async () => {
        while (next < rows.length) {
          signal.throwIfAborted();
          const { identity, username } = rows[next++];
          try {
            const r = await changeAccountQuota(
              db,
              client,
              identity,
              { tierId: params.tierId, ...(params.clearCustom ? { custom: null } : {}) },
              tiers,
            );
            board[username] = { status: "done", changed: r.changed };
            done++;
            await createAuditEntry(db, params.actor ?? { id: null, username: "system" }, {
              action: "quotas.apply",
              targetType: "identity",
              targetId: identity.id,
              details: { providerId: params.providerId, username, jobId: job.id, tier: r.tier?.name ?? null, before: r.before, after: r.after, note: r.note },
            });
          } catch (e) {
            board[username] = { status: "failed", error: e instanceof Error ? e.message : String(e) };
            failed++;
          }
          await report();
        }
      }),
    );
    if (failed) throw new Error(`${ofTotal(failed, rows.length, "account")} could not be changed; the job's table says why.`);
    return { done, failed };
  } finally {
    await client.close();
  }
}

export function registerQuotaJobHandlers(register: (kind: string, handler: (ctx: JobContext) => Promise<unknown>) => void): void {
  register(QUOTA_BULK_JOB, bulkQuotaJobHandler);
}
