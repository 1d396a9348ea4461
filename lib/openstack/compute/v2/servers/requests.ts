import { z } from "zod";

import { onlyOne } from "../../../core/lookup";
import { collect, paginate } from "../../../core/pagination";
import type { ServiceClient } from "../../../core/service-client";
import {
  serverSchema,
  type CreateServerOptions,
  type ListServersOptions,
  type RebootType,
  type Server,
  type ServerNetworks,
} from "./types";
import { serverActionUrl, serversDetailUrl, serversUrl, serverUrl } from "./urls";

/** Lists servers with details page by page. GET /v2.1/servers/detail */
export function serverPages(sc: ServiceClient, opts: ListServersOptions = {}): AsyncGenerator<Server[]> {
  return paginate(sc, {
    path: serversDetailUrl(),
    itemsKey: "servers",
    item: serverSchema,
    query: {
      all_tenants: opts.allTenants ? 1 : undefined,
      project_id: opts.projectId,
      status: opts.status,
      name: opts.name,
      host: opts.host,
      "changes-since": opts.changesSince?.toISOString(),
      limit: opts.limit,
    },
  });
}

/** Lists servers with details. GET /v2.1/servers/detail */
export function listServers(sc: ServiceClient, opts: ListServersOptions = {}): Promise<Server[]> {
  return collect(serverPages(sc, opts));
}

/** Gets one server, including its fault when in ERROR. GET /v2.1/servers/{id} */
export async function getServer(sc: ServiceClient, id: string): Promise<Server> {
  return (await sc.getJson(serverUrl(id), z.object({ server: serverSchema }))).server;
}

/** Finds a server by exact name in the current project, or null. GET /v2.1/servers/detail?name= */
export async function findServerByName(sc: ServiceClient, name: string): Promise<Server | null> {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const matches = await listServers(sc, { name: `^${escaped}$` });
  return onlyOne(matches, "server", name);
}

/** Nova validates images, flavors, networks and quotas synchronously; on a busy cloud that takes a while. */
const CREATE_TIMEOUT_MS = 60_000;

/** Boots a server; poll with waitForServerStatus. POST /v2.1/servers */
export async function createServer(sc: ServiceClient, opts: CreateServerOptions): Promise<{ id: string }> {
  const res = await sc.request("POST", serversUrl(), {
    timeoutMs: CREATE_TIMEOUT_MS,
    json: {
      server: {
        name: opts.name,
        flavorRef: opts.flavorId,
        imageRef: opts.imageId,
        networks: networksBody(opts.networks),
        key_name: opts.keyName,
        security_groups: opts.securityGroups?.map((name) => ({ name })),
        user_data: opts.userData === undefined ? undefined : Buffer.from(opts.userData).toString("base64"),
        metadata: opts.metadata,
        availability_zone: opts.availabilityZone,
        description: opts.description,
      },
    },
  });
  // The answer also holds adminPass, which we deliberately drop.
  return { id: sc.parse(z.object({ server: z.object({ id: z.string() }) }), res).server.id };
}

/** Deletes a server. DELETE /v2.1/servers/{id} */
export async function deleteServer(sc: ServiceClient, id: string): Promise<void> {
  await sc.request("DELETE", serverUrl(id));
}

/** Starts a stopped server. POST /v2.1/servers/{id}/action {"os-start"} */
export async function startServer(sc: ServiceClient, id: string): Promise<void> {
  await sc.request("POST", serverActionUrl(id), { json: { "os-start": null } });
}

/** Stops (powers off) a server. POST /v2.1/servers/{id}/action {"os-stop"} */
export async function stopServer(sc: ServiceClient, id: string): Promise<void> {
  await sc.request("POST", serverActionUrl(id), { json: { "os-stop": null } });
}

/** Shelves a server (snapshot, power off, offload by the cloud's policy). POST /v2.1/servers/{id}/action {"shelve"} */
export async function shelveServer(sc: ServiceClient, id: string): Promise<void> {
  await sc.request("POST", serverActionUrl(id), { json: { shelve: null } });
}

/** Unshelves a shelved server. POST /v2.1/servers/{id}/action {"unshelve"} */
export async function unshelveServer(sc: ServiceClient, id: string): Promise<void> {
  await sc.request("POST", serverActionUrl(id), { json: { unshelve: null } });
}

/** Reboots a server. POST /v2.1/servers/{id}/action {"reboot"} */
export async function rebootServer(sc: ServiceClient, id: string, type: RebootType = "SOFT"): Promise<void> {
  await sc.request("POST", serverActionUrl(id), { json: { reboot: { type } } });
}

function networksBody(networks: ServerNetworks) {
  if (typeof networks === "string") return networks;
  return networks.map((n) => ("portId" in n ? { port: n.portId } : { uuid: n.networkId, fixed_ip: n.fixedIp }));
}
