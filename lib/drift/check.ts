// The drift check of one provider: bulk listings (projects, users, one role_assignments call,
// roles, networks, subnets, ports, default security groups) plus each project's quota limits
// with bounded concurrency, compared per account (lib/domain/drift.ts) and stored.
// Imports lib/openstack/client (not the server-only index): runs in the worker and under tsx.
import { and, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { accountSettings } from "@/lib/providers/connection";
import { env } from "@/lib/env";
import { isRouterInterfacePort, missingRules, resolveDomainId } from "@/lib/accounts/provision";
import type { Db } from "@/lib/db/client";
import { driftFindings, driftSettings, identities, users, type Provider } from "@/lib/db/schema";
import { accountDrift, reconcileFindings, type CloudSnapshot, type DriftAccount, type Finding } from "@/lib/domain/drift";
import type { QuotaValues } from "@/lib/domain/quotas";
import type { OpenStackClient } from "@/lib/openstack/client";
import { quotaServicesOf, readProjectLimits } from "@/lib/quotas/cloud";
import { listTiers } from "@/lib/quotas/tiers";
import { coresHeldIds, driftDesiredQuota } from "./desired";

export const driftQuotaConcurrency = () => env().CLOUDPORT_DRIFT_CONCURRENCY;

export type DriftCheckResult = {
  accounts: number;
  findings: number;
  open: number;
  /** OpenStack API calls made (listings + quota reads). */
  calls: number;
  ms: number;
};

/** Runs `fn` over items with at most `limit` at once. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

/** The provider's live, provisioned accounts as the comparison needs them. */
export async function driftAccounts(db: Db, providerId: number): Promise<DriftAccount[]> {
  const rows = await db
    .select({ identity: identities, username: users.username })
    .from(identities)
    .innerJoin(users, eq(users.id, identities.userId))
    .where(and(eq(identities.providerId, providerId), isNull(identities.endDate), isNotNull(identities.projectId)));
  const tiers = await listTiers(db, providerId);
  // Accounts whose cores enforcement set to 0 should have 0 until the restore: not drift.
  const held = await coresHeldIds(db, providerId);
  const desiredOf = (i: (typeof rows)[number]["identity"]) => driftDesiredQuota(db, i, tiers, held);
  return Promise.all(
    rows.map(async ({ identity: i, username }) => ({
      identityId: i.id,
      username,
      projectId: i.projectId,
      openstackUserId: i.openstackUserId,
      networkId: i.networkId,
      subnetId: i.subnetId,
      routerId: i.routerId,
      desiredQuota: await desiredOf(i),
    })),
  );
}

/** Lists the cloud once for every account of the provider. */
export async function takeSnapshot(
  client: OpenStackClient,
  provider: Provider,
  accounts: DriftAccount[],
  counter: { calls: number },
  concurrency = driftQuotaConcurrency(),
): Promise<CloudSnapshot> {
  const settings = accountSettings(provider);
  const call = <T>(p: Promise<T>) => {
    counter.calls++;
    return p;
  };
  const domainId = await resolveDomainId(client, settings.domain);
  counter.calls++;
  const { present } = quotaServicesOf(client);
  // Without Neutron in the catalog there is nothing to list (nor to compare) for networks.
  const neutron = present.includes("network");
  const none = Promise.resolve([]);
  const [projects, osUsers, assignments, roles, networks, subnets, ports, groups] = await Promise.all([
    call(client.identity.projects.list({ domainId })),
    call(client.identity.users.list({ domainId })),
    call(client.identity.roleAssignments.list({})),
    call(client.identity.roles.list()),
    neutron ? call(client.network.networks.list()) : none,
    neutron ? call(client.network.subnets.list()) : none,
    neutron ? call(client.network.ports.list()) : none,
    neutron ? call(client.network.securityGroups.list({ name: "default" })) : none,
  ]);
  const roleByName = new Map(roles.map((r) => [r.name, r.id]));
  const byProject = new Map<string, Map<string, Set<string>>>();
  for (const a of assignments) {
    if (!a.projectId || !a.userId) continue;
    const m = byProject.get(a.projectId) ?? new Map<string, Set<string>>();
    byProject.set(a.projectId, m);
    const s = m.get(a.userId) ?? new Set<string>();
    m.set(a.userId, s);
    s.add(a.roleId);
  }
  const missing = new Map<string, number>();
  for (const g of groups) if (g.projectId) missing.set(g.projectId, missingRules(settings.securityRules, g.rules).length);

  const projectIds = new Set(projects.map((p) => p.id));
  const quotas = new Map<string, Partial<QuotaValues>>();
  const toRead = accounts.filter((a) => a.desiredQuota && a.projectId && projectIds.has(a.projectId));
  await mapLimit(toRead, concurrency, async (a) => {
    counter.calls += present.length;
    quotas.set(a.projectId!, await readProjectLimits(client, a.projectId!, present));
  });
  return {
    projects: new Map(projects.map((p) => [p.id, { enabled: p.enabled }])),
    users: new Set(osUsers.map((u) => u.id)),
    assignments: byProject,
    roleNames: new Map(roles.map((r) => [r.id, r.name])),
    userRoleId: roleByName.get(settings.userRoleName) ?? settings.userRoleName,
    adminRoleId: roleByName.get(settings.adminRoleName) ?? settings.adminRoleName,
    adminUserId: client.token.user.id,
    networks: new Set(networks.map((n) => n.id)),
    subnets: new Map(subnets.map((s) => [s.id, s.networkId])),
    routerInterfaces: new Set(
      ports.filter(isRouterInterfacePort).flatMap((p) => p.fixedIps.map((ip) => `${p.deviceId} ${ip.subnetId}`)),
    ),
    missingRules: missing,
    quotas,
    ...(neutron ? {} : { networkSkipped: true }),
  };
}

/** Replaces the provider's findings with this check's, keeping "ignored" where the cloud did not change. */
export async function storeFindings(db: Db, providerId: number, found: Finding[]): Promise<{ open: number }> {
  return db.transaction(async (tx) => {
    const stored = await tx
      .select({ id: driftFindings.id, identityId: driftFindings.identityId, field: driftFindings.field, actual: driftFindings.actual, status: driftFindings.status })
      .from(driftFindings)
      .where(eq(driftFindings.providerId, providerId));
    const { upsert, remove } = reconcileFindings(stored, found);
    const ids = remove.map((r) => (r as (typeof stored)[number]).id);
    if (ids.length) await tx.delete(driftFindings).where(inArray(driftFindings.id, ids));
    for (let i = 0; i < upsert.length; i += 500) {
      const chunk = upsert.slice(i, i + 500).map((f) => ({ providerId, ...f }));
      await tx
        .insert(driftFindings)
        .values(chunk)
        .onConflictDoUpdate({
          target: [driftFindings.identityId, driftFindings.field],
          set: {
            desired: sqlExcluded("desired"),
            actual: sqlExcluded("actual"),
            status: sqlExcluded("status"),
            fixable: sqlExcluded("fixable"),
            updatedAt: new Date(),
          },
        });
    }
    return { open: upsert.filter((u) => u.status === "open").length };
  });
}

const sqlExcluded = (col: string) => sql.raw(`excluded.${col}`);

/** One full check of a provider: snapshot, compare, store, remember when it ran. */
export async function runDriftCheck(db: Db, client: OpenStackClient, provider: Provider): Promise<DriftCheckResult> {
  const started = performance.now();
  const counter = { calls: 0 };
  const accounts = await driftAccounts(db, provider.id);
  const snapshot = await takeSnapshot(client, provider, accounts, counter);
  const found = accounts.flatMap((a) => accountDrift(a, snapshot));
  const { open } = await storeFindings(db, provider.id, found);
  const result = { accounts: accounts.length, findings: found.length, open, calls: counter.calls, ms: Math.round(performance.now() - started) };
  await db
    .insert(driftSettings)
    .values({ providerId: provider.id, lastCheckedAt: new Date(), lastSummary: result })
    .onConflictDoUpdate({ target: driftSettings.providerId, set: { lastCheckedAt: new Date(), lastSummary: result } });
  return result;
}
