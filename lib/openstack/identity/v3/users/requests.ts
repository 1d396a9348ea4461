import { z } from "zod";

import { onlyOne } from "../../../core/lookup";
import { collect, paginate } from "../../../core/pagination";
import type { ServiceClient } from "../../../core/service-client";
import { userSchema, type CreateUserOptions, type ListUsersOptions, type UpdateUserOptions, type User } from "./types";
import { usersUrl, userUrl } from "./urls";

const one = z.object({ user: userSchema });

/** Lists users page by page. GET /v3/users */
export function userPages(sc: ServiceClient, opts: ListUsersOptions = {}): AsyncGenerator<User[]> {
  return paginate(sc, {
    path: usersUrl(),
    itemsKey: "users",
    item: userSchema,
    query: { name: opts.name, domain_id: opts.domainId, enabled: opts.enabled, limit: opts.limit },
  });
}

/** Lists users. GET /v3/users */
export function listUsers(sc: ServiceClient, opts: ListUsersOptions = {}): Promise<User[]> {
  return collect(userPages(sc, opts));
}

/** Gets one user. GET /v3/users/{id} */
export async function getUser(sc: ServiceClient, id: string): Promise<User> {
  return (await sc.getJson(userUrl(id), one)).user;
}

/** Finds a user by name (optionally within a domain), or null. GET /v3/users?name= */
export async function findUserByName(
  sc: ServiceClient,
  name: string,
  opts: { domainId?: string } = {},
): Promise<User | null> {
  // Keystone lists a federated (shadow) user once per identity row it has: the same id twice.
  const byId = new Map((await listUsers(sc, { name, domainId: opts.domainId })).map((u) => [u.id, u]));
  return onlyOne([...byId.values()], "user", name, "domain");
}

/** Creates a user. POST /v3/users */
export async function createUser(sc: ServiceClient, opts: CreateUserOptions): Promise<User> {
  const res = await sc.request("POST", usersUrl(), {
    json: { user: { ...userBody(opts), domain_id: opts.domainId ?? "default" } },
  });
  return sc.parse(one, res).user;
}

/** Updates a user (including its password). PATCH /v3/users/{id} */
export async function updateUser(sc: ServiceClient, id: string, opts: UpdateUserOptions): Promise<User> {
  const res = await sc.request("PATCH", userUrl(id), { json: { user: userBody(opts) } });
  return sc.parse(one, res).user;
}

/** Deletes a user. DELETE /v3/users/{id} */
export async function deleteUser(sc: ServiceClient, id: string): Promise<void> {
  await sc.request("DELETE", userUrl(id));
}

function userBody(opts: CreateUserOptions | UpdateUserOptions) {
  return {
    name: opts.name,
    password: opts.password,
    email: opts.email,
    description: opts.description,
    default_project_id: opts.defaultProjectId,
    enabled: opts.enabled,
  };
}
