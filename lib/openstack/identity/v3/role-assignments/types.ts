import { z } from "zod";

const ref = z.looseObject({ id: z.string(), name: z.string().nullish() });

export const roleAssignmentSchema = z
  .looseObject({
    role: ref,
    user: ref.nullish(),
    group: ref.nullish(),
    scope: z
      .looseObject({
        project: ref.nullish(),
        domain: ref.nullish(),
        system: z.unknown().optional(),
        "OS-INHERIT:inherited_to": z.string().nullish(),
      })
      .default({}),
  })
  .transform((a) => ({
    roleId: a.role.id,
    roleName: a.role.name ?? null,
    userId: a.user?.id ?? null,
    userName: a.user?.name ?? null,
    groupId: a.group?.id ?? null,
    projectId: a.scope.project?.id ?? null,
    projectName: a.scope.project?.name ?? null,
    domainId: a.scope.domain?.id ?? null,
    system: a.scope.system !== undefined,
    inherited: !!a.scope["OS-INHERIT:inherited_to"],
    raw: a,
  }));

export type RoleAssignment = z.output<typeof roleAssignmentSchema>;

export interface ListRoleAssignmentsOptions {
  userId?: string;
  groupId?: string;
  projectId?: string;
  domainId?: string;
  roleId?: string;
  /** Expand group memberships and inheritance into per-user assignments. */
  effective?: boolean;
  /** Include user, project and role names. */
  includeNames?: boolean;
}

export interface ProjectRoleRef {
  projectId: string;
  userId: string;
  roleId: string;
}
