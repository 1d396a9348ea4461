import { z } from "zod";

import type { ServiceClient } from "../../../core/service-client";
import { resourcesQuery } from "../allocation-candidates/types";
import {
  inventoriesSchema,
  resourceProviderSchema,
  usagesSchema,
  type Inventories,
  type ListResourceProvidersOptions,
  type ResourceProvider,
  type Usages,
} from "./types";
import { inventoriesUrl, resourceProvidersUrl, resourceProviderUrl, usagesUrl } from "./urls";

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
