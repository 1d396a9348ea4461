import { describe, expect, it } from "vitest";
import { planProvisioning, PROVISION_STEPS, type PlannerInput } from "./steps";

const blank: PlannerInput = {
  state: "pending",
  lastStep: null,
  projectId: null,
  openstackUserId: null,
  networkId: null,
  subnetId: null,
  subnetCidr: null,
  routerId: null,
};
const complete: PlannerInput = {
  state: "active",
  lastStep: "router",
  projectId: "p1",
  openstackUserId: "u1",
  networkId: "n1",
  subnetId: "s1",
  subnetCidr: "172.16.0.0/24",
  routerId: "r1",
};
const runs = (i: PlannerInput, rebuild = false) =>
  planProvisioning(i, { rebuild })
    .filter((s) => s.run)
    .map((s) => s.step);

describe("planProvisioning", () => {
  it.each<[string, PlannerInput, string[]]>([
    ["a new account runs everything", blank, [...PROVISION_STEPS]],
    ["a complete account runs nothing", complete, []],
    [
      "failed at the network: resumes there",
      { ...blank, state: "failed", lastStep: "network", projectId: "p1", openstackUserId: "u1" },
      ["network", "subnet", "router"],
    ],
    [
      "failed creating the user: project is kept",
      { ...blank, state: "failed", lastStep: "user", projectId: "p1" },
      ["user", "roles", "security_rules", "network", "subnet", "router"],
    ],
    [
      "failed at the router: network and subnet are kept",
      { ...complete, state: "failed", lastStep: "router", routerId: null },
      ["router"],
    ],
    [
      "interrupted (still provisioning) at the subnet",
      { ...complete, state: "provisioning", lastStep: "subnet", subnetId: null, subnetCidr: "172.16.4.0/24", routerId: null },
      ["subnet", "router"],
    ],
    [
      "failed on the first step",
      { ...blank, state: "failed", lastStep: "project" },
      [...PROVISION_STEPS],
    ],
    [
      "a lost id re-runs from that step on, even for an active account",
      { ...complete, networkId: null },
      ["network", "subnet", "router"],
    ],
    [
      "a subnet id without its CIDR is not trusted",
      { ...complete, subnetCidr: null },
      ["subnet", "router"],
    ],
    [
      "an unknown last step starts over",
      { ...complete, state: "failed", lastStep: "something-old" },
      [...PROVISION_STEPS],
    ],
    [
      "a removal that stopped half-way starts over",
      { ...complete, state: "removing", lastStep: "remove_subnet" },
      [...PROVISION_STEPS],
    ],
    [
      "failed at roles but the user id was never recorded",
      { ...blank, state: "failed", lastStep: "roles", projectId: "p1" },
      ["user", "roles", "security_rules", "network", "subnet", "router"],
    ],
  ])("%s", (_label, identity, expected) => {
    expect(runs(identity)).toEqual(expected);
  });

  it("rebuild runs every step, whatever is recorded", () => {
    expect(runs(complete, true)).toEqual([...PROVISION_STEPS]);
    expect(runs(blank, true)).toEqual([...PROVISION_STEPS]);
  });

  it("says why", () => {
    const plan = planProvisioning({ ...complete, networkId: null });
    expect(plan.find((s) => s.step === "project")).toEqual({ step: "project", run: false, reason: "done" });
    expect(plan.find((s) => s.step === "network")?.reason).toBe("recorded ids missing");
    expect(plan.find((s) => s.step === "subnet")?.reason).toBe("follows a step that re-runs");
  });
});
