import { z } from "zod";

const gatewaySchema = z
  .looseObject({
    network_id: z.string(),
    enable_snat: z.boolean().nullish(),
    external_fixed_ips: z.array(z.object({ subnet_id: z.string(), ip_address: z.string() })).default([]),
  })
  .transform((g) => ({
    networkId: g.network_id,
    enableSnat: g.enable_snat ?? null,
    externalFixedIps: g.external_fixed_ips.map((ip) => ({ subnetId: ip.subnet_id, ipAddress: ip.ip_address })),
  }));

export const routerSchema = z
  .looseObject({
    id: z.string(),
    name: z.string().default(""),
    status: z.string().nullish(),
    admin_state_up: z.boolean().default(true),
    external_gateway_info: gatewaySchema.nullish(),
    project_id: z.string().nullish(),
    tenant_id: z.string().nullish(),
    description: z.string().nullish(),
    routes: z.array(z.object({ destination: z.string(), nexthop: z.string() })).default([]),
  })
  .transform((r) => ({
    id: r.id,
    name: r.name,
    status: r.status ?? null,
    adminStateUp: r.admin_state_up,
    /** Null when the router has no gateway. */
    externalGateway: r.external_gateway_info ?? null,
    projectId: r.project_id ?? r.tenant_id ?? null,
    description: r.description ?? "",
    routes: r.routes,
    raw: r,
  }));

export type Router = z.output<typeof routerSchema>;

export const routerInterfaceSchema = z
  .looseObject({
    id: z.string(),
    port_id: z.string(),
    subnet_id: z.string().nullish(),
    subnet_ids: z.array(z.string()).default([]),
  })
  .transform((i) => ({ routerId: i.id, portId: i.port_id, subnetIds: i.subnet_id ? [i.subnet_id] : i.subnet_ids }));

export type RouterInterface = z.output<typeof routerInterfaceSchema>;

export interface ListRoutersOptions {
  name?: string;
  projectId?: string;
  limit?: number;
}

export interface RouterGateway {
  networkId: string;
  enableSnat?: boolean;
}

export interface CreateRouterOptions {
  name: string;
  projectId?: string;
  description?: string;
  adminStateUp?: boolean;
  externalGateway?: RouterGateway;
}

/** A subnet (Neutron picks the subnet's gateway address) or an existing port. */
export type RouterInterfaceTarget = { subnetId: string } | { portId: string };
