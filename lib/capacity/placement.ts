// Reading a cloud's capacity from Placement: one place turns the client's answers into the
// domain's HostCapacity (the tab, the snapshot job and the integration test all use it).
import type { HostCapacity } from "@/lib/domain/capacity";
import { mapLimit } from "@/lib/imports/run";
import type { OpenStackClient } from "@/lib/openstack";

/** Providers read at once; each costs four small GETs. */
const CONCURRENCY = 4;

/**
 * Every resource provider with an inventory (compute nodes, and any sharing provider), with its
 * inventories, usages, aggregates and traits, sorted by name.
 */
export async function readHosts(client: OpenStackClient): Promise<HostCapacity[]> {
  const rps = await client.placement.resourceProviders.list();
  const hosts = await mapLimit(rps, CONCURRENCY, async (rp): Promise<HostCapacity> => {
    const [inv, use, agg, traits] = await Promise.all([
      client.placement.resourceProviders.inventories(rp.uuid),
      client.placement.resourceProviders.usages(rp.uuid),
      client.placement.resourceProviders.aggregates(rp.uuid),
      client.placement.resourceProviders.traits(rp.uuid),
    ]);
    return {
      uuid: rp.uuid,
      name: rp.name,
      inventories: Object.fromEntries(
        Object.entries(inv.inventories).map(([rc, i]) => [
          rc,
          { total: i.total, reserved: i.reserved, minUnit: i.minUnit, maxUnit: i.maxUnit, stepSize: i.stepSize, allocationRatio: i.allocationRatio },
        ]),
      ),
      usages: use.usages,
      aggregates: [...agg.aggregates].sort(),
      traits: [...traits.traits].sort(),
    };
  });
  return hosts.filter((h) => Object.keys(h.inventories).length > 0).sort((a, b) => a.name.localeCompare(b.name));
}

export type PlacementAnswer = {
  resources: Record<string, number>;
  /** Hosts Placement would hand the flavor to now (root providers of the candidates). */
  hosts: Array<{ uuid: string; name: string }>;
};

/** Placement's own answer for one flavor: GET /allocation_candidates?resources=… */
export async function placementCandidates(
  client: OpenStackClient,
  resources: Record<string, number>,
  names: ReadonlyMap<string, string> = new Map(),
): Promise<PlacementAnswer> {
  if (Object.keys(resources).length === 0) return { resources, hosts: [] };
  const c = await client.placement.allocationCandidates.list({ resources });
  const uuids = new Set<string>();
  for (const req of c.allocationRequests) {
    for (const uuid of Object.keys(req)) uuids.add(c.providerSummaries[uuid]?.rootProviderUuid ?? uuid);
  }
  const hosts = [...uuids].map((uuid) => ({ uuid, name: names.get(uuid) ?? uuid })).sort((a, b) => a.name.localeCompare(b.name));
  return { resources, hosts };
}
