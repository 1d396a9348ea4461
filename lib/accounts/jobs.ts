import { z } from "zod";
import { env } from "@/lib/env";
import type { JobContext } from "@/lib/jobs/runner";
import { failureSummary, refuseIfDeactivated, runProvisionBatch, runRemoveBatch } from "./batch";
import { openAdminClient } from "@/lib/providers/connection";

export const PROVISION_JOB = "accounts.provision";
export const REMOVE_JOB = "accounts.remove";
export const ACCOUNT_JOB_KINDS = [PROVISION_JOB, REMOVE_JOB];


export const provisionParamsSchema = z.object({
  providerId: z.number().int().positive(),
  usernames: z.array(z.string().min(1)).min(1),
  rebuild: z.boolean().default(false),
});
export type ProvisionJobParams = z.output<typeof provisionParamsSchema>;

export const removeParamsSchema = z.object({
  providerId: z.number().int().positive(),
  identityIds: z.array(z.number().int().positive()).min(1),
});
export type RemoveJobParams = z.output<typeof removeParamsSchema>;

// The per-user table is rewritten whole on each report: large batches report less often.
const reportInterval = (users: number) => Math.min(5_000, Math.max(500, users * 2));

/** The accounts.provision job: every user of the batch, with per-user status in the job's counts. */
export async function provisionJobHandler({ job, db, progress, signal }: JobContext) {
  const params = provisionParamsSchema.parse(job.params);
  const report = (c: Parameters<typeof progress>[0]["counts"], text: string, p: number) => progress({ counts: c, progressText: text, progress: p });
  const deactivated = await refuseIfDeactivated(db, params.providerId, params.usernames, { report });
  if (deactivated) throw new Error(deactivated);
  const { provider, accountSecret, client } = await openAdminClient(db, params.providerId);
  try {
    const counts = await runProvisionBatch(db, client, provider, accountSecret, params, {
      // Accounts provisioned at once within one job.
      concurrency: env().CLOUDPORT_ACCOUNT_CONCURRENCY,
      signal,
      jobId: job.id,
      report: (c, text, p) => progress({ counts: c, progressText: text, progress: p }),
      reportEveryMs: reportInterval(params.usernames.length),
    });
    if (counts.failed) throw new Error(failureSummary(counts, "accounts"));
    return { done: counts.done, failed: 0 };
  } finally {
    await client.close();
  }
}

/** The accounts.remove job. */
export async function removeJobHandler({ job, db, progress, signal }: JobContext) {
  const params = removeParamsSchema.parse(job.params);
  const { provider, client } = await openAdminClient(db, params.providerId);
  try {
    const counts = await runRemoveBatch(db, client, provider, params, {
      // Accounts provisioned at once within one job.
      concurrency: env().CLOUDPORT_ACCOUNT_CONCURRENCY,
      signal,
      jobId: job.id,
      report: (c, text, p) => progress({ counts: c, progressText: text, progress: p }),
      reportEveryMs: reportInterval(params.identityIds.length),
    });
    if (counts.failed) throw new Error(failureSummary(counts, "removals"));
    return { done: counts.done, failed: 0 };
  } finally {
    await client.close();
  }
}
