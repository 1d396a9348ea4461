import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY, planEnforcement, type EnforcementPolicy, type UserUsage } from "./enforcement";

const NOW = new Date("2026-12-02T12:00:00Z");
const servers = [
  { id: "s1", name: "a", status: "ACTIVE" },
  { id: "s2", name: "b", status: "SHUTOFF" },
  { id: "s3", name: "c", status: "SHELVED_OFFLOADED" },
];
const user = (patch: Partial<UserUsage>): UserUsage => ({ username: "ada", used: 0, allocation: 100, override: "default", servers, overSince: null, ...patch });
const on = (patch: Partial<EnforcementPolicy>): EnforcementPolicy => ({ ...DEFAULT_POLICY, enabled: true, ...patch });

describe("planEnforcement (dry run)", () => {
  it.each<[string, EnforcementPolicy, Partial<UserUsage>, { action: string; notifyAt: number | null; servers: string[]; reason: RegExp }]>([
    ["under 80 %: nothing", on({ action: "stop" }), { used: 50 }, { action: "none", notifyAt: null, servers: [], reason: /under/ }],
    ["at 85 %: notified at 80", on({ action: "stop" }), { used: 85 }, { action: "none", notifyAt: 80, servers: [], reason: /under/ }],
    ["at 100 % with stop: the active server", on({ action: "stop" }), { used: 100 }, { action: "stop", notifyAt: 100, servers: ["s1"], reason: /1 server stopped/ }],
    ["shelve takes active and shut-off, not shelved", on({ action: "shelve" }), { used: 120 }, { action: "shelve", notifyAt: 100, servers: ["s1", "s2"], reason: /2 servers shelved/ }],
    ["zero cores touches no server", on({ action: "zero_cores" }), { used: 120 }, { action: "zero_cores", notifyAt: 100, servers: [], reason: /cores quota set to 0/ }],
    ["override never skips", on({ action: "stop" }), { used: 200, override: "never" }, { action: "none", notifyAt: 100, servers: [], reason: /never enforced/ }],
    ["not enabled: default users are not enforced", { ...DEFAULT_POLICY, action: "stop" }, { used: 200 }, { action: "none", notifyAt: 100, servers: [], reason: /not enabled/ }],
    ["not enabled but override always: enforced", { ...DEFAULT_POLICY, action: "stop" }, { used: 200, override: "always" }, { action: "stop", notifyAt: 100, servers: ["s1"], reason: /stopped/ }],
    ["policy action none", on({ action: "none" }), { used: 200 }, { action: "none", notifyAt: 100, servers: [], reason: /no action/ }],
    ["in the grace period", on({ action: "stop", graceHours: 24 }), { used: 150, overSince: new Date("2026-12-02T00:00:00Z") }, { action: "none", notifyAt: 100, servers: [], reason: /grace period until 2026-12-03 00:00/ }],
    ["grace period over", on({ action: "stop", graceHours: 6 }), { used: 150, overSince: new Date("2026-12-02T00:00:00Z") }, { action: "stop", notifyAt: 100, servers: ["s1"], reason: /stopped/ }],
    ["no allocation but usage is over", on({ action: "stop" }), { used: 1, allocation: 0 }, { action: "stop", notifyAt: 100, servers: ["s1"], reason: /stopped/ }],
  ])("%s", (_n, policy, patch, want) => {
    const [row] = planEnforcement(policy, [user(patch)], NOW);
    expect(row.action).toBe(want.action);
    expect(row.notifyAt).toBe(want.notifyAt);
    expect(row.serversAffected.map((s) => s.id)).toEqual(want.servers);
    expect(row.reason).toMatch(want.reason);
  });
});
