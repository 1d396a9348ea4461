import type { Db } from "@/lib/db/client";
import type { Identity, Provider } from "@/lib/db/schema";
import type { OpenStackClient } from "@/lib/openstack/client";
import { claimIdentity, releaseIdentity } from "./claim";
import { accountSettings, type AccountSettings } from "@/lib/providers/connection";
import { isStatus } from "@/lib/openstack/core/errors";
import { AccountStepError, describeError, ignoreNotFound, orNull } from "./errors";
import { CLOUDPORT_NETWORK_MARKER } from "./adoption";
import { isRouterInterfacePort, reservedNamesOf, resolveDomainId } from "./provision";
import { updateIdentity } from "./queries";
import type { RemoveStep } from "./steps";
import { federatedUniqueId } from "@/lib/domain/federation";

/** What tear-down needs from the provider, looked up once per run. */
export type RemoveEnv = {
  settings: AccountSettings;
  domainId: string;
  adminUserId: string;
  reservedNames: Set<string>;
};

export async function prepareRemoval(client: OpenStackClient, provider: Provider): Promise<RemoveEnv> {
  const settings = accountSettings(provider);
  return {
    settings,
    domainId: await resolveDomainId(client, settings.domain),
    adminUserId: client.token.user.id,
    reservedNames: reservedNamesOf(client, provider),
  };
}

/** Provisioning marks what it creates; only those are deleted, never an adopted project or user. */
const createdByCloudport = (description: string | null | undefined) => (description ?? "").startsWith("Cloudport account");

export type RemoveOptions = { onStep?: (step: RemoveStep) => void; signal?: AbortSignal; jobId?: string };

/**
 * Tears an account down in the reverse order of provisioning: router interface, router (only
 * one made for the account), subnet, network, security groups, role assignments, project,
 * user. Anything already gone (404) is fine; ids not recorded are looked up by name. The
 * identity row stays, end-dated with state "removed".
 */
export async function removeAccount(
  db: Db,
  client: OpenStackClient,
  env: RemoveEnv,
  identity: Identity,
  username: string,
  options: RemoveOptions = {},
): Promise<{ identity: Identity; removed: string[] }> {
  if (identity.endDate) return { identity, removed: [] };
  const name = identity.projectName;
  if (env.reservedNames.has(name.toLowerCase()) || env.reservedNames.has(username.toLowerCase())) {
    throw new AccountStepError("remove_project", `"${name}" is a name the provider's own admin uses; Cloudport will not delete it.`);
  }
  if (options.jobId && !(await claimIdentity(db, identity.id, options.jobId))) {
    throw new AccountStepError("remove_interface", "Another job is working on this account right now; try again when it finishes.");
  }
  const removed: string[] = [];
  let current = identity;
  const run = async (step: RemoveStep, work: () => Promise<void>) => {
    options.signal?.throwIfAborted();
    current = await updateIdentity(db, identity.id, { state: "removing", lastStep: step, lastError: null });
    options.onStep?.(step);
    try {
      await work();
    } catch (error) {
      const message = describeError(error, []);
      current = await updateIdentity(db, identity.id, { state: "failed", lastError: message });
      throw new AccountStepError(step, message);
    }
  };

  try {
    let projectId = identity.projectId;
    let networkId = identity.networkId;
    let subnetId = identity.subnetId;
    // A project that existed before Cloudport adopted it (e.g. made by the original portal) keeps
    // its other members, groups and itself: only what Cloudport granted is taken back.
    const project =
      (projectId ? await orNull(client.identity.projects.get(projectId)) : null) ??
      (await client.identity.projects.findByName(name, { domainId: env.domainId }));
    const ownProject = !project || createdByCloudport(project.description);
    // Networks, subnets and router interfaces are deleted only when Cloudport made them: marked
    // ones, or (made before the marker) <project>-net in a project Cloudport created itself.
    const ownNetwork = (net: { name: string; description: string }) =>
      net.description.startsWith(CLOUDPORT_NETWORK_MARKER) || (ownProject && !identity.adoptedAt && net.name === `${name}-net`);
    let networkOurs = true;

    await run("remove_interface", async () => {
      if (!projectId) projectId = (await client.identity.projects.findByName(name, { domainId: env.domainId }))?.id ?? null;
      const net =
        (networkId ? await orNull(client.network.networks.get(networkId)) : null) ??
        (projectId ? await client.network.networks.findByName(`${name}-net`, { projectId }) : null);
      networkId = net?.id ?? null;
      if (net && !ownNetwork(net)) {
        networkOurs = false;
        removed.push(`network ${net.name} kept (not created by Cloudport)`);
        return;
      }
      if (net) {
        for (const port of (await client.network.ports.list({ networkId: net.id })).filter(isRouterInterfacePort)) {
          if (await ignoreNotFound(client.network.routers.removeInterface(port.deviceId, { portId: port.id }))) removed.push("router interface");
        }
      } else if (identity.routerId && subnetId && ownProject) {
        await ignoreNotFound(client.network.routers.removeInterface(identity.routerId, { subnetId }));
      }
    });

    await run("remove_router", async () => {
      // Only a router made for this account: never a shared public router.
      const own =
        (identity.routerOwned && identity.routerId ? await orNull(client.network.routers.get(identity.routerId)) : null) ??
        (projectId ? await client.network.routers.findByName(`${name}-router`, { projectId }) : null);
      if (own && (identity.routerOwned || ownProject) && (!projectId || own.projectId === projectId || identity.routerOwned)) {
        if (await ignoreNotFound(client.network.routers.delete(own.id))) removed.push("router");
      }
    });

    await run("remove_subnet", async () => {
      if (!networkOurs) return;
      const subnet =
        (subnetId ? await orNull(client.network.subnets.get(subnetId)) : null) ??
        (networkId ? (await client.network.subnets.list({ name: `${name}-subnet`, networkId }))[0] ?? null : null);
      subnetId = subnet?.id ?? null;
      if (subnet && (await ignoreNotFound(client.network.subnets.delete(subnet.id)))) removed.push("subnet");
    });

    await run("remove_network", async () => {
      if (!networkOurs) return;
      if (networkId && (await ignoreNotFound(client.network.networks.delete(networkId)))) removed.push("network");
    });

    await run("remove_security_groups", async () => {
      if (!projectId || !ownProject) return;
      // Keystone does not tell Neutron a project is gone: its groups would stay behind.
      for (const group of await client.network.securityGroups.list({ projectId })) {
        if (group.projectId !== projectId) continue;
        if (await ignoreNotFound(client.network.securityGroups.delete(group.id))) removed.push(`security group ${group.name}`);
      }
    });

    await run("remove_roles", async () => {
      if (!projectId) return;
      const assignments = await client.identity.roleAssignments.list({ projectId });
      // In a project Cloudport did not create, only the assignments it recorded making
      // (identity.grantedRoles) are revoked: a role the admin or the account's user held there
      // before adoption stays. The project's own members are never touched.
      const granted = new Set((identity.grantedRoles ?? []).map((g) => `${g.userId} ${g.roleId}`));
      let kept = 0;
      for (const a of assignments) {
        if (!a.userId || a.inherited) continue;
        if (!ownProject && !granted.has(`${a.userId} ${a.roleId}`)) {
          if (a.userId === identity.openstackUserId || a.userId === env.adminUserId) kept++;
          continue;
        }
        const ok = await ignoreNotFound(client.identity.roleAssignments.revokeFromProject({ projectId, userId: a.userId, roleId: a.roleId }));
        if (ok) removed.push("role assignment");
      }
      if (kept) removed.push(`${kept} role ${kept === 1 ? "assignment" : "assignments"} kept (not recorded as granted by Cloudport)`);
    });

    await run("remove_project", async () => {
      if (!projectId) return;
      if (!ownProject) {
        removed.push(`project ${name} kept (not created by Cloudport)`);
        return;
      }
      if (await ignoreNotFound(client.identity.projects.delete(projectId))) removed.push("project");
    });

    await run("remove_user", async () => {
      let userId = identity.openstackUserId;
      if (userId && !(await orNull(client.identity.users.get(userId)))) userId = null;
      const fed = env.settings.federation;
      // A federated account's user is found by its unique id only, never by name.
      userId ??= fed
        ? ((await client.identity.federation.findUsers({ idpId: fed.idp, protocolId: fed.protocol, uniqueId: federatedUniqueId(username) }))[0]?.id ?? null)
        : ((await client.identity.users.findByName(username, { domainId: env.domainId }))?.id ?? null);
      if (!userId) return;
      if (userId === env.adminUserId) throw new Error(`${username} is the provider's admin user; Cloudport will not delete it.`);
      const user = await orNull(client.identity.users.get(userId));
      if (user && !createdByCloudport(user.description)) {
        removed.push(`user ${username} kept (not created by Cloudport)`);
        return;
      }
      try {
        await client.identity.users.delete(userId);
        removed.push("user");
      } catch (e) {
        if (!isStatus(e, 404)) throw e;
      }
    });

    current = await updateIdentity(db, identity.id, { state: "removed", endDate: new Date(), lastError: null });
    return { identity: current, removed };
  } finally {
    if (options.jobId) await releaseIdentity(db, identity.id, options.jobId);
  }
}
