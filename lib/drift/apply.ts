// Making the cloud match (Apply) or Cloudport match the cloud (Accept) for drift findings.
import { and, eq, inArray } from "drizzle-orm";
import { prepareProvisioning, provisionAccount } from "@/lib/accounts/provision";
import type { Db } from "@/lib/db/client";
import { driftFindings, identities, users, type DriftFinding, type Provider } from "@/lib/db/schema";
import type { QuotaKey, QuotaValues } from "@/lib/domain/quotas";
import type { OpenStackClient } from "@/lib/openstack/client";
import { quotaServicesOf, writeProjectQuota } from "@/lib/quotas/cloud";
import { customOf, setIdentityQuota } from "@/lib/quotas/tiers";

export async function findingsByIds(db: Db, providerId: number, ids: number[]): Promise<DriftFinding[]> {
  if (!ids.length) return [];
  return db.select().from(driftFindings).where(and(eq(driftFindings.providerId, providerId), inArray(driftFindings.id, ids)));
}

export type ApplyOutcome = { identityId: number; username: string; fields: string[]; ok: boolean; error?: string; changes: string[] };

/**
 * Applies findings, grouped by account: quota values are written back; a disabled project is
 * enabled; anything structural (project, user, roles, network, subnet, router interface,
 * security rules) re-runs provisioning, which finds what exists and re-creates what is
 * missing. Extra roles are never removed. Fixed findings are deleted.
 */
export async function applyFindings(
  db: Db,
  client: OpenStackClient,
  provider: Provider,
  accountSecret: string,
  findings: DriftFinding[],
  onAccount?: (o: ApplyOutcome) => Promise<void> | void,
): Promise<ApplyOutcome[]> {
  const byIdentity = new Map<number, DriftFinding[]>();
  for (const f of findings.filter((x) => x.fixable)) byIdentity.set(f.identityId, [...(byIdentity.get(f.identityId) ?? []), f]);
  if (!byIdentity.size) return [];
  const rows = await db
    .select({ identity: identities, username: users.username })
    .from(identities)
    .innerJoin(users, eq(users.id, identities.userId))
    .where(inArray(identities.id, [...byIdentity.keys()]));
  const { present } = quotaServicesOf(client);
  let env: Awaited<ReturnType<typeof prepareProvisioning>> | null = null;
  const out: ApplyOutcome[] = [];
  for (const { identity, username } of rows) {
    const list = byIdentity.get(identity.id)!;
    const outcome: ApplyOutcome = { identityId: identity.id, username, fields: list.map((f) => f.field), ok: true, changes: [] };
    try {
      const quota: Partial<QuotaValues> = {};
      for (const f of list) if (f.field.startsWith("quota.") && f.desired !== null) quota[f.field.slice(6) as QuotaKey] = Number(f.desired);
      const structural = list.filter((f) => !f.field.startsWith("quota.") && !(f.field === "project" && f.actual === "disabled"));
      if (list.some((f) => f.field === "project" && f.actual === "disabled")) {
        await client.identity.projects.update(identity.projectId!, { enabled: true });
        outcome.changes.push("project enabled");
      }
      if (structural.length) {
        env ??= await prepareProvisioning(db, client, provider, accountSecret);
        const r = await provisionAccount(db, client, env, identity, username, { rebuild: true });
        outcome.changes.push(...r.changes);
      }
      if (Object.keys(quota).length && identity.projectId) {
        await writeProjectQuota(client, identity.projectId, quota, present);
        outcome.changes.push(...Object.entries(quota).map(([k, v]) => `${k} ${v}`));
      }
      await db.delete(driftFindings).where(inArray(driftFindings.id, list.map((f) => f.id)));
    } catch (e) {
      outcome.ok = false;
      outcome.error = e instanceof Error ? e.message : String(e);
    }
    out.push(outcome);
    await onAccount?.(outcome);
  }
  return out;
}

/**
 * Accept: the cloud's quota value becomes the account's own (custom) value, so it is no
 * longer drift. Only quota findings can be accepted.
 */
export async function acceptFinding(db: Db, finding: DriftFinding): Promise<{ key: QuotaKey; value: number }> {
  if (!finding.field.startsWith("quota.") || finding.actual === null) {
    throw new Error("Only a quota value can be accepted; apply or ignore this difference instead.");
  }
  const key = finding.field.slice(6) as QuotaKey;
  const value = Number(finding.actual);
  const [row] = await db.select({ quotaCustom: identities.quotaCustom }).from(identities).where(eq(identities.id, finding.identityId));
  await setIdentityQuota(db, finding.identityId, { quotaCustom: { ...(customOf(row?.quotaCustom) ?? {}), [key]: value } });
  await db.delete(driftFindings).where(eq(driftFindings.id, finding.id));
  return { key, value };
}

/** Ignore until the cloud's value changes again (the next check reopens it then). */
export async function ignoreFinding(db: Db, finding: DriftFinding): Promise<void> {
  await db.update(driftFindings).set({ status: "ignored" }).where(eq(driftFindings.id, finding.id));
}
