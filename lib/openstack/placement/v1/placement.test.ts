import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { createClient, type OpenStackClient } from "../../client";
import { FakeCloud } from "../../testing/fake-cloud";

let fake: FakeCloud;
let os: OpenStackClient;
const RP = "4e8e5957-649f-477b-9e5b-f1f75b21c03c";

beforeEach(async () => {
  fake = await FakeCloud.start();
  os = await createClient(fake.clientOptions());
});

afterEach(async () => {
  await os.close();
  await fake.close();
});

describe("Placement resource-provider details", () => {
  it("reads aggregates and traits with the negotiated microversion", async () => {
    fake.on("GET", `/placement/resource_providers/${RP}/aggregates`, {
      json: { aggregates: ["agg-1", "agg-2"], resource_provider_generation: 7 },
    });
    fake.on("GET", `/placement/resource_providers/${RP}/traits`, {
      json: { traits: ["COMPUTE_NODE", "HW_CPU_X86_AVX2"], resource_provider_generation: 7 },
    });
    expect(await os.placement.resourceProviders.aggregates(RP)).toEqual({ aggregates: ["agg-1", "agg-2"], generation: 7 });
    expect(await os.placement.resourceProviders.traits(RP)).toEqual({ traits: ["COMPUTE_NODE", "HW_CPU_X86_AVX2"], generation: 7 });
    const [seen] = fake.seen("GET", `/placement/resource_providers/${RP}/traits`);
    expect(seen.headers["openstack-api-version"]).toBe("placement 1.39");
  });

  it("aggregates before 1.19 come without a generation", async () => {
    fake.on("GET", `/placement/resource_providers/${RP}/aggregates`, { json: { aggregates: [] } });
    expect(await os.placement.resourceProviders.aggregates(RP)).toEqual({ aggregates: [], generation: null });
  });

  it("reads a consumer's allocations per provider", async () => {
    fake.on("GET", "/placement/allocations/srv-1", {
      json: {
        allocations: { [RP]: { generation: 3, resources: { VCPU: 1, MEMORY_MB: 512, DISK_GB: 1 } } },
        project_id: "p1",
        user_id: "u1",
        consumer_generation: 1,
      },
    });
    fake.on("GET", "/placement/allocations/none", { json: { allocations: {} } });
    expect(await os.placement.allocations.get("srv-1")).toEqual({
      allocations: { [RP]: { VCPU: 1, MEMORY_MB: 512, DISK_GB: 1 } },
      projectId: "p1",
      userId: "u1",
    });
    expect((await os.placement.allocations.get("none")).allocations).toEqual({});
  });

  it("asks allocation candidates with Placement's resources syntax", async () => {
    fake.on("GET", "/placement/allocation_candidates", { json: { allocation_requests: [], provider_summaries: {} } });
    const none = await os.placement.allocationCandidates.list({ resources: { VCPU: 100000, MEMORY_MB: 1 } });
    expect(none.allocationRequests).toEqual([]);
    expect(fake.seen("GET", "/placement/allocation_candidates")[0].query.get("resources")).toBe("VCPU:100000,MEMORY_MB:1");
  });
});
