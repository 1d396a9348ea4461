import { describe, expect, it } from "vitest";

import { useLabClient } from "../../testing/lab-client";

const lab = useLabClient();

describe("Placement against the lab", () => {
  it("reads resource providers, inventories, usages and allocation candidates", async () => {
    expect(await lab.os.placement.microversion()).toMatch(/^1\.\d+$/);
    const providers = await lab.os.placement.resourceProviders.list();
    expect(providers.length).toBeGreaterThan(0);
    const rp = providers[0];
    expect((await lab.os.placement.resourceProviders.get(rp.uuid)).name).toBe(rp.name);

    const { inventories } = await lab.os.placement.resourceProviders.inventories(rp.uuid);
    expect(Object.keys(inventories)).toEqual(expect.arrayContaining(["VCPU", "MEMORY_MB", "DISK_GB"]));
    expect(inventories.VCPU.capacity).toBe(Math.floor((inventories.VCPU.total - inventories.VCPU.reserved) * inventories.VCPU.allocationRatio));

    const { usages } = await lab.os.placement.resourceProviders.usages(rp.uuid);
    expect(typeof usages.VCPU).toBe("number");

    const candidates = await lab.os.placement.allocationCandidates.list({ resources: { VCPU: 1, MEMORY_MB: 128, DISK_GB: 1 } });
    expect(candidates.allocationRequests.length).toBeGreaterThan(0);
    expect(candidates.allocationRequests[0][rp.uuid]).toEqual({ VCPU: 1, MEMORY_MB: 128, DISK_GB: 1 });
    expect(candidates.providerSummaries[rp.uuid].resources.VCPU.capacity).toBe(inventories.VCPU.capacity);

    const fits = await lab.os.placement.resourceProviders.list({ resources: { VCPU: 1 } });
    expect(fits.map((p) => p.uuid)).toContain(rp.uuid);
  });
});
