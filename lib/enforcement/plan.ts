// What enforcement would do on a provider now: every live account's usage against its
// allocation (the allocation engine), the provider's policy, per-account overrides and state,
// and — for accounts the action touches — their servers as the cloud lists them.
import { and, eq, isNull } from "drizzle-orm";
import { ActionError } from "@/lib/actions/errors";
import { getStrategy, rankUsersByUsage, type ProviderUserRow } from "@/lib/allocation/queries";
import { allocationsFor, strategyOf } from "@/lib/allocation/service";
import type { Db } from "@/lib/db/client";
import { enforcementOverrides, enforcementStates, identities } from "@/lib/db/schema";
import type { AllocationResult } from "@/lib/domain/allocation";
import { planEnforcement, type EnforcementOverride, type EnforcementPolicy, type PlannedEnforcement, type UserServer } from "@/lib/domain/enforcement";
import type { OpenStackClient } from "@/lib/openstack/client";
import { getPolicy } from "./store";

export type EnforcementState = typeof enforcementStates.$inferSelect;

export type PlanRow = PlannedEnforcement & {
  identityId: number;
  userId: number;
  email: string | null;
  projectId: string | null;
  override: EnforcementOverride;
  /** Notice dedupe key: the counting window's start and how many grants it has had. */
  period: string;
  unit: string;
  resetsAt: Date | null;
  state: EnforcementState | null;
  /** Enforced earlier and now under 100 %, exempted, or enforcement switched off: a run gives the quota back. */
  restore: boolean;
  /** Why the restore happens (null when none). */
  restoreReason: string | null;
};

export type ProviderPlan = {
  policy: EnforcementPolicy;
  unit: string;
  /** Live accounts looked at (all of them; those without usage are under every threshold). */
  accounts: number;
  rows: PlanRow[];
  /** Set when the servers could not be listed (the plan then shows no servers). */
  serversError: string | null;
};

const BATCH = 1000;

export function periodKey(result: AllocationResult): string {
  return `${result.window.start.toISOString().slice(0, 10)}#${result.grants.length}`;
}

/** Servers of the given projects, as the admin lists them (all tenants, one project at a time). */
export async function serversByProject(client: OpenStackClient, projectIds: string[], concurrency = 4): Promise<Map<string, UserServer[]>> {
  const out = new Map<string, UserServer[]>();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, projectIds.length) }, async () => {
      while (next < projectIds.length) {
        const projectId = projectIds[next++];
        const servers = await client.compute.servers.list({ allTenants: true, projectId });
        // Only servers the cloud says belong to this project: a filter the cloud ignored must not
        // hand another project's servers to enforcement.
        out.set(
          projectId,
          servers.filter((s) => s.projectId === projectId).map((s) => ({ id: s.id, name: s.name, status: s.status })),
        );
      }
    }),
  );
  return out;
}

/**
 * Every live account of the provider with its usage and what enforcement would do now. With a
 * client, accounts the action would touch get their servers; without one, servers are empty.
 */
export async function planProvider(db: Db, providerId: number, opts: { client?: OpenStackClient; now?: Date } = {}): Promise<ProviderPlan> {
  const now = opts.now ?? new Date();
  const strategyRow = await getStrategy(db, providerId);
  if (!strategyRow) {
    throw new ActionError("conflict", "This provider has no allocation strategy: enforcement measures usage against it. Create one on the Allocation tab first.");
  }
  const strategy = strategyOf(strategyRow);
  const policy = await getPolicy(db, providerId);
  const [ranked, states, overrides, accounts] = await Promise.all([
    rankUsersByUsage(db, { providerId, strategy, now, limit: 10_000_000 }),
    db.select().from(enforcementStates).where(eq(enforcementStates.providerId, providerId)),
    db
      .select({ identityId: enforcementOverrides.identityId, override: enforcementOverrides.override })
      .from(enforcementOverrides)
      .innerJoin(identities, eq(identities.id, enforcementOverrides.identityId))
      .where(eq(identities.providerId, providerId)),
    db
      .select({ id: identities.id, projectId: identities.projectId })
      .from(identities)
      .where(and(eq(identities.providerId, providerId), isNull(identities.endDate))),
  ]);
  const stateOf = new Map(states.map((s) => [s.identityId, s]));
  const overrideOf = new Map(overrides.map((o) => [o.identityId, o.override as EnforcementOverride]));
  const projectOf = new Map(accounts.map((a) => [a.id, a.projectId]));
  // Accounts with usage can reach a threshold; accounts with a state may need a restore.
  const candidates: ProviderUserRow[] = ranked.filter((r) => r.live && (r.usage > 0 || stateOf.has(r.identityId)));

  const computed: Array<{ user: ProviderUserRow; result: AllocationResult }> = [];
  for (let i = 0; i < candidates.length; i += BATCH) {
    const batch = await allocationsFor(db, providerId, strategy, candidates.slice(i, i + BATCH), now);
    for (const a of batch) computed.push({ user: a, result: a.result });
  }

  const usages = computed.map(({ user, result }) => ({
    username: user.username,
    used: result.usage,
    allocation: result.credits,
    override: overrideOf.get(user.identityId) ?? "default",
    servers: [] as UserServer[],
    overSince: stateOf.get(user.identityId)?.overSince ?? null,
  }));
  let planned = planEnforcement(policy, usages, now);

  // Servers only for the accounts the action touches (stop/shelve): one listing per project.
  let serversError: string | null = null;
  const touching = planned
    .map((p, i) => (p.action === "stop" || p.action === "shelve" ? projectOf.get(computed[i].user.identityId) : null))
    .filter((id): id is string => Boolean(id));
  if (opts.client && touching.length) {
    try {
      const servers = await serversByProject(opts.client, [...new Set(touching)]);
      for (const [i, u] of usages.entries()) u.servers = servers.get(projectOf.get(computed[i].user.identityId) ?? "") ?? [];
      planned = planEnforcement(policy, usages, now);
    } catch (error) {
      serversError = `The cloud's servers could not be listed (${error instanceof Error ? error.message : String(error)}).`;
    }
  }

  const rows: PlanRow[] = planned.map((p, i) => {
    const { user, result } = computed[i];
    const state = stateOf.get(user.identityId) ?? null;
    const override = overrideOf.get(user.identityId) ?? "default";
    return {
      ...p,
      identityId: user.identityId,
      userId: user.userId,
      email: user.email,
      projectId: projectOf.get(user.identityId) ?? null,
      override,
      period: periodKey(result),
      unit: result.unit,
      resetsAt: result.window.resetsAt,
      state,
      ...restoreOf(Boolean(state?.enforcedAt), p.percent, override, policy),
    };
  });
  rows.sort((a, b) => b.percent - a.percent || a.username.localeCompare(b.username));
  return { policy, unit: computed[0]?.result.unit ?? "", accounts: accounts.length, rows, serversError };
}

/**
 * An enforced account is given back what enforcement took once enforcement no longer applies to
 * it: credit is back, its override is "never", or the provider's enforcement is off (unless the
 * account is "always" enforced).
 */
export function restoreOf(enforced: boolean, percent: number, override: EnforcementOverride, policy: Pick<EnforcementPolicy, "enabled">): { restore: boolean; restoreReason: string | null } {
  if (!enforced) return { restore: false, restoreReason: null };
  if (percent < 100) return { restore: true, restoreReason: "has allocation again" };
  if (override === "never") return { restore: true, restoreReason: "is no longer enforced (per-account override)" };
  if (!policy.enabled && override !== "always") return { restore: true, restoreReason: "is no longer enforced (the provider's enforcement is off)" };
  return { restore: false, restoreReason: null };
}

/**
 * The rows a scheduled run acts on: all of them while enforcement is on; while it is off only
 * accounts "always" enforced and accounts enforcement still holds (to give back what it took).
 */
export function scheduledRows(plan: Pick<ProviderPlan, "policy" | "rows">): PlanRow[] {
  if (plan.policy.enabled) return plan.rows;
  return plan.rows.filter((r) => r.override === "always" || Boolean(r.state?.enforcedAt));
}

/** The rows worth showing: at a threshold, with an action, or due a restore. */
export function rowsOfInterest(plan: ProviderPlan): PlanRow[] {
  return plan.rows.filter((r) => r.notifyAt !== null || r.action !== "none" || r.restore || r.state?.enforcedAt);
}
