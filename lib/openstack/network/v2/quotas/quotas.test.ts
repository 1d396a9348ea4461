import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { createClient, type OpenStackClient } from "../../../client";
import { FakeCloud } from "../../../testing/fake-cloud";

let fake: FakeCloud;
let os: OpenStackClient;

beforeEach(async () => {
  fake = await FakeCloud.start();
  os = await createClient(fake.clientOptions());
});

afterEach(async () => {
  await os.close();
  await fake.close();
});

describe("Neutron quotas", () => {
  it("reads values and details (used → inUse)", async () => {
    fake.on("GET", "/network/v2.0/quotas/p1", {
      json: { quota: { floatingip: 2, network: 1, subnet: 1, port: 20, router: 1, security_group: 10, security_group_rule: 100, subnetpool: -1, rbac_policy: 10 } },
    });
    fake.on("GET", "/network/v2.0/quotas/p1/details", {
      json: { quota: { network: { limit: 1, used: 1, reserved: 0 }, port: { limit: 20, used: 3, reserved: 0 }, security_group_rule: { limit: 100, used: 18, reserved: 0 } } },
    });
    const q = await os.network.quotas.get("p1");
    expect(q).toMatchObject({ floatingip: 2, port: 20, securityGroup: 10, securityGroupRule: 100, subnetpool: -1 });
    const d = await os.network.quotas.getDetails("p1");
    expect(d.port).toEqual({ limit: 20, inUse: 3, reserved: 0 });
    expect(d.securityGroupRule.inUse).toBe(18);
    // A key Neutron leaves out (an extension not loaded) reads as 0 in use.
    expect(d.floatingip).toEqual({ limit: 0, inUse: 0, reserved: 0 });
  });

  it("updates with Neutron's names and returns the new set", async () => {
    fake.on("PUT", "/network/v2.0/quotas/p1", (req) => ({ json: { quota: { network: 1, ...JSON.parse(req.body).quota } } }));
    const q = await os.network.quotas.update("p1", { port: 30, securityGroupRule: 150 });
    expect(JSON.parse(fake.seen("PUT", "/network/v2.0/quotas/p1")[0].body)).toEqual({ quota: { port: 30, security_group_rule: 150 } });
    expect(q).toMatchObject({ port: 30, securityGroupRule: 150, network: 1 });
  });
});
