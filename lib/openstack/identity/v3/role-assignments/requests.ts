import { z } from "zod";

import type { ServiceClient } from "../../../core/service-client";
import {
  roleAssignmentSchema,
  type ListRoleAssignmentsOptions,
  type ProjectRoleRef,
  type RoleAssignment,
} from "./types";
import { projectUserRoleUrl, roleAssignmentsUrl } from "./urls";

/** Lists role assignments matching the filters. GET /v3/role_assignments */
export async function listRoleAssignments(
  sc: ServiceClient,
  opts: ListRoleAssignmentsOptions = {},
): Promise<RoleAssignment[]> {
  const body = await sc.getJson(roleAssignmentsUrl(), z.object({ role_assignments: z.array(roleAssignmentSchema) }), {
    query: {
      "user.id": opts.userId,
      "group.id": opts.groupId,
      "scope.project.id": opts.projectId,
      "scope.domain.id": opts.domainId,
      "role.id": opts.roleId,
      effective: opts.effective || undefined,
      include_names: opts.includeNames || undefined,
    },
  });
  return body.role_assignments;
}

/** Grants a role to a user on a project (idempotent on Keystone's side). PUT /v3/projects/{p}/users/{u}/roles/{r} */
export async function grantProjectRole(sc: ServiceClient, ref: ProjectRoleRef): Promise<void> {
  await sc.request("PUT", projectUserRoleUrl(ref.projectId, ref.userId, ref.roleId));
}

/** Revokes a user's role on a project. DELETE /v3/projects/{p}/users/{u}/roles/{r} */
export async function revokeProjectRole(sc: ServiceClient, ref: ProjectRoleRef): Promise<void> {
  await sc.request("DELETE", projectUserRoleUrl(ref.projectId, ref.userId, ref.roleId));
}

/** Whether the user has the role on the project (direct grant). HEAD /v3/projects/{p}/users/{u}/roles/{r} */
export async function checkProjectRole(sc: ServiceClient, ref: ProjectRoleRef): Promise<boolean> {
  const res = await sc.request("HEAD", projectUserRoleUrl(ref.projectId, ref.userId, ref.roleId), { accept: [404] });
  return res.status !== 404;
}
