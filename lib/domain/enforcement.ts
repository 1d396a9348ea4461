// Enforcement (issue 13 §3): the dry-run planner. Given a provider's policy and each user's
// usage against their allocation, what enforcement would do if it ran now. Pure.

export const ENFORCEMENT_ACTIONS = ["none", "stop", "shelve", "zero_cores"] as const;
export type EnforcementAction = (typeof ENFORCEMENT_ACTIONS)[number];
export type EnforcementOverride = "default" | "never" | "always";

export type EnforcementPolicy = {
  /** Percent of the allocation at which users are notified (default 80 and 100). */
  thresholds: number[];
  /** What happens at 100 %. */
  action: EnforcementAction;
  /** Hours a user may stay over 100 % before the action. */
  graceHours: number;
  /** Scheduled enforcement runs only once enabled ("always" users are enforced regardless). */
  enabled: boolean;
};

export const DEFAULT_POLICY: EnforcementPolicy = { thresholds: [80, 100], action: "none", graceHours: 0, enabled: false };

export type UserServer = { id: string; name: string; status: string };

export type UserUsage = {
  username: string;
  used: number;
  allocation: number;
  override: EnforcementOverride;
  servers: UserServer[];
  /** When the user first went over 100 % (null: not over, or not recorded yet). */
  overSince: Date | null;
};

export type PlannedEnforcement = {
  username: string;
  used: number;
  allocation: number;
  /** Percent of the allocation used (Infinity when there is no allocation but usage). */
  percent: number;
  /** The highest threshold reached, or null. */
  notifyAt: number | null;
  action: EnforcementAction;
  serversAffected: UserServer[];
  reason: string;
};

const AFFECTS: Record<EnforcementAction, (s: UserServer) => boolean> = {
  none: () => false,
  stop: (s) => s.status.toUpperCase() === "ACTIVE",
  shelve: (s) => ["ACTIVE", "SHUTOFF", "PAUSED", "SUSPENDED"].includes(s.status.toUpperCase()),
  zero_cores: () => false,
};

/** Per user: usage, allocation, the notification due, the action and the servers it touches. */
export function planEnforcement(policy: EnforcementPolicy, users: UserUsage[], now: Date): PlannedEnforcement[] {
  const thresholds = [...policy.thresholds].sort((a, b) => a - b);
  return users.map((u) => {
    const percent = u.allocation > 0 ? (u.used / u.allocation) * 100 : u.used > 0 ? Infinity : 0;
    const reached = thresholds.filter((t) => percent >= t);
    const base = { username: u.username, used: u.used, allocation: u.allocation, percent, notifyAt: reached.at(-1) ?? null };
    const none = (reason: string): PlannedEnforcement => ({ ...base, action: "none", serversAffected: [], reason });
    if (percent < 100) return none("under the allocation");
    if (u.override === "never") return none("never enforced (per-user override)");
    if (policy.action === "none") return none("the policy takes no action at 100 %");
    if (!policy.enabled && u.override !== "always") return none("enforcement is not enabled for this provider");
    if (policy.graceHours > 0) {
      const since = u.overSince ?? now;
      const until = new Date(since.getTime() + policy.graceHours * 3_600_000);
      if (until > now) return none(`in the grace period until ${until.toISOString().slice(0, 16).replace("T", " ")} UTC`);
    }
    const serversAffected = u.servers.filter(AFFECTS[policy.action]);
    const reason = policy.action === "zero_cores" ? "cores quota set to 0 (servers keep running)" : `${serversAffected.length} server${serversAffected.length === 1 ? "" : "s"} ${policy.action === "stop" ? "stopped" : "shelved"}`;
    return { ...base, action: policy.action, serversAffected, reason };
  });
}
