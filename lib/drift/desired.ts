// What an account's project should hold, as both the drift check and Apply see it: the tier (or
// the provider's default) with the account's custom values, the security_group_rule floor, and
// cores 0 while enforcement holds the account. One definition, so Apply writes exactly what the
// next check expects.
import { and, eq, inArray, isNotNull } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { enforcementStates, type Identity } from "@/lib/db/schema";
import type { QuotaValues } from "@/lib/domain/quotas";
import { desiredQuotaOf, type Tier } from "@/lib/quotas/tiers";
import { leavesQuotaAlone } from "@/lib/accounts/adoption";

/** Accounts whose cores enforcement set to 0 (held until the restore). */
export async function coresHeldIds(db: Db, providerId: number, identityIds?: number[]): Promise<Set<number>> {
  const rows = await db
    .select({ id: enforcementStates.identityId })
    .from(enforcementStates)
    .where(
      and(
        eq(enforcementStates.providerId, providerId),
        eq(enforcementStates.action, "zero_cores"),
        isNotNull(enforcementStates.enforcedAt),
        ...(identityIds ? [inArray(enforcementStates.identityId, identityIds.length ? identityIds : [-1])] : []),
      ),
    );
  return new Set(rows.map((r) => r.id));
}

/**
 * Tier + custom values, with cores 0 while held. Not floored. Null: nothing to hold — no tier,
 * or a project adopted without its quota (its owners' values are not drift).
 */
export async function driftDesiredQuota(
  db: Db,
  identity: Pick<Identity, "id" | "providerId" | "quotaTierId" | "quotaCustom" | "adoptedAt" | "adoptQuota">,
  tiers: Tier[] | undefined,
  held: Set<number>,
): Promise<QuotaValues | null> {
  if (leavesQuotaAlone(identity)) return null;
  const values = (await desiredQuotaOf(db, identity, tiers)).values;
  return values && held.has(identity.id) ? { ...values, cores: 0 } : values;
}

