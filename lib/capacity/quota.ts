// Quota against capacity, kept apart so managed quotas (another issue) can replace the source:
// anything returning a QuotaReading feeds the oversubscription figures.
import { and, eq, isNotNull, isNull } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { identities } from "@/lib/db/schema";
import { sumQuotas } from "@/lib/domain/capacity";
import { mapLimit } from "@/lib/imports/run";
import type { OpenStackClient } from "@/lib/openstack";
import { redactSecrets } from "@/lib/redact";
import type { QuotaReading } from "./types";

/** Quota-set reads in flight at once: Nova is shared with everyone else's work. */
export const QUOTA_CONCURRENCY = 6;

/** A source of granted quota for one provider. */
export type QuotaSource = (db: Db, providerId: number) => Promise<QuotaReading>;

/** The OpenStack projects of Cloudport's live accounts on the provider. */
export async function accountProjectIds(db: Db, providerId: number): Promise<string[]> {
  const rows = await db
    .selectDistinct({ projectId: identities.projectId })
    .from(identities)
    .where(and(eq(identities.providerId, providerId), isNull(identities.endDate), isNotNull(identities.projectId)));
  return rows.map((r) => r.projectId!).sort();
}

/** Reads Nova's quota set of every account project (bounded concurrency); failures are counted, not fatal. */
export function novaQuotaSource(client: OpenStackClient, concurrency = QUOTA_CONCURRENCY): QuotaSource {
  return async (db, providerId) => {
    const projects = await accountProjectIds(db, providerId);
    const errors: string[] = [];
    const sets = await mapLimit(projects, concurrency, async (projectId) => {
      try {
        const q = await client.compute.quotaSets.get(projectId);
        return { cores: q.cores, ramMb: q.ramMb };
      } catch (error) {
        if (errors.length < 5) errors.push(`${projectId}: ${redactSecrets(error instanceof Error ? error.message : String(error))}`);
        return null;
      }
    });
    const read = sets.filter((s): s is { cores: number; ramMb: number } => s !== null);
    return { source: "nova-quota-sets", projects: projects.length, read: read.length, failed: projects.length - read.length, granted: sumQuotas(read), errors };
  };
}
