// The capacity tab's numbers against the lab's Placement, read independently with curl and a
// token from `openstack token issue` (the lab's openstackclient has no placement plugin).
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { flavorNeeds, usableOf, whatStillFits } from "@/lib/domain/capacity";
import { waitForServerStatus } from "@/lib/openstack/compute/v2/servers/wait";
import { labEnv, testName } from "@/lib/openstack/testing/env";
import { useLabClient } from "@/lib/openstack/testing/lab-client";
import { placementCandidates, readHosts } from "./placement";

const lab = useLabClient();

function cli(...args: string[]): string {
  return execFileSync("openstack", args, { env: { ...process.env, ...labEnv() }, encoding: "utf8", timeout: 60_000 }).trim();
}

let auth: { token: string; placement: string } | undefined;
function curlAuth() {
  auth ??= {
    token: cli("token", "issue", "-f", "value", "-c", "id"),
    placement: cli("endpoint", "list", "--service", "placement", "--interface", "public", "--region", labEnv().OS_REGION_NAME ?? "RegionOne", "-f", "value", "-c", "URL").split("\n")[0],
  };
  return auth;
}

/** GET on Placement with curl, outside Cloudport's client. */
function curlPlacement(path: string): Record<string, unknown> {
  const { token, placement } = curlAuth();
  const out = execFileSync("curl", ["-sf", "-H", `X-Auth-Token: ${token}`, "-H", "OpenStack-API-Version: placement 1.39", `${placement.replace(/\/$/, "")}${path}`], {
    encoding: "utf8",
    timeout: 30_000,
  });
  return JSON.parse(out) as Record<string, unknown>;
}

type RawInventory = { total: number; reserved: number; min_unit: number; max_unit: number; step_size: number; allocation_ratio: number };

describe("capacity against the lab's Placement", () => {
  it("hosts' inventories and usages equal Placement's own (curl), and the fit follows from them", async () => {
    const hosts = await readHosts(lab.os);
    expect(hosts.length).toBeGreaterThan(0);
    const listed = curlPlacement("/resource_providers") as { resource_providers: Array<{ uuid: string }> };
    for (const h of hosts) {
      expect(listed.resource_providers.map((p) => p.uuid)).toContain(h.uuid);
      const raw = curlPlacement(`/resource_providers/${h.uuid}/inventories`) as { inventories: Record<string, RawInventory> };
      expect(Object.keys(h.inventories).sort()).toEqual(Object.keys(raw.inventories).sort());
      expect(Object.keys(h.inventories)).toEqual(expect.arrayContaining(["VCPU", "MEMORY_MB", "DISK_GB"]));
      for (const [rc, i] of Object.entries(raw.inventories)) {
        expect(h.inventories[rc]).toEqual({
          total: i.total,
          reserved: i.reserved,
          minUnit: i.min_unit,
          maxUnit: i.max_unit,
          stepSize: i.step_size,
          allocationRatio: i.allocation_ratio,
        });
      }
      const traits = curlPlacement(`/resource_providers/${h.uuid}/traits`) as { traits: string[] };
      expect(h.traits).toEqual([...traits.traits].sort());
      const aggs = curlPlacement(`/resource_providers/${h.uuid}/aggregates`) as { aggregates: string[] };
      expect(h.aggregates).toEqual([...aggs.aggregates].sort());
    }
    // Usages move with everyone's servers: read both until two reads agree.
    const h = hosts[0];
    await expect
      .poll(
        async () => {
          const ours = (await readHosts(lab.os)).find((x) => x.uuid === h.uuid)!.usages;
          const theirs = (curlPlacement(`/resource_providers/${h.uuid}/usages`) as { usages: Record<string, number> }).usages;
          return JSON.stringify(ours) === JSON.stringify(theirs) ? "equal" : `${JSON.stringify(ours)} vs ${JSON.stringify(theirs)}`;
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBe("equal");

    const nano = await lab.os.compute.flavors.findByName("m1.nano");
    const needs = flavorNeeds({ flavorId: nano!.id, name: nano!.name, vcpus: nano!.vcpus, ramMb: nano!.ramMb, diskGb: nano!.diskGb, ephemeralGb: nano!.ephemeralGb, swapMb: nano!.swapMb });
    const fit = whatStillFits(hosts, [needs]).flavors[0];
    const expected = hosts.reduce((sum, host) => {
      const per = Object.entries(needs.resources).map(([rc, n]) => Math.floor(Math.max(0, usableOf(host.inventories[rc]) - (host.usages[rc] ?? 0)) / n));
      return sum + Math.min(...per);
    }, 0);
    expect(fit.fits).toBe(expected);
    expect(fit.fits).toBeGreaterThan(0);
  });

  it("allocation candidates: a small flavor names the lab's host, an impossible one none", async () => {
    const hosts = await readHosts(lab.os);
    const names = new Map(hosts.map((h) => [h.uuid, h.name]));
    const small = await placementCandidates(lab.os, { VCPU: 1, MEMORY_MB: 64, DISK_GB: 1 }, names);
    expect(small.hosts.map((h) => h.name)).toEqual(expect.arrayContaining([hosts[0].name]));
    const impossible = await placementCandidates(lab.os, { VCPU: 100_000, MEMORY_MB: 64 }, names);
    expect(impossible.hosts).toEqual([]);
  });

  it("booting a server moves the host's usage by the flavor's amounts (its own allocation)", async () => {
    const [flavor, image, net] = await Promise.all([
      lab.os.compute.flavors.findByName("m1.nano"),
      lab.os.image.images.findByName("cirros-0.6-fake"),
      lab.os.network.networks.findByName("selfservice"),
    ]);
    const amounts = flavorNeeds({ flavorId: flavor!.id, name: flavor!.name, vcpus: flavor!.vcpus, ramMb: flavor!.ramMb, diskGb: flavor!.diskGb, ephemeralGb: flavor!.ephemeralGb, swapMb: flavor!.swapMb }).resources;
    const before = new Map((await readHosts(lab.os)).map((h) => [h.uuid, h.usages]));
    const { id } = await lab.os.compute.servers.create({
      name: testName("capacity").replace(/^cptest-/, "cptest-capacity-"),
      flavorId: flavor!.id,
      imageId: image!.id,
      networks: [{ networkId: net!.id }],
    });
    lab.undo.push(() => lab.os.compute.servers.delete(id));
    const booted = await waitForServerStatus(lab.os, id, ["ACTIVE"], { intervalMs: 500, timeoutMs: 180_000 });
    expect(booted.outcome).toBe("reached");

    // Our server's own allocation: exactly the flavor's amounts, on one host (also per curl).
    const mine = await lab.os.placement.allocations.get(id);
    const [[hostUuid, held]] = Object.entries(mine.allocations);
    expect(held).toEqual(amounts);
    expect((curlPlacement(`/allocations/${id}`) as { allocations: Record<string, { resources: Record<string, number> }> }).allocations[hostUuid].resources).toEqual(amounts);

    // The host's usage now includes it. Other engineers boot and delete at the same time, so the
    // usage is checked as the sum of the host's consumers (ours among them, with the flavor's
    // amounts) read together with it; the plain delta is logged when someone else moved it too.
    await expect
      .poll(
        async () => {
          const usages = (await readHosts(lab.os)).find((h) => h.uuid === hostUuid)!.usages;
          const consumers = (curlPlacement(`/resource_providers/${hostUuid}/allocations`) as {
            allocations: Record<string, { resources: Record<string, number> }>;
          }).allocations;
          const others: Record<string, number> = {};
          for (const [consumer, a] of Object.entries(consumers)) {
            if (consumer === id) continue;
            for (const [rc, n] of Object.entries(a.resources)) others[rc] = (others[rc] ?? 0) + n;
          }
          const mineThere = consumers[id]?.resources;
          return Object.entries(amounts).every(([rc, n]) => mineThere?.[rc] === n && usages[rc] - (others[rc] ?? 0) === n) ? "ours included" : JSON.stringify({ usages, others, mineThere });
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBe("ours included");
    const after = (await readHosts(lab.os)).find((h) => h.uuid === hostUuid)!.usages;
    for (const [rc, n] of Object.entries(amounts)) {
      const delta = after[rc] - (before.get(hostUuid)?.[rc] ?? 0);
      if (delta !== n) console.warn(`[capacity int] ${rc} moved by ${delta}, not ${n}: concurrent changes on ${hostUuid}`);
    }

    await lab.os.compute.servers.delete(id);
    await expect
      .poll(async () => Object.keys((await lab.os.placement.allocations.get(id)).allocations).length, { timeout: 120_000, interval: 1000 })
      .toBe(0);
  });
});
