// Issue 12 §2: Cloudport only adopts what it made. A Keystone project or user of an account's
// name that Cloudport did not create (no "Cloudport account" marker in its description) is
// refused, per account, until a superuser adopts it explicitly.
//
// Imports lib/openstack/client types only, so tsx scripts can use it like provision.ts.
import type { Identity } from "@/lib/db/schema";
import type { OpenStackClient } from "@/lib/openstack/client";
import { orNull } from "./errors";

/** What provisioning writes into the description of every project and user it creates. */
export const CLOUDPORT_MARKER = "Cloudport account";

/** Whether a Keystone description carries Cloudport's marker ("Cloudport account…"). */
export function madeByCloudport(description: string | null | undefined): boolean {
  return (description ?? "").startsWith(CLOUDPORT_MARKER);
}

/** Marker for networks and subnets provisioning creates, so removal deletes only those. */
export const CLOUDPORT_NETWORK_MARKER = "Cloudport account network";

export function foreignMessage(kind: "project" | "user", name: string): string {
  return `${kind} ${name} exists and was not created by Cloudport; a superuser can adopt it explicitly.`;
}

/**
 * Why this account may not be provisioned into what already exists on the cloud, or null.
 * An account a superuser adopted (identity.adoptedAt) is allowed; otherwise a project or user
 * found by the recorded id or by name must carry Cloudport's marker. Looks before anything is
 * created, so a refused account changes nothing on the cloud.
 */
export async function unadoptedForeignReason(
  client: OpenStackClient,
  domainId: string,
  identity: Pick<Identity, "adoptedAt" | "projectId" | "openstackUserId" | "projectName">,
  username: string,
): Promise<string | null> {
  if (identity.adoptedAt) return null;
  const project =
    (identity.projectId ? await orNull(client.identity.projects.get(identity.projectId)) : null) ??
    (await client.identity.projects.findByName(identity.projectName, { domainId }));
  if (project && !madeByCloudport(project.description)) return foreignMessage("project", identity.projectName);
  const user =
    (identity.openstackUserId ? await orNull(client.identity.users.get(identity.openstackUserId)) : null) ??
    (await client.identity.users.findByName(username, { domainId }));
  if (user && !madeByCloudport(user.description)) return foreignMessage("user", username);
  return null;
}

/** An adopted account whose superuser did not opt in keeps its quota as it is. */
export function leavesQuotaAlone(identity: Pick<Identity, "adoptedAt" | "adoptQuota">): boolean {
  return Boolean(identity.adoptedAt) && !identity.adoptQuota;
}

/** An adopted account whose superuser did not opt in keeps its security group and network as they are. */
export function leavesNetworkAlone(identity: Pick<Identity, "adoptedAt" | "adoptNetwork">): boolean {
  return Boolean(identity.adoptedAt) && !identity.adoptNetwork;
}
