// Drift: what Cloudport set up for each account against what the cloud has now. Pure: the
// check module lists the cloud once per provider and passes the snapshot in.
import { effectiveQuota, formatQuota, quotaDifferences, type QuotaValues } from "./quotas";

export type DriftAccount = {
  identityId: number;
  username: string;
  projectId: string | null;
  openstackUserId: string | null;
  networkId: string | null;
  subnetId: string | null;
  routerId: string | null;
  /** Tier + custom values; null when the account has no quota to hold. */
  desiredQuota: QuotaValues | null;
};

export type CloudSnapshot = {
  projects: Map<string, { enabled: boolean }>;
  users: Set<string>;
  /** Role assignments on each project: userId → role ids. */
  assignments: Map<string, Map<string, Set<string>>>;
  roleNames: Map<string, string>;
  userRoleId: string;
  adminRoleId: string;
  adminUserId: string;
  networks: Set<string>;
  /** subnet id → network id */
  subnets: Map<string, string>;
  /** `${routerId} ${subnetId}` for each router interface. */
  routerInterfaces: Set<string>;
  /** How many of the provider's rules each project's default group lacks (absent: no group). */
  missingRules: Map<string, number>;
  /** Limits per project (absent: not read). */
  quotas: Map<string, Partial<QuotaValues>>;
  /** Neutron is not in the cloud's catalog: network, subnet, router and rules are not compared. */
  networkSkipped?: boolean;
};

export type Finding = {
  identityId: number;
  /** project, user, role.user, role.admin, role.extra, network, subnet, router_interface, security_rules, quota.<key> */
  field: string;
  desired: string | null;
  actual: string | null;
  /** Apply can make the cloud match (extra roles are listed, never removed). */
  fixable: boolean;
};

/** Every difference for one account (none when the cloud matches). */
export function accountDrift(a: DriftAccount, s: CloudSnapshot): Finding[] {
  const out: Finding[] = [];
  const add = (field: string, desired: string | null, actual: string | null, fixable = true) =>
    out.push({ identityId: a.identityId, field, desired, actual, fixable });
  if (!a.projectId) return out; // never provisioned: nothing to compare
  const project = s.projects.get(a.projectId);
  if (!project) {
    add("project", "exists", "missing");
    return out; // everything else hangs off the project
  }
  if (!project.enabled) add("project", "enabled", "disabled");
  if (a.openstackUserId && !s.users.has(a.openstackUserId)) add("user", "exists", "missing");

  const onProject = s.assignments.get(a.projectId) ?? new Map<string, Set<string>>();
  if (a.openstackUserId && s.users.has(a.openstackUserId) && !onProject.get(a.openstackUserId)?.has(s.userRoleId)) {
    add("role.user", `${s.roleNames.get(s.userRoleId) ?? s.userRoleId} for ${a.username}`, "missing");
  }
  if (!onProject.get(s.adminUserId)?.has(s.adminRoleId)) {
    add("role.admin", `${s.roleNames.get(s.adminRoleId) ?? s.adminRoleId} for the provider's admin`, "missing");
  }
  const extra: string[] = [];
  for (const [userId, roles] of onProject) {
    for (const roleId of roles) {
      const expected = (userId === a.openstackUserId && roleId === s.userRoleId) || (userId === s.adminUserId && roleId === s.adminRoleId);
      if (!expected) extra.push(`${s.roleNames.get(roleId) ?? roleId} for ${userId === a.openstackUserId ? a.username : userId}`);
    }
  }
  if (extra.length) add("role.extra", null, extra.sort().join(", "), false);

  if (s.networkSkipped) return quotaDrift(a, s, out, add);
  if (a.networkId && !s.networks.has(a.networkId)) add("network", "exists", "missing");
  if (a.subnetId && s.subnets.get(a.subnetId) !== a.networkId) add("subnet", "exists", "missing");
  if (a.routerId && a.subnetId && s.subnets.has(a.subnetId) && !s.routerInterfaces.has(`${a.routerId} ${a.subnetId}`)) {
    add("router_interface", "attached", "missing");
  }
  const missing = s.missingRules.get(a.projectId);
  if (missing === undefined) add("security_rules", "default group with the provider's rules", "no default group");
  else if (missing > 0) add("security_rules", "all the provider's rules", `${missing} missing`);
  return quotaDrift(a, s, out, add);
}

function quotaDrift(a: DriftAccount, s: CloudSnapshot, out: Finding[], add: (field: string, desired: string | null, actual: string | null) => void): Finding[] {
  const limits = a.projectId ? s.quotas.get(a.projectId) : undefined;
  if (a.desiredQuota && limits) {
    for (const d of quotaDifferences(effectiveQuota(a.desiredQuota), limits)) add(`quota.${d.key}`, String(d.want), String(d.have));
  }
  return out;
}

/** "cores: Cloudport 20, cloud 99" */
export function describeFinding(f: Pick<Finding, "field" | "desired" | "actual">): string {
  if (f.field.startsWith("quota.")) {
    const n = (v: string | null) => (v === null ? "—" : formatQuota(Number(v)));
    return `${f.field.slice(6)}: Cloudport ${n(f.desired)}, cloud ${n(f.actual)}`;
  }
  if (f.field === "role.extra") return `extra roles granted on the cloud: ${f.actual}`;
  return `${f.field.replace("_", " ")}: Cloudport ${f.desired ?? "—"}, cloud ${f.actual ?? "—"}`;
}

export type StoredFinding = { identityId: number; field: string; actual: string | null; status: string };

/**
 * The rows after a check: findings seen again keep "ignored" while the cloud's value is the
 * same; a changed value reopens them; differences gone are dropped.
 */
export function reconcileFindings(stored: StoredFinding[], found: Finding[]): { upsert: Array<Finding & { status: "open" | "ignored" }>; remove: StoredFinding[] } {
  const key = (f: { identityId: number; field: string }) => `${f.identityId} ${f.field}`;
  const before = new Map(stored.map((s) => [key(s), s]));
  const seen = new Set<string>();
  const upsert = found.map((f) => {
    seen.add(key(f));
    const old = before.get(key(f));
    const status: "open" | "ignored" = old?.status === "ignored" && old.actual === f.actual ? "ignored" : "open";
    return { ...f, status };
  });
  return { upsert, remove: stored.filter((s) => !seen.has(key(s))) };
}
