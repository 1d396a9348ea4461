import { z } from "zod";

import { onlyOne } from "../../../core/lookup";
import type { ServiceClient } from "../../../core/service-client";
import { roleSchema, type ListRolesOptions, type Role } from "./types";
import { rolesUrl, roleUrl } from "./urls";

/** Lists roles. GET /v3/roles */
export async function listRoles(sc: ServiceClient, opts: ListRolesOptions = {}): Promise<Role[]> {
  const body = await sc.getJson(rolesUrl(), z.object({ roles: z.array(roleSchema) }), {
    query: { name: opts.name, domain_id: opts.domainId },
  });
  return body.roles;
}

/** Gets one role. GET /v3/roles/{id} */
export async function getRole(sc: ServiceClient, id: string): Promise<Role> {
  return (await sc.getJson(roleUrl(id), z.object({ role: roleSchema }))).role;
}

/** Finds a global role by name, or null. GET /v3/roles?name= */
export async function findRoleByName(sc: ServiceClient, name: string): Promise<Role | null> {
  return onlyOne(await listRoles(sc, { name }), "role", name);
}

/** Creates a global role. POST /v3/roles */
export async function createRole(sc: ServiceClient, opts: { name: string; description?: string }): Promise<Role> {
  const res = await sc.request("POST", rolesUrl(), { json: { role: { name: opts.name, description: opts.description } } });
  return sc.parse(z.object({ role: roleSchema }), res).role;
}

/** Deletes a role (and its assignments). DELETE /v3/roles/{id} */
export async function deleteRole(sc: ServiceClient, id: string): Promise<void> {
  await sc.request("DELETE", roleUrl(id));
}
