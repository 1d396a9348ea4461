import { z } from "zod";

import { collect, paginate } from "../../../core/pagination";
import type { ServiceClient } from "../../../core/service-client";
import { floatingIpSchema, type CreateFloatingIpOptions, type FloatingIp, type ListFloatingIpsOptions } from "./types";
import { floatingIpsUrl, floatingIpUrl } from "./urls";

const one = z.object({ floatingip: floatingIpSchema });

/** Lists floating IPs page by page. GET /v2.0/floatingips */
export function floatingIpPages(sc: ServiceClient, opts: ListFloatingIpsOptions = {}): AsyncGenerator<FloatingIp[]> {
  return paginate(sc, {
    path: floatingIpsUrl(),
    itemsKey: "floatingips",
    item: floatingIpSchema,
    query: {
      floating_network_id: opts.floatingNetworkId,
      port_id: opts.portId,
      project_id: opts.projectId,
      floating_ip_address: opts.floatingIpAddress,
      description: opts.description,
      limit: opts.limit,
    },
  });
}

/** Lists floating IPs. GET /v2.0/floatingips */
export function listFloatingIps(sc: ServiceClient, opts: ListFloatingIpsOptions = {}): Promise<FloatingIp[]> {
  return collect(floatingIpPages(sc, opts));
}

/** Gets one floating IP. GET /v2.0/floatingips/{id} */
export async function getFloatingIp(sc: ServiceClient, id: string): Promise<FloatingIp> {
  return (await sc.getJson(floatingIpUrl(id), one)).floatingip;
}

/** Allocates a floating IP from an external network. POST /v2.0/floatingips */
export async function createFloatingIp(sc: ServiceClient, opts: CreateFloatingIpOptions): Promise<FloatingIp> {
  const res = await sc.request("POST", floatingIpsUrl(), {
    json: {
      floatingip: {
        floating_network_id: opts.floatingNetworkId,
        port_id: opts.portId,
        fixed_ip_address: opts.fixedIpAddress,
        floating_ip_address: opts.floatingIpAddress,
        project_id: opts.projectId,
        description: opts.description,
      },
    },
  });
  return sc.parse(one, res).floatingip;
}

/** Associates a floating IP with a port (e.g. a server's). PUT /v2.0/floatingips/{id} */
export async function associateFloatingIp(
  sc: ServiceClient,
  id: string,
  portId: string,
  fixedIpAddress?: string,
): Promise<FloatingIp> {
  const res = await sc.request("PUT", floatingIpUrl(id), {
    json: { floatingip: { port_id: portId, fixed_ip_address: fixedIpAddress } },
  });
  return sc.parse(one, res).floatingip;
}

/** Disassociates a floating IP from its port. PUT /v2.0/floatingips/{id} */
export async function disassociateFloatingIp(sc: ServiceClient, id: string): Promise<FloatingIp> {
  const res = await sc.request("PUT", floatingIpUrl(id), { json: { floatingip: { port_id: null } } });
  return sc.parse(one, res).floatingip;
}

/** Releases a floating IP back to the pool. DELETE /v2.0/floatingips/{id} */
export async function releaseFloatingIp(sc: ServiceClient, id: string): Promise<void> {
  await sc.request("DELETE", floatingIpUrl(id));
}
