import { seg } from "../../../core/lookup";

export const roleAssignmentsUrl = () => "/role_assignments";
export const projectUserRoleUrl = (projectId: string, userId: string, roleId: string) =>
  `/projects/${seg(projectId)}/users/${seg(userId)}/roles/${seg(roleId)}`;
