// Applying quota values to an account's project: refuse values below usage (with the numbers),
// write through the three quota APIs, read them back, record what the cloud has.
import type { Db } from "@/lib/db/client";
import type { Identity } from "@/lib/db/schema";
import {
  belowUsage,
  describeBelowUsage,
  effectiveQuota,
  quotaDifferences,
  QUOTA_SERVICES,
  type BelowUsage,
  type QuotaKey,
  type QuotaService,
  type QuotaValues,
} from "@/lib/domain/quotas";
import type { OpenStackClient } from "@/lib/openstack/client";
import { quotaServicesOf, readProjectLimits, readProjectQuota, skippedNote, writeProjectQuota } from "./cloud";
import { desiredQuotaOf, setIdentityQuota, type Tier } from "./tiers";
import { leavesQuotaAlone } from "@/lib/accounts/adoption";

/** A value below what the project uses: nothing was changed. */
export class QuotaBelowUsageError extends Error {
  override name = "QuotaBelowUsageError";
  constructor(readonly items: BelowUsage[]) {
    super(describeBelowUsage(items));
  }
}

export type AppliedQuota = {
  /** The cloud's limits before and after (read back), for the services present. */
  before: Partial<QuotaValues>;
  after: Partial<QuotaValues>;
  /** Keys the cloud had different (and now has as wanted); empty: nothing was written. */
  changed: QuotaKey[];
  /** Set when a service was skipped. */
  note: string | null;
  skipped: QuotaService[];
};

const only = (values: QuotaValues, services: QuotaService[]): Partial<QuotaValues> => {
  const out: Partial<QuotaValues> = {};
  for (const s of services) for (const k of QUOTA_SERVICES[s]) out[k] = values[k];
  return out;
};

/**
 * Applies values (with the security-group-rule floor) to a project: reads limits and usage,
 * refuses any value below usage (QuotaBelowUsageError, nothing written), writes through Nova,
 * Cinder and Neutron, and reads the limits back; a value the cloud did not keep is an error.
 */
export async function applyProjectQuota(
  client: OpenStackClient,
  projectId: string,
  values: QuotaValues,
  options: {
    fresh?: boolean;
    /** Keys held below usage on purpose (enforcement's cores 0): not refused, written with force. */
    held?: QuotaKey[];
  } = {},
): Promise<AppliedQuota> {
  const { present, skipped } = quotaServicesOf(client);
  const wanted = only(effectiveQuota(values), present);
  if (options.fresh) {
    // A project created a moment ago by this caller: nothing in use, so write every value.
    await writeProjectQuota(client, projectId, wanted, present);
    const after = await readProjectLimits(client, projectId, present);
    refuseUnkept(wanted, after);
    return { before: {}, after, changed: Object.keys(wanted) as QuotaKey[], note: skippedNote(skipped), skipped };
  }
  const current = await readProjectQuota(client, projectId);
  const held = new Set(options.held ?? []);
  const low = belowUsage(wanted, current.usage).filter((b) => !held.has(b.key));
  if (low.length) throw new QuotaBelowUsageError(low);
  const changed = quotaDifferences(wanted, current.values).map((d) => d.key);
  if (changed.length === 0) return { before: current.values, after: current.values, changed, note: skippedNote(skipped), skipped };
  await writeProjectQuota(client, projectId, wanted, present, { force: held.size > 0 });
  const after = await readProjectLimits(client, projectId, present);
  refuseUnkept(wanted, after);
  return { before: current.values, after, changed, note: skippedNote(skipped), skipped };
}

/** A value the cloud did not keep (read back different) is an error. */
function refuseUnkept(wanted: Partial<QuotaValues>, after: Partial<QuotaValues>): void {
  const kept = quotaDifferences(wanted, after);
  if (kept.length) {
    throw new Error(`The cloud did not keep every value: ${kept.map((d) => `${d.key} set ${d.want}, read back ${d.have}`).join("; ")}.`);
  }
}

export type AccountQuotaChange = {
  /** undefined: keep; null: the provider's default tier. */
  tierId?: number | null;
  /** undefined: keep; null: none. */
  custom?: Partial<QuotaValues> | null;
};

export type AccountQuotaResult = AppliedQuota & {
  tier: Tier | null;
  values: QuotaValues;
  /** The project was adopted with its quota left alone, and this change took the quota over. */
  tookOver: boolean;
};

/** A project adopted without its quota: only a superuser, one account at a time, takes it over. */
export class QuotaLeftAloneError extends Error {
  constructor() {
    super(
      "This project was adopted with its quota left as its owners set it, so Cloudport does not change it. A superuser can take the quota over by setting it on this account's page.",
    );
    this.name = "QuotaLeftAloneError";
  }
}

/**
 * Changes an account's tier and/or custom values and applies the result to its project. The
 * new choice is stored only once the cloud has it.
 */
export async function changeAccountQuota(
  db: Db,
  client: OpenStackClient,
  identity: Identity,
  change: AccountQuotaChange,
  tiers?: Tier[],
  opts: { takeOverAdopted?: boolean } = {},
): Promise<AccountQuotaResult> {
  if (!identity.projectId) throw new Error("This account has no project yet: provision it first.");
  const takeOver = leavesQuotaAlone(identity);
  if (takeOver && !opts.takeOverAdopted) throw new QuotaLeftAloneError();
  const next = {
    providerId: identity.providerId,
    quotaTierId: change.tierId === undefined ? identity.quotaTierId : change.tierId,
    quotaCustom: change.custom === undefined ? identity.quotaCustom : change.custom,
  };
  const desired = await desiredQuotaOf(db, next, tiers);
  if (!desired.values) throw new Error("This provider has no quota tier to apply: create one first.");
  const applied = await applyProjectQuota(client, identity.projectId, desired.values);
  await setIdentityQuota(db, identity.id, {
    quotaTierId: next.quotaTierId,
    quotaCustom: (next.quotaCustom as Partial<QuotaValues> | null) ?? null,
    quotaApplied: applied.after,
    ...(takeOver ? { adoptQuota: true } : {}),
  });
  return { ...applied, tier: desired.tier, values: desired.values, tookOver: takeOver };
}
