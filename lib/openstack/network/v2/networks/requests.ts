import { z } from "zod";

import { onlyOne } from "../../../core/lookup";
import { collect, paginate } from "../../../core/pagination";
import type { ServiceClient } from "../../../core/service-client";
import { networkSchema, type CreateNetworkOptions, type ListNetworksOptions, type Network } from "./types";
import { networksUrl, networkUrl } from "./urls";

/** Lists networks page by page. GET /v2.0/networks */
export function networkPages(sc: ServiceClient, opts: ListNetworksOptions = {}): AsyncGenerator<Network[]> {
  return paginate(sc, {
    path: networksUrl(),
    itemsKey: "networks",
    item: networkSchema,
    query: {
      name: opts.name,
      "router:external": opts.routerExternal,
      shared: opts.shared,
      project_id: opts.projectId,
      status: opts.status,
      limit: opts.limit,
    },
  });
}

/** Lists networks (e.g. external ones with `routerExternal: true`). GET /v2.0/networks */
export function listNetworks(sc: ServiceClient, opts: ListNetworksOptions = {}): Promise<Network[]> {
  return collect(networkPages(sc, opts));
}

/** Gets one network. GET /v2.0/networks/{id} */
export async function getNetwork(sc: ServiceClient, id: string): Promise<Network> {
  return (await sc.getJson(networkUrl(id), z.object({ network: networkSchema }))).network;
}

/** Finds a network by name (optionally within a project), or null. GET /v2.0/networks?name= */
export async function findNetworkByName(
  sc: ServiceClient,
  name: string,
  opts: { projectId?: string } = {},
): Promise<Network | null> {
  return onlyOne(await listNetworks(sc, { name, projectId: opts.projectId }), "network", name, "project");
}

/** Creates a network. POST /v2.0/networks */
export async function createNetwork(sc: ServiceClient, opts: CreateNetworkOptions): Promise<Network> {
  const res = await sc.request("POST", networksUrl(), {
    json: {
      network: {
        name: opts.name,
        project_id: opts.projectId,
        description: opts.description,
        admin_state_up: opts.adminStateUp,
        shared: opts.shared,
        "router:external": opts.routerExternal,
        mtu: opts.mtu,
      },
    },
  });
  return sc.parse(z.object({ network: networkSchema }), res).network;
}

/** Deletes a network. DELETE /v2.0/networks/{id} */
export async function deleteNetwork(sc: ServiceClient, id: string): Promise<void> {
  await sc.request("DELETE", networkUrl(id));
}
