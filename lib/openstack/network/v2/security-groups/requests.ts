import { z } from "zod";

import { onlyOne } from "../../../core/lookup";
import { collect, paginate } from "../../../core/pagination";
import type { ServiceClient } from "../../../core/service-client";
import {
  securityGroupSchema,
  type CreateSecurityGroupOptions,
  type ListSecurityGroupsOptions,
  type SecurityGroup,
} from "./types";
import { securityGroupsUrl, securityGroupUrl } from "./urls";

/** Lists security groups (with their rules) page by page. GET /v2.0/security-groups */
export function securityGroupPages(
  sc: ServiceClient,
  opts: ListSecurityGroupsOptions = {},
): AsyncGenerator<SecurityGroup[]> {
  return paginate(sc, {
    path: securityGroupsUrl(),
    itemsKey: "security_groups",
    item: securityGroupSchema,
    query: { name: opts.name, project_id: opts.projectId, limit: opts.limit },
  });
}

/** Lists security groups with their rules. GET /v2.0/security-groups */
export function listSecurityGroups(sc: ServiceClient, opts: ListSecurityGroupsOptions = {}): Promise<SecurityGroup[]> {
  return collect(securityGroupPages(sc, opts));
}

/** Gets one security group with its rules. GET /v2.0/security-groups/{id} */
export async function getSecurityGroup(sc: ServiceClient, id: string): Promise<SecurityGroup> {
  return (await sc.getJson(securityGroupUrl(id), z.object({ security_group: securityGroupSchema }))).security_group;
}

/** Finds a security group by name (every project has a "default"), or null. GET /v2.0/security-groups?name= */
export async function findSecurityGroupByName(
  sc: ServiceClient,
  name: string,
  opts: { projectId?: string } = {},
): Promise<SecurityGroup | null> {
  return onlyOne(await listSecurityGroups(sc, { name, projectId: opts.projectId }), "security group", name, "project");
}

/** Creates a security group (Neutron adds default egress rules). POST /v2.0/security-groups */
export async function createSecurityGroup(sc: ServiceClient, opts: CreateSecurityGroupOptions): Promise<SecurityGroup> {
  const res = await sc.request("POST", securityGroupsUrl(), {
    json: { security_group: { name: opts.name, description: opts.description, project_id: opts.projectId } },
  });
  return sc.parse(z.object({ security_group: securityGroupSchema }), res).security_group;
}

/** Deletes a security group. DELETE /v2.0/security-groups/{id} */
export async function deleteSecurityGroup(sc: ServiceClient, id: string): Promise<void> {
  await sc.request("DELETE", securityGroupUrl(id));
}
