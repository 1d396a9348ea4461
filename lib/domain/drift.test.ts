import { describe, expect, it } from "vitest";
import { accountDrift, describeFinding, reconcileFindings, type CloudSnapshot, type DriftAccount } from "./drift";
import { SEED_TIERS } from "./quotas";

const medium = SEED_TIERS[1].values;
const account: DriftAccount = {
  identityId: 1,
  username: "ada",
  projectId: "p1",
  openstackUserId: "u1",
  networkId: "n1",
  subnetId: "s1",
  routerId: "r1",
  desiredQuota: medium,
};

function snapshot(patch: Partial<CloudSnapshot> = {}): CloudSnapshot {
  return {
    projects: new Map([["p1", { enabled: true }]]),
    users: new Set(["u1"]),
    assignments: new Map([["p1", new Map([["u1", new Set(["member"])], ["admin", new Set(["adminrole"])]])]]),
    roleNames: new Map([["member", "member"], ["adminrole", "admin"], ["reader", "reader"]]),
    userRoleId: "member",
    adminRoleId: "adminrole",
    adminUserId: "admin",
    networks: new Set(["n1"]),
    subnets: new Map([["s1", "n1"]]),
    routerInterfaces: new Set(["r1 s1"]),
    missingRules: new Map([["p1", 0]]),
    quotas: new Map([["p1", { ...medium }]]),
    ...patch,
  };
}

const fields = (a: DriftAccount, s: CloudSnapshot) => accountDrift(a, s).map((f) => [f.field, f.desired, f.actual]);

describe("accountDrift", () => {
  it("finds nothing when the cloud matches", () => {
    expect(accountDrift(account, snapshot())).toEqual([]);
  });
  it.each<[string, Partial<CloudSnapshot>, Array<[string, string | null, string | null]>]>([
    ["a missing project (nothing else compared)", { projects: new Map() }, [["project", "exists", "missing"]]],
    ["a disabled project", { projects: new Map([["p1", { enabled: false }]]) }, [["project", "enabled", "disabled"]]],
    ["a missing user", { users: new Set(), assignments: new Map([["p1", new Map([["admin", new Set(["adminrole"])]])]]) }, [["user", "exists", "missing"]]],
    ["a removed user role", { assignments: new Map([["p1", new Map([["admin", new Set(["adminrole"])]])]]) }, [["role.user", "member for ada", "missing"]]],
    [
      "an extra role (listed, not fixable)",
      { assignments: new Map([["p1", new Map([["u1", new Set(["member", "reader"])], ["admin", new Set(["adminrole"])]])]]) },
      [["role.extra", null, "reader for ada"]],
    ],
    ["a deleted network (and so its subnet)", { networks: new Set(), subnets: new Map() }, [["network", "exists", "missing"], ["subnet", "exists", "missing"]]],
    ["a removed router interface", { routerInterfaces: new Set() }, [["router_interface", "attached", "missing"]]],
    ["missing security rules", { missingRules: new Map([["p1", 2]]) }, [["security_rules", "all the provider's rules", "2 missing"]]],
    ["cores set out-of-band", { quotas: new Map([["p1", { ...medium, cores: 99 }]]) }, [["quota.cores", String(medium.cores), "99"]]],
  ])("reports %s", (_n, patch, want) => {
    expect(fields(account, snapshot(patch))).toEqual(want);
  });
  it("without Neutron compares no network, subnet, router or rules, but still the quotas", () => {
    const s = snapshot({ networks: new Set(), subnets: new Map(), routerInterfaces: new Set(), missingRules: new Map(), quotas: new Map([["p1", { instances: 9 }]]), networkSkipped: true });
    expect(fields(account, s)).toEqual([["quota.instances", String(medium.instances), "9"]]);
  });
  it("compares quotas with the security-group-rule floor applied", () => {
    const a = { ...account, desiredQuota: { ...medium, security_group_rule: 10 } };
    expect(accountDrift(a, snapshot({ quotas: new Map([["p1", { ...medium, security_group_rule: 100 }]]) }))).toEqual([]);
  });
  it("skips accounts never provisioned and accounts without a desired quota", () => {
    expect(accountDrift({ ...account, projectId: null }, snapshot({ projects: new Map() }))).toEqual([]);
    expect(accountDrift({ ...account, desiredQuota: null }, snapshot({ quotas: new Map([["p1", { cores: 99 }]]) }))).toEqual([]);
  });
  it("marks extra roles as not fixable", () => {
    const s = snapshot({ assignments: new Map([["p1", new Map([["u1", new Set(["member"])], ["admin", new Set(["adminrole"])], ["u9", new Set(["reader"])]])]]) });
    expect(accountDrift(account, s)).toEqual([{ identityId: 1, field: "role.extra", desired: null, actual: "reader for u9", fixable: false }]);
  });
});

describe("describeFinding", () => {
  it("reads like the issue says", () => {
    expect(describeFinding({ field: "quota.cores", desired: "20", actual: "99" })).toBe("cores: Cloudport 20, cloud 99");
    expect(describeFinding({ field: "quota.ram", desired: "-1", actual: "1024" })).toBe("ram: Cloudport unlimited, cloud 1024");
    expect(describeFinding({ field: "router_interface", desired: "attached", actual: "missing" })).toBe("router interface: Cloudport attached, cloud missing");
  });
});

describe("reconcileFindings", () => {
  const f = (field: string, actual: string) => ({ identityId: 1, field, desired: "1", actual, fixable: true });
  it.each<[string, string, string, "open" | "ignored"]>([
    ["ignored and unchanged stays ignored", "ignored", "99", "ignored"],
    ["ignored but changed again reopens", "ignored", "98", "open"],
    ["open stays open", "open", "99", "open"],
  ])("%s", (_n, status, actualNow, want) => {
    const r = reconcileFindings([{ identityId: 1, field: "quota.cores", actual: "99", status }], [f("quota.cores", actualNow)]);
    expect(r.upsert[0].status).toBe(want);
    expect(r.remove).toEqual([]);
  });
  it("drops findings the cloud no longer has", () => {
    const r = reconcileFindings([{ identityId: 1, field: "network", actual: "missing", status: "open" }], []);
    expect(r.remove).toHaveLength(1);
  });
});
