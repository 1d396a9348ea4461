import { z } from "zod";

import { collect, paginate } from "../../../core/pagination";
import type { ServiceClient } from "../../../core/service-client";
import { portSchema, type CreatePortOptions, type ListPortsOptions, type Port } from "./types";
import { portsUrl, portUrl } from "./urls";

/** Lists ports page by page. GET /v2.0/ports */
export function portPages(sc: ServiceClient, opts: ListPortsOptions = {}): AsyncGenerator<Port[]> {
  return paginate(sc, {
    path: portsUrl(),
    itemsKey: "ports",
    item: portSchema,
    query: {
      network_id: opts.networkId,
      device_id: opts.deviceId,
      device_owner: opts.deviceOwner,
      project_id: opts.projectId,
      name: opts.name,
      limit: opts.limit,
    },
  });
}

/** Lists ports (e.g. a server's with `deviceId`). GET /v2.0/ports */
export function listPorts(sc: ServiceClient, opts: ListPortsOptions = {}): Promise<Port[]> {
  return collect(portPages(sc, opts));
}

/** Gets one port. GET /v2.0/ports/{id} */
export async function getPort(sc: ServiceClient, id: string): Promise<Port> {
  return (await sc.getJson(portUrl(id), z.object({ port: portSchema }))).port;
}

/** Creates a port. POST /v2.0/ports */
export async function createPort(sc: ServiceClient, opts: CreatePortOptions): Promise<Port> {
  const res = await sc.request("POST", portsUrl(), {
    json: {
      port: {
        network_id: opts.networkId,
        name: opts.name,
        fixed_ips: opts.fixedIps?.map((ip) => ({ subnet_id: ip.subnetId, ip_address: ip.ipAddress })),
        security_groups: opts.securityGroupIds,
        project_id: opts.projectId,
        description: opts.description,
      },
    },
  });
  return sc.parse(z.object({ port: portSchema }), res).port;
}

/** Deletes a port. DELETE /v2.0/ports/{id} */
export async function deletePort(sc: ServiceClient, id: string): Promise<void> {
  await sc.request("DELETE", portUrl(id));
}
