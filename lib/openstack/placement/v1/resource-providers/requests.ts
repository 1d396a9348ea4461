import { z } from "zod";

import type { ServiceClient } from "../../../core/service-client";
import { resourcesQuery } from "../allocation-candidates/types";
import {
  aggregatesSchema,
  inventoriesSchema,
  traitsSchema,
  type Aggregates,
  resourceProviderSchema,
  usagesSchema,
  type Inventories,
  type ListResourceProvidersOptions,
  type ResourceProvider,
  type Traits,
  type Usages,
} from "./types";
import { aggregatesUrl, inventoriesUrl, resourceProvidersUrl, resourceProviderUrl, traitsUrl, usagesUrl } from "./urls";

/** Lists resource providers (Placement does not paginate). GET /resource_providers */
export async function listResourceProviders(
  sc: ServiceClient,
  opts: ListResourceProvidersOptions = {},
): Promise<ResourceProvider[]> {
  const body = await sc.getJson(
    resourceProvidersUrl(),
    z.object({ resource_providers: z.array(resourceProviderSchema) }),
    {
      query: {
        name: opts.name,
        uuid: opts.uuid,
        in_tree: opts.inTree,
        resources: opts.resources && resourcesQuery(opts.resources),
      },
    },
  );
  return body.resource_providers;
}

/** Gets one resource provider. GET /resource_providers/{uuid} */
export async function getResourceProvider(sc: ServiceClient, uuid: string): Promise<ResourceProvider> {
  return sc.getJson(resourceProviderUrl(uuid), resourceProviderSchema);
}

/** Gets a provider's inventories by resource class. GET /resource_providers/{uuid}/inventories */
export async function getInventories(sc: ServiceClient, uuid: string): Promise<Inventories> {
  return sc.getJson(inventoriesUrl(uuid), inventoriesSchema);
}

/** Gets a provider's usages by resource class. GET /resource_providers/{uuid}/usages */
export async function getUsages(sc: ServiceClient, uuid: string): Promise<Usages> {
  return sc.getJson(usagesUrl(uuid), usagesSchema);
}

/**
 * Gets the aggregates (host aggregates' uuids) a provider belongs to. Needs microversion 1.1;
 * the generation comes back from 1.19. GET /resource_providers/{uuid}/aggregates
 */
export async function getAggregates(sc: ServiceClient, uuid: string): Promise<Aggregates> {
  return sc.getJson(aggregatesUrl(uuid), aggregatesSchema);
}

/** Gets a provider's traits (HW_CPU_X86_AVX2, COMPUTE_STATUS_DISABLED, …). Needs 1.6. GET /resource_providers/{uuid}/traits */
export async function getTraits(sc: ServiceClient, uuid: string): Promise<Traits> {
  return sc.getJson(traitsUrl(uuid), traitsSchema);
}
