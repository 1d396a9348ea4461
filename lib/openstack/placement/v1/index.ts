import { bind } from "../../core/bind";
import type { ServiceClient } from "../../core/service-client";
import * as candidates from "./allocation-candidates/requests";
import * as allocations from "./allocations/requests";
import * as providers from "./resource-providers/requests";

/** Placement as one object of resources. */
export function placementApi(sc: ServiceClient) {
  return {
    resourceProviders: bind(sc, {
      list: providers.listResourceProviders,
      get: providers.getResourceProvider,
      inventories: providers.getInventories,
      usages: providers.getUsages,
      aggregates: providers.getAggregates,
      traits: providers.getTraits,
    }),
    allocationCandidates: bind(sc, { list: candidates.listAllocationCandidates }),
    allocations: bind(sc, { get: allocations.getConsumerAllocations }),
    /** The negotiated placement microversion. */
    microversion: () => sc.microversion(),
  };
}
