import { z } from "zod";

import { onlyOne } from "../../../core/lookup";
import { collect, paginate } from "../../../core/pagination";
import type { ServiceClient } from "../../../core/service-client";
import { subnetSchema, type CreateSubnetOptions, type ListSubnetsOptions, type Subnet } from "./types";
import { subnetsUrl, subnetUrl } from "./urls";

/** Lists subnets page by page. GET /v2.0/subnets */
export function subnetPages(sc: ServiceClient, opts: ListSubnetsOptions = {}): AsyncGenerator<Subnet[]> {
  return paginate(sc, {
    path: subnetsUrl(),
    itemsKey: "subnets",
    item: subnetSchema,
    query: {
      name: opts.name,
      network_id: opts.networkId,
      project_id: opts.projectId,
      cidr: opts.cidr,
      ip_version: opts.ipVersion,
      limit: opts.limit,
    },
  });
}

/** Lists subnets with their allocation pools. GET /v2.0/subnets */
export function listSubnets(sc: ServiceClient, opts: ListSubnetsOptions = {}): Promise<Subnet[]> {
  return collect(subnetPages(sc, opts));
}

/** Gets one subnet. GET /v2.0/subnets/{id} */
export async function getSubnet(sc: ServiceClient, id: string): Promise<Subnet> {
  return (await sc.getJson(subnetUrl(id), z.object({ subnet: subnetSchema }))).subnet;
}

/** Finds a subnet by name (optionally within a project), or null. GET /v2.0/subnets?name= */
export async function findSubnetByName(
  sc: ServiceClient,
  name: string,
  opts: { projectId?: string } = {},
): Promise<Subnet | null> {
  return onlyOne(await listSubnets(sc, { name, projectId: opts.projectId }), "subnet", name, "project");
}

/** Creates a subnet. POST /v2.0/subnets */
export async function createSubnet(sc: ServiceClient, opts: CreateSubnetOptions): Promise<Subnet> {
  const res = await sc.request("POST", subnetsUrl(), {
    json: {
      subnet: {
        network_id: opts.networkId,
        cidr: opts.cidr,
        ip_version: opts.ipVersion ?? 4,
        name: opts.name,
        gateway_ip: opts.gatewayIp,
        enable_dhcp: opts.enableDhcp,
        allocation_pools: opts.allocationPools,
        dns_nameservers: opts.dnsNameservers,
        project_id: opts.projectId,
        description: opts.description,
      },
    },
  });
  return sc.parse(z.object({ subnet: subnetSchema }), res).subnet;
}

/** Deletes a subnet. DELETE /v2.0/subnets/{id} */
export async function deleteSubnet(sc: ServiceClient, id: string): Promise<void> {
  await sc.request("DELETE", subnetUrl(id));
}
