// Making the cloud match (Apply) or Cloudport match the cloud (Accept) for drift findings.
import { and, eq, inArray } from "drizzle-orm";
import { claimIdentity, releaseIdentity } from "@/lib/accounts/claim";
import { prepareProvisioning, provisionAccount } from "@/lib/accounts/provision";
import { PROVISION_STEPS, type ProvisionStep } from "@/lib/accounts/steps";
import type { Db } from "@/lib/db/client";
import { driftFindings, identities, users, type DriftFinding, type Provider } from "@/lib/db/schema";
import { effectiveQuota, formatQuota, SECURITY_GROUP_RULE_FLOOR, type QuotaKey } from "@/lib/domain/quotas";
import type { OpenStackClient } from "@/lib/openstack/client";
import { applyProjectQuota } from "@/lib/quotas/service";
import { customOf, listTiers, setIdentityQuota } from "@/lib/quotas/tiers";
import { coresHeldIds, driftDesiredQuota } from "./desired";
import { leavesQuotaAlone } from "@/lib/accounts/adoption";

export async function findingsByIds(db: Db, providerId: number, ids: number[]): Promise<DriftFinding[]> {
  if (!ids.length) return [];
  return db.select().from(driftFindings).where(and(eq(driftFindings.providerId, providerId), inArray(driftFindings.id, ids)));
}

export type ApplyOutcome = { identityId: number; username: string; fields: string[]; ok: boolean; error?: string; changes: string[] };

/** The provisioning steps that repair a finding (each re-creates only what is missing). */
const REPAIR_STEPS: Record<string, readonly ProvisionStep[]> = {
  // A project re-created from nothing needs everything that hangs off it.
  project: PROVISION_STEPS,
  user: ["user", "roles"],
  "role.user": ["roles"],
  "role.admin": ["roles"],
  security_rules: ["security_rules"],
  // A subnet lives on its network, and the router interface on the subnet.
  network: ["network", "subnet", "router"],
  subnet: ["subnet", "router"],
  router_interface: ["router"],
};

/** The steps Apply runs for an account's findings (a disabled project and quotas need none). */
export function repairStepsOf(findings: Pick<DriftFinding, "field" | "actual">[]): ProvisionStep[] {
  const wanted = new Set<ProvisionStep>();
  for (const f of findings) {
    if (f.field.startsWith("quota.") || (f.field === "project" && f.actual === "disabled")) continue;
    for (const step of REPAIR_STEPS[f.field] ?? []) wanted.add(step);
  }
  return PROVISION_STEPS.filter((s) => wanted.has(s));
}

export type ApplyOptions = {
  /** The drift.apply job: claims each account as provisioning does (never two jobs on one). */
  jobId?: string;
  onAccount?: (o: ApplyOutcome) => Promise<void> | void;
};

/**
 * Applies findings, grouped by account, repairing only what they name: a disabled project is
 * enabled; a missing user, role, security rules, network, subnet or router interface is
 * re-created by its provisioning step (an existing user keeps its password); quotas are
 * recomputed now (the account's current tier and custom values, the security_group_rule floor,
 * cores 0 while enforcement holds it — never the values saved at check time) and applied like a
 * tier change: refused below usage, read back. Extra roles are never removed. Fixed findings
 * are deleted.
 */
export async function applyFindings(
  db: Db,
  client: OpenStackClient,
  provider: Provider,
  accountSecret: string,
  findings: DriftFinding[],
  options: ApplyOptions = {},
): Promise<ApplyOutcome[]> {
  const byIdentity = new Map<number, DriftFinding[]>();
  for (const f of findings.filter((x) => x.fixable)) byIdentity.set(f.identityId, [...(byIdentity.get(f.identityId) ?? []), f]);
  if (!byIdentity.size) return [];
  const rows = await db
    .select({ identity: identities, username: users.username })
    .from(identities)
    .innerJoin(users, eq(users.id, identities.userId))
    .where(inArray(identities.id, [...byIdentity.keys()]));
  const tiers = await listTiers(db, provider.id);
  const held = await coresHeldIds(db, provider.id, [...byIdentity.keys()]);
  let env: Awaited<ReturnType<typeof prepareProvisioning>> | null = null;
  const out: ApplyOutcome[] = [];
  for (const { identity, username } of rows) {
    const list = byIdentity.get(identity.id)!;
    const outcome: ApplyOutcome = { identityId: identity.id, username, fields: list.map((f) => f.field), ok: true, changes: [] };
    const { jobId } = options;
    let claimed = false;
    try {
      if (identity.endDate) throw new Error("This account was removed meanwhile; nothing to apply.");
      if (jobId) {
        claimed = await claimIdentity(db, identity.id, jobId);
        if (!claimed) throw new Error("Another job (provisioning or removal) is working on this account right now; apply again when it finishes.");
      }
      if (list.some((f) => f.field === "project" && f.actual === "disabled")) {
        await client.identity.projects.update(identity.projectId!, { enabled: true });
        outcome.changes.push("project enabled");
      }
      const steps = repairStepsOf(list);
      let current = identity;
      if (steps.length) {
        env ??= await prepareProvisioning(db, client, provider, accountSecret);
        // Claimed above (held until the quota is applied too), so provisioning claims nothing itself.
        const r = await provisionAccount(db, client, env, identity, username, { steps });
        current = r.identity;
        outcome.changes.push(...r.changes);
      }
      if (list.some((f) => f.field.startsWith("quota.")) && current.projectId) {
        const values = await driftDesiredQuota(db, current, tiers, held);
        if (!values) {
          throw new Error(
            leavesQuotaAlone(current)
              ? "This project was adopted with its quota left to its owners, so Cloudport does not change it; run a check again."
              : "This account has no quota tier any more (the provider has none): there is no value to apply; run a check again.",
          );
        }
        const r = await applyProjectQuota(client, current.projectId, values, { held: held.has(identity.id) ? ["cores"] : [] });
        await setIdentityQuota(db, identity.id, { quotaApplied: r.after });
        outcome.changes.push(...r.changed.map((k) => `${k} ${formatQuota(r.after[k])}`));
        if (r.note) outcome.changes.push(r.note);
      }
      await db.delete(driftFindings).where(inArray(driftFindings.id, list.map((f) => f.id)));
    } catch (e) {
      outcome.ok = false;
      outcome.error = e instanceof Error ? e.message : String(e);
    } finally {
      if (claimed && jobId) await releaseIdentity(db, identity.id, jobId);
    }
    out.push(outcome);
    await options.onAccount?.(outcome);
  }
  return out;
}

/**
 * Accept: the cloud's quota value becomes the account's own (custom) value, so it is no
 * longer drift. Only quota findings can be accepted, and only when the next check would agree:
 * a value under the security_group_rule floor, or cores while enforcement holds them at 0,
 * would come straight back as drift, so those are refused with the reason.
 */
export async function acceptFinding(db: Db, finding: DriftFinding): Promise<{ key: QuotaKey; value: number }> {
  if (!finding.field.startsWith("quota.") || finding.actual === null) {
    throw new Error("Only a quota value can be accepted; apply or ignore this difference instead.");
  }
  const key = finding.field.slice(6) as QuotaKey;
  const value = Number(finding.actual);
  const [identity] = await db.select().from(identities).where(eq(identities.id, finding.identityId));
  if (!identity) throw new Error("This account is gone; reload the page.");
  const custom = { ...(customOf(identity.quotaCustom) ?? {}), [key]: value };
  const held = await coresHeldIds(db, identity.providerId, [identity.id]);
  if (key === "cores" && held.has(identity.id)) {
    throw new Error(
      `Enforcement holds this account's cores at 0 until its allocation is refreshed (or its override is set to "never"), so a cores value of ${formatQuota(value)} cannot be accepted now. Apply puts 0 back; Ignore leaves the cloud as it is.`,
    );
  }
  const next = await driftDesiredQuota(db, { ...identity, quotaCustom: custom }, undefined, held);
  const wanted = next ? effectiveQuota(next)[key] : undefined;
  if (wanted !== value) {
    throw new Error(
      key === "security_group_rule"
        ? `Cloudport keeps security_group_rule at least ${SECURITY_GROUP_RULE_FLOOR} (or unlimited), so the cloud's ${formatQuota(value)} cannot be accepted. Apply sets it back to ${formatQuota(wanted)}; Ignore leaves the cloud as it is.`
        : `Accepting ${key} ${formatQuota(value)} would still differ from what Cloudport holds (${formatQuota(wanted)}); apply or ignore this difference instead.`,
    );
  }
  await setIdentityQuota(db, identity.id, { quotaCustom: custom });
  await db.delete(driftFindings).where(eq(driftFindings.id, finding.id));
  return { key, value };
}

/** Ignore until the cloud's value changes again (the next check reopens it then). */
export async function ignoreFinding(db: Db, finding: DriftFinding): Promise<void> {
  await db.update(driftFindings).set({ status: "ignored" }).where(eq(driftFindings.id, finding.id));
}
