import { z } from "zod";

import { onlyOne } from "../../../core/lookup";
import { collect, paginate } from "../../../core/pagination";
import type { ServiceClient } from "../../../core/service-client";
import {
  routerInterfaceSchema,
  routerSchema,
  type CreateRouterOptions,
  type ListRoutersOptions,
  type Router,
  type RouterGateway,
  type RouterInterface,
  type RouterInterfaceTarget,
} from "./types";
import { addInterfaceUrl, removeInterfaceUrl, routersUrl, routerUrl } from "./urls";

const one = z.object({ router: routerSchema });

/** Lists routers page by page. GET /v2.0/routers */
export function routerPages(sc: ServiceClient, opts: ListRoutersOptions = {}): AsyncGenerator<Router[]> {
  return paginate(sc, {
    path: routersUrl(),
    itemsKey: "routers",
    item: routerSchema,
    query: { name: opts.name, project_id: opts.projectId, limit: opts.limit },
  });
}

/** Lists routers. GET /v2.0/routers */
export function listRouters(sc: ServiceClient, opts: ListRoutersOptions = {}): Promise<Router[]> {
  return collect(routerPages(sc, opts));
}

/** Gets one router. GET /v2.0/routers/{id} */
export async function getRouter(sc: ServiceClient, id: string): Promise<Router> {
  return (await sc.getJson(routerUrl(id), one)).router;
}

/** Finds a router by name (optionally within a project), or null. GET /v2.0/routers?name= */
export async function findRouterByName(
  sc: ServiceClient,
  name: string,
  opts: { projectId?: string } = {},
): Promise<Router | null> {
  return onlyOne(await listRouters(sc, { name, projectId: opts.projectId }), "router", name, "project");
}

/** Creates a router, optionally with its gateway on an external network. POST /v2.0/routers */
export async function createRouter(sc: ServiceClient, opts: CreateRouterOptions): Promise<Router> {
  const res = await sc.request("POST", routersUrl(), {
    json: {
      router: {
        name: opts.name,
        project_id: opts.projectId,
        description: opts.description,
        admin_state_up: opts.adminStateUp,
        external_gateway_info: opts.externalGateway && gatewayBody(opts.externalGateway),
      },
    },
  });
  return sc.parse(one, res).router;
}

/** Sets (or replaces) the router's external gateway. PUT /v2.0/routers/{id} */
export async function setRouterGateway(sc: ServiceClient, id: string, gateway: RouterGateway): Promise<Router> {
  const res = await sc.request("PUT", routerUrl(id), {
    json: { router: { external_gateway_info: gatewayBody(gateway) } },
  });
  return sc.parse(one, res).router;
}

/** Removes the router's external gateway. PUT /v2.0/routers/{id} */
export async function clearRouterGateway(sc: ServiceClient, id: string): Promise<Router> {
  const res = await sc.request("PUT", routerUrl(id), { json: { router: { external_gateway_info: {} } } });
  return sc.parse(one, res).router;
}

/** Attaches a subnet or port to the router. PUT /v2.0/routers/{id}/add_router_interface */
export async function addRouterInterface(
  sc: ServiceClient,
  id: string,
  target: RouterInterfaceTarget,
): Promise<RouterInterface> {
  const res = await sc.request("PUT", addInterfaceUrl(id), { json: interfaceBody(target) });
  return sc.parse(routerInterfaceSchema, res);
}

/** Detaches a subnet or port from the router. PUT /v2.0/routers/{id}/remove_router_interface */
export async function removeRouterInterface(
  sc: ServiceClient,
  id: string,
  target: RouterInterfaceTarget,
): Promise<RouterInterface> {
  const res = await sc.request("PUT", removeInterfaceUrl(id), { json: interfaceBody(target) });
  return sc.parse(routerInterfaceSchema, res);
}

/** Deletes a router (interfaces must be removed first). DELETE /v2.0/routers/{id} */
export async function deleteRouter(sc: ServiceClient, id: string): Promise<void> {
  await sc.request("DELETE", routerUrl(id));
}

function gatewayBody(gateway: RouterGateway) {
  return { network_id: gateway.networkId, enable_snat: gateway.enableSnat };
}

function interfaceBody(target: RouterInterfaceTarget) {
  return "subnetId" in target ? { subnet_id: target.subnetId } : { port_id: target.portId };
}
