import { OpenStackLookupError } from "../../core/errors";
import type { ServiceClient } from "../../core/service-client";
import { createProject, findProjectByName, getProject } from "./projects/requests";
import type { CreateProjectOptions, Project } from "./projects/types";
import { checkProjectRole, grantProjectRole } from "./role-assignments/requests";
import { findRoleByName, getRole } from "./roles/requests";
import { createUser, findUserByName, getUser } from "./users/requests";
import type { CreateUserOptions, User } from "./users/types";

/** Refers to an identity object by id or by name. */
export type Ref = { id: string } | { name: string };

export interface Ensured<T> {
  value: T;
  /** False when it already existed. */
  created: boolean;
}

/** Returns the project with this name in the domain, creating it if missing. GET then POST /v3/projects */
export async function ensureProject(sc: ServiceClient, opts: CreateProjectOptions): Promise<Ensured<Project>> {
  const domainId = opts.domainId ?? "default";
  const existing = await findProjectByName(sc, opts.name, { domainId });
  if (existing) return { value: existing, created: false };
  return { value: await createProject(sc, { ...opts, domainId }), created: true };
}

/**
 * Returns the user with this name in the domain, creating it if missing. An existing user is
 * left as it is (its password is not reset). GET then POST /v3/users
 */
export async function ensureUser(sc: ServiceClient, opts: CreateUserOptions): Promise<Ensured<User>> {
  const domainId = opts.domainId ?? "default";
  const existing = await findUserByName(sc, opts.name, { domainId });
  if (existing) return { value: existing, created: false };
  return { value: await createUser(sc, { ...opts, domainId }), created: true };
}

/**
 * Grants the role to the user on the project unless it is already granted; names are
 * looked up in `domainId` (default domain when omitted).
 * HEAD then PUT /v3/projects/{p}/users/{u}/roles/{r}
 */
export async function ensureRoleAssignment(
  sc: ServiceClient,
  opts: { project: Ref; user: Ref; role: Ref; domainId?: string },
): Promise<Ensured<{ projectId: string; userId: string; roleId: string }>> {
  const domainId = opts.domainId ?? "default";
  const [project, user, role] = await Promise.all([
    resolve(opts.project, "project", (n) => findProjectByName(sc, n, { domainId }), (id) => getProject(sc, id)),
    resolve(opts.user, "user", (n) => findUserByName(sc, n, { domainId }), (id) => getUser(sc, id)),
    resolve(opts.role, "role", (n) => findRoleByName(sc, n), (id) => getRole(sc, id)),
  ]);
  const ref = { projectId: project.id, userId: user.id, roleId: role.id };
  if (await checkProjectRole(sc, ref)) return { value: ref, created: false };
  await grantProjectRole(sc, ref);
  return { value: ref, created: true };
}

async function resolve<T>(
  ref: Ref,
  what: string,
  byName: (name: string) => Promise<T | null>,
  byId: (id: string) => Promise<T>,
): Promise<T> {
  if ("id" in ref) return byId(ref.id);
  const found = await byName(ref.name);
  if (!found) throw new OpenStackLookupError(`No ${what} named "${ref.name}"`);
  return found;
}
