import { and, eq, isNull, or, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { identities, jobs } from "@/lib/db/schema";

/**
 * Marks the identity as worked on by this job unless another live job holds it. A job that
 * died (failed, cancelled, or gone) no longer counts, and a job picked up again after a
 * restart keeps its own claim.
 */
export async function claimIdentity(db: Db, identityId: number, jobId: string): Promise<boolean> {
  const rows = await db
    .update(identities)
    .set({ jobId })
    .where(
      and(
        eq(identities.id, identityId),
        or(
          isNull(identities.jobId),
          eq(identities.jobId, jobId),
          sql`not exists (select 1 from ${jobs} where ${jobs.id} = ${identities.jobId} and ${jobs.state} in ('queued', 'running'))`,
        ),
      ),
    )
    .returning({ id: identities.id });
  return rows.length > 0;
}

export async function releaseIdentity(db: Db, identityId: number, jobId: string): Promise<void> {
  await db
    .update(identities)
    .set({ jobId: null })
    .where(and(eq(identities.id, identityId), eq(identities.jobId, jobId)));
}
