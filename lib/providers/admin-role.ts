import type { OpenStackClient } from "@/lib/openstack/client";

type Signed = Pick<OpenStackClient, "token">;

/** Whether the signed-in credential holds `roleName` (case-insensitive) on its scope. */
export function holdsAdminRole(client: Signed, roleName: string): boolean {
  const wanted = roleName.toLowerCase();
  return client.token.roles.some((r) => r.name.toLowerCase() === wanted);
}

/** The seed's command that grants the role to the credential's user on its project. */
export function grantAdminRoleCommand(client: Signed, roleName: string): string {
  return `openstack role add --user ${client.token.user.name} --project ${client.token.project?.name ?? "<project>"} ${roleName.toLowerCase()}`;
}
