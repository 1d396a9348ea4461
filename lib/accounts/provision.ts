import { AsyncLocalStorage } from "node:async_hooks";
import { performance } from "node:perf_hooks";
// Imports lib/openstack/client (not the server-only index) so that scripts run under tsx
// (npm run bench:accounts) can use the same code as the job worker.
import { deriveAccountPassword } from "@/lib/domain/account-password";
import { ruleIsCovered, type ExistingRule, type SecurityRule } from "@/lib/domain/security-rules";
import type { Db } from "@/lib/db/client";
import type { Identity, Provider } from "@/lib/db/schema";
import type { OpenStackClient } from "@/lib/openstack/client";
import type { Port } from "@/lib/openstack/network/v2/ports/types";
import { accountSettings, domainIsId, type AccountSettings } from "@/lib/providers/connection";
import { isStatus } from "@/lib/openstack/core/errors";
import { federatedUniqueId } from "@/lib/domain/federation";
import { isFederatedAs } from "@/lib/openstack/identity/v3/federation/requests";
import { federationOverview } from "@/lib/providers/federation";
import { AccountSetupError, AccountStepError, createOrFind, describeError, orNull } from "./errors";
import { CLOUDPORT_NETWORK_MARKER, foreignMessage, leavesNetworkAlone, leavesQuotaAlone, unadoptedForeignReason } from "./adoption";
import { claimIdentity, releaseIdentity } from "./claim";
import { otherProviderClaim, providerMarker } from "./ownership";
import { countIdentitiesByRouter, reserveSubnetCidr, updateIdentity, type IdentityPatch } from "./queries";
import { planProvisioning, PROVISION_STEPS, type ProvisionStep } from "./steps";
import { applyProjectQuota, QuotaBelowUsageError } from "@/lib/quotas/service";
import { desiredQuotaOf, setIdentityQuota } from "@/lib/quotas/tiers";
import { chooseSubnetCidr, USER_SUBNET_POOL } from "./subnet-choice";

/** Everything about the provider that every account needs, looked up once per run. */
export type ProvisionEnv = {
  providerId: number;
  settings: AccountSettings;
  accountSecret: string;
  domainId: string;
  userRoleId: string;
  adminRoleId: string;
  /** Gets the admin role on every user project: the provider's admin user (or the app credential's user). */
  adminUserId: string;
  externalNetworkId: string | null;
  /** External Router Topology: the public routers and how many accounts each serves. */
  publicRouters: Array<{ id: string; name: string; accounts: number }>;
  /** IPv4 CIDRs of the cloud's subnets when the run started, plus those created since. */
  cloudCidrs: Set<string>;
  /** Lower-cased names that must never become (or be removed as) an account. */
  reservedNames: Set<string>;
};

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** The Keystone domain id of the provider's account domain (configured as an id or a name). */
export async function resolveDomainId(client: OpenStackClient, domain: string): Promise<string> {
  const byId = domainIsId(domain) ? await orNull(client.identity.domains.get(domain)) : null;
  if (byId) return byId.id;
  const byName = await client.identity.domains.findByName(domain);
  if (byName) return byName.id;
  const fallback = await orNull(client.identity.domains.get(domain));
  if (fallback) return fallback.id;
  throw new AccountSetupError(`Keystone has no domain "${domain}": fix the provider's account domain.`);
}

/** Names of the provider's own admin user and project, which provisioning refuses to touch. */
export function reservedNamesOf(client: OpenStackClient, provider: Pick<Provider, "adminUsername" | "adminProjectName">): Set<string> {
  const token = client.token;
  return new Set(
    [token.user.name, token.project?.name, provider.adminUsername, provider.adminProjectName, "admin", "service"]
      .filter((n): n is string => Boolean(n))
      .map((n) => n.toLowerCase()),
  );
}

/** True for the ports by which a router attaches to a network (plain, DVR and HA routers). */
export function isRouterInterfacePort(port: Pick<Port, "deviceOwner">): boolean {
  return (
    port.deviceOwner === "network:router_interface" ||
    port.deviceOwner === "network:router_interface_distributed" ||
    port.deviceOwner === "network:ha_router_replicated_interface"
  );
}

/** Looks up, once, the roles, domain, routers, external network and subnets a run needs. */
export async function prepareProvisioning(
  db: Db,
  client: OpenStackClient,
  provider: Provider,
  accountSecret: string,
): Promise<ProvisionEnv> {
  const settings = accountSettings(provider);
  // Fails early, before anything is created, if the secret cannot derive passwords.
  deriveAccountPassword("check", accountSecret);
  const [domainId, userRole, adminRole, subnets] = await Promise.all([
    resolveDomainId(client, settings.domain),
    client.identity.roles.findByName(settings.userRoleName),
    client.identity.roles.findByName(settings.adminRoleName),
    client.network.subnets.list({ ipVersion: 4 }),
  ]);
  if (!userRole) throw new AccountSetupError(`Keystone has no role "${settings.userRoleName}": fix the provider's user role.`);
  if (!adminRole) throw new AccountSetupError(`Keystone has no role "${settings.adminRoleName}": fix the provider's admin role.`);
  if (settings.federation) {
    // Before anything is created: the idp, protocol and mapping exist and put users in the account domain.
    const domain = await client.identity.domains.get(domainId);
    const overview = await federationOverview(client, settings.federation, { id: domain.id, name: domain.name });
    if (overview.problem) throw new AccountSetupError(`Keystone federation is not ready: ${overview.problem} Fix it in Keystone or change the provider's federation setting.`);
  }

  let externalNetworkId: string | null = null;
  const publicRouters: ProvisionEnv["publicRouters"] = [];
  if (settings.topology === "External Network Topology") {
    if (!settings.externalNetwork) throw new AccountSetupError("External Network Topology needs the external network: set it on the provider.");
    const net =
      (await client.network.networks.findByName(settings.externalNetwork)) ??
      (UUID.test(settings.externalNetwork) ? await orNull(client.network.networks.get(settings.externalNetwork)) : null);
    if (!net) throw new AccountSetupError(`Neutron has no network "${settings.externalNetwork}": fix the provider's external network.`);
    externalNetworkId = net.id;
  } else {
    if (settings.publicRouters.length === 0) throw new AccountSetupError("External Router Topology needs at least one public router: set them on the provider.");
    const byRouter = await countIdentitiesByRouter(db, provider.id);
    for (const name of settings.publicRouters) {
      const router =
        (await client.network.routers.findByName(name)) ?? (UUID.test(name) ? await orNull(client.network.routers.get(name)) : null);
      if (!router) throw new AccountSetupError(`Neutron has no router "${name}": fix the provider's public routers.`);
      // Load is what is attached: interfaces on the cloud, or accounts recorded here if more.
      const ports = await client.network.ports.list({ deviceId: router.id });
      const interfaces = ports.filter(isRouterInterfacePort).length;
      publicRouters.push({ id: router.id, name: router.name, accounts: Math.max(interfaces, byRouter.get(router.id) ?? 0) });
    }
  }
  return {
    providerId: provider.id,
    settings,
    accountSecret,
    domainId,
    userRoleId: userRole.id,
    adminRoleId: adminRole.id,
    adminUserId: client.token.user.id,
    externalNetworkId,
    publicRouters,
    cloudCidrs: new Set(subnets.map((s) => s.cidr)),
    reservedNames: reservedNamesOf(client, provider),
  };
}

/** Neutron's body for one of the provider's rules. */
export function ruleBody(rule: SecurityRule) {
  const protocol = rule.protocol.toLowerCase();
  if (rule.protocol === "ICMP") {
    // For ICMP the "ports" are type and code; -1 (any) is expressed by leaving them out.
    return {
      protocol,
      portRangeMin: rule.fromPort === -1 ? undefined : rule.fromPort,
      portRangeMax: rule.fromPort === -1 || rule.toPort === -1 ? undefined : rule.toPort,
      remoteIpPrefix: rule.cidr ?? "0.0.0.0/0",
    };
  }
  return { protocol, portRangeMin: rule.fromPort, portRangeMax: rule.toPort, remoteIpPrefix: rule.cidr ?? "0.0.0.0/0" };
}

/** The provider's rules that the group does not cover yet, each also checked against the ones before it. */
export function missingRules(wanted: SecurityRule[], existing: ExistingRule[]): SecurityRule[] {
  const have = [...existing];
  const out: SecurityRule[] = [];
  for (const rule of wanted) {
    if (ruleIsCovered(rule, have)) continue;
    out.push(rule);
    const b = ruleBody(rule);
    have.push({
      direction: "ingress",
      ethertype: "IPv4",
      protocol: b.protocol,
      portRangeMin: b.portRangeMin ?? null,
      portRangeMax: b.portRangeMax ?? null,
      remoteIpPrefix: b.remoteIpPrefix,
    });
  }
  return out;
}

/** A phase of provisioning one account: its steps, the quota, and the checks before them. */
export type ProvisionPhase = ProvisionStep | "quota" | "checks" | "prepare";

/**
 * The phase the current async work belongs to, so a benchmark can tell which step made which
 * API call (scripts/bench-accounts.ts reads it from undici's request channel).
 */
export const provisionPhase = new AsyncLocalStorage<ProvisionPhase>();

/** Runs one phase inside provisionPhase, reporting its wall time when asked. */
export async function timedPhase<T>(phase: ProvisionPhase, timing: ProvisionOptions["timing"], fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await provisionPhase.run(phase, fn);
  } finally {
    timing?.(phase, performance.now() - started);
  }
}

export type ProvisionOptions = {
  rebuild?: boolean;
  /**
   * Repair: run only these steps (in provisioning order), whatever the planner says. Without
   * `rebuild` an existing user keeps its password and default project (drift Apply).
   */
  steps?: readonly ProvisionStep[];
  /** Called as each step starts. */
  onStep?: (step: ProvisionStep) => void;
  /** Called with each phase's wall time as it ends (benchmarks). */
  timing?: (phase: ProvisionPhase, ms: number) => void;
  signal?: AbortSignal;
  /** The job doing this; two jobs never work on one account at once. */
  jobId?: string;
};

export type ProvisionOutcome = {
  identity: Identity;
  /** Steps that ran (the rest were done before). */
  ran: ProvisionStep[];
  /** What was created or changed on the cloud; empty when everything was there already. */
  changes: string[];
};

type StepContext = {
  db: Db;
  client: OpenStackClient;
  env: ProvisionEnv;
  identity: Identity;
  username: string;
  password: string;
  rebuild: boolean;
  changes: string[];
  /**
   * What this run created: inside a project made seconds ago nothing else can exist yet (no
   * other job works on this account), so the look-ups before creating are skipped.
   */
  created: Set<"project" | "network" | "subnet">;
};

const projectName = (c: StepContext) => c.identity.projectName;

/** Fails the step when another provider (with another account secret) owns what was found by name. */
async function refuseOtherProviders(c: StepContext, kind: "user" | "project", found: { id: string; name: string; description?: string | null }) {
  const claim = await otherProviderClaim(c.db, c.env, kind, found);
  if (claim) throw new Error(claim);
}

/**
 * The user step of a federated provider: a federated (shadow) user with no password, looked up
 * by its unique id through the identity provider and protocol ONLY. A user found by name that is
 * not that federated user is refused, never adopted (a name lookup can return a local user).
 */
async function federatedUserStep(c: StepContext, fed: { idp: string; protocol: string }): Promise<IdentityPatch> {
  const { client, env } = c;
  const projectId = c.identity.projectId!;
  const ref = { idpId: fed.idp, protocolId: fed.protocol, uniqueId: federatedUniqueId(c.username) };
  const find = async () => {
    const found = await client.identity.federation.findUsers(ref);
    if (found.length > 1) throw new Error(`Keystone has ${found.length} users federated as "${ref.uniqueId}" through ${fed.idp}/${fed.protocol}.`);
    return found[0] ?? null;
  };
  let user = c.identity.openstackUserId ? await orNull(client.identity.users.get(c.identity.openstackUserId)) : null;
  if (user && !isFederatedAs(user, ref)) {
    throw new Error(
      `The recorded user ${user.name} (${user.id}) is not federated through ${fed.idp}/${fed.protocol} as "${ref.uniqueId}": remove the account before switching the provider to federation.`,
    );
  }
  user ??= await find();
  if (user?.id === env.adminUserId) throw new Error(`${c.username} is the provider's admin user; it cannot be an account.`);
  if (!user) {
    const byName = await client.identity.users.findByName(c.username, { domainId: env.domainId });
    if (byName && !isFederatedAs(byName, ref)) {
      throw new Error(`A Keystone user named ${c.username} exists but is not federated through ${fed.idp}/${fed.protocol} as "${ref.uniqueId}": Cloudport will not adopt it.`);
    }
  }
  if (!user) {
    user = await createOrFind(
      () =>
        client.identity.federation.createUser({
          name: c.username,
          domainId: env.domainId,
          idpId: fed.idp,
          protocolId: fed.protocol,
          uniqueId: ref.uniqueId,
          defaultProjectId: projectId,
          description: `Cloudport account ${providerMarker(env.providerId)}`,
        }),
      find,
    );
    c.changes.push("federated user");
  } else if (user.defaultProjectId !== projectId) {
    await client.identity.users.update(user.id, { defaultProjectId: projectId });
    c.changes.push("user default project");
  }
  return { openstackUserId: user.id };
}

const STEPS: Record<ProvisionStep, (c: StepContext) => Promise<IdentityPatch>> = {
  async project(c) {
    const { client, env } = c;
    const name = projectName(c);
    const find = () => client.identity.projects.findByName(name, { domainId: env.domainId });
    let project = c.identity.projectId ? await orNull(client.identity.projects.get(c.identity.projectId)) : null;
    if (!project) {
      project = await find();
      if (project) await refuseOtherProviders(c, "project", project);
    }
    if (!project) {
      project = await createOrFind(
        () =>
          client.identity.projects.create({
            name,
            domainId: env.domainId,
            description: `Cloudport account of ${c.username} ${providerMarker(env.providerId)}`,
          }),
        find,
      );
      c.changes.push("project");
      c.created.add("project");
    }
    return { projectId: project.id };
  },

  async user(c) {
    if (c.env.settings.federation) return federatedUserStep(c, c.env.settings.federation);
    const { client, env } = c;
    const projectId = c.identity.projectId!;
    const find = () => client.identity.users.findByName(c.username, { domainId: env.domainId });
    let user = c.identity.openstackUserId ? await orNull(client.identity.users.get(c.identity.openstackUserId)) : null;
    // Only a user this account created (its id is recorded) gets its password re-applied:
    // one found by name may belong to someone else.
    const ours = Boolean(user);
    user ??= await find();
    if (user?.id === env.adminUserId) throw new Error(`${c.username} is the provider's admin user; it cannot be an account.`);
    if (user && !ours) await refuseOtherProviders(c, "user", user);
    if (!user) {
      user = await createOrFind(
        () =>
          client.identity.users.create({
            name: c.username,
            domainId: env.domainId,
            password: c.password,
            defaultProjectId: projectId,
            description: `Cloudport account ${providerMarker(env.providerId)}`,
          }),
        find,
      );
      c.changes.push("user");
    } else if (ours && c.rebuild) {
      await client.identity.users.update(user.id, { password: c.password, defaultProjectId: projectId });
      c.changes.push("user password and default project re-applied");
    } else if (user.defaultProjectId !== projectId) {
      await client.identity.users.update(user.id, { defaultProjectId: projectId });
      c.changes.push("user default project");
    }
    return { openstackUserId: user.id };
  },

  async roles(c) {
    const { client, env } = c;
    const projectId = c.identity.projectId!;
    const grants = [
      { userId: c.identity.openstackUserId!, roleId: env.userRoleId, what: "user role" },
      { userId: env.adminUserId, roleId: env.adminRoleId, what: "admin role" },
    ];
    const granted: Array<{ userId: string; roleId: string }> = [];
    await Promise.all(
      grants.map(async (g) => {
        const ref = { projectId, userId: g.userId, roleId: g.roleId };
        // A project made in this run has no assignments yet: nothing to check.
        if (!c.created.has("project") && (await client.identity.roleAssignments.checkOnProject(ref))) return;
        await client.identity.roleAssignments.grantOnProject(ref);
        granted.push({ userId: g.userId, roleId: g.roleId });
        c.changes.push(g.what);
      }),
    );
    // In a project this run did not create (an adopted one, or a retry), remember what Cloudport
    // granted, at once (a later step may fail): removal revokes only these, never what was there.
    if (granted.length && !c.created.has("project")) {
      const known = c.identity.grantedRoles ?? [];
      const merged = [...known, ...granted.filter((g) => !known.some((k) => k.userId === g.userId && k.roleId === g.roleId))];
      c.identity = await updateIdentity(c.db, c.identity.id, { grantedRoles: merged });
    }
    return {};
  },

  async security_rules(c) {
    const { client, env } = c;
    if (leavesNetworkAlone(c.identity)) return {};
    const projectId = c.identity.projectId!;
    // Listing a project's groups as admin makes Neutron create its "default" group if missing.
    const groups = await client.network.securityGroups.list({ name: "default", projectId });
    const group = groups.find((g) => g.projectId === projectId) ?? groups[0];
    if (!group) throw new Error(`Neutron has no "default" security group for project ${projectId}.`);
    const missing = missingRules(env.settings.securityRules, group.rules);
    const bodies = missing.map((rule) => ({ securityGroupId: group.id, direction: "ingress" as const, ethertype: "IPv4" as const, projectId, ...ruleBody(rule) }));
    try {
      // One request for all of them (Neutron's bulk create is all or nothing) …
      await client.network.securityGroupRules.createMany(bodies);
    } catch (e) {
      if (!isStatus(e, 409)) throw e;
      // … and one by one when one of them appeared meanwhile (409: the identical rule exists).
      await Promise.all(
        bodies.map(async (body) => {
          try {
            await client.network.securityGroupRules.create(body);
          } catch (err) {
            if (!isStatus(err, 409)) throw err;
          }
        }),
      );
    }
    if (missing.length) c.changes.push(`${missing.length} security rule${missing.length === 1 ? "" : "s"}`);
    return {};
  },

  async network(c) {
    const { client } = c;
    if (leavesNetworkAlone(c.identity)) return {};
    const projectId = c.identity.projectId!;
    const name = `${projectName(c)}-net`;
    // In an adopted project a network of that name may be its owner's: only Cloudport's is reused.
    const find = async () => {
      const found = await client.network.networks.findByName(name, { projectId });
      return found && c.identity.adoptedAt && !found.description.startsWith(CLOUDPORT_NETWORK_MARKER) ? null : found;
    };
    let net = c.identity.networkId ? await orNull(client.network.networks.get(c.identity.networkId)) : null;
    if (!net && !c.created.has("project")) net = await find();
    if (!net) {
      net = await createOrFind(() => client.network.networks.create({ name, projectId, description: CLOUDPORT_NETWORK_MARKER }), find);
      c.changes.push("network");
      c.created.add("network");
    }
    return { networkId: net.id };
  },

  async subnet(c) {
    const { db, client, env } = c;
    if (leavesNetworkAlone(c.identity)) return {};
    const projectId = c.identity.projectId!;
    const networkId = c.identity.networkId!;
    const name = `${projectName(c)}-subnet`;
    let subnet = c.identity.subnetId ? await orNull(client.network.subnets.get(c.identity.subnetId)) : null;
    if (subnet && subnet.networkId !== networkId) subnet = null;
    if (!subnet && !c.created.has("network")) subnet = (await client.network.subnets.list({ name, networkId })).find((s) => s.ipVersion === 4) ?? null;
    if (!subnet) {
      const previous = c.identity.subnetCidr;
      const cidr = await reserveSubnetCidr(db, env.providerId, c.identity.id, (recorded) =>
        chooseSubnetCidr([...env.cloudCidrs, ...recorded], { preferred: previous }),
      );
      if (!cidr) throw new Error(`No free /24 is left in ${USER_SUBNET_POOL} on this cloud.`);
      env.cloudCidrs.add(cidr);
      subnet = await client.network.subnets.create({
        networkId,
        name,
        cidr,
        ipVersion: 4,
        enableDhcp: true,
        dnsNameservers: env.settings.dnsNameservers.length ? env.settings.dnsNameservers : undefined,
        projectId,
        description: CLOUDPORT_NETWORK_MARKER,
      });
      c.changes.push(`subnet ${cidr}`);
      c.created.add("subnet");
    }
    env.cloudCidrs.add(subnet.cidr);
    return { subnetId: subnet.id, subnetCidr: subnet.cidr };
  },

  async router(c) {
    const { client, env } = c;
    if (leavesNetworkAlone(c.identity)) return {};
    const projectId = c.identity.projectId!;
    const networkId = c.identity.networkId!;
    const subnetId = c.identity.subnetId!;
    // A subnet made in this run is on no router yet.
    const interfaces = c.created.has("subnet") ? [] : (await client.network.ports.list({ networkId })).filter(isRouterInterfacePort);
    const attachedTo = (routerId?: string) =>
      interfaces.find((p) => (!routerId || p.deviceId === routerId) && p.fixedIps.some((ip) => ip.subnetId === subnetId));

    if (env.settings.topology === "External Network Topology") {
      const name = `${projectName(c)}-router`;
      const find = () => client.network.routers.findByName(name, { projectId });
      let router = c.identity.routerId && c.identity.routerOwned ? await orNull(client.network.routers.get(c.identity.routerId)) : null;
      if (!router && !c.created.has("project")) router = await find();
      if (!router) {
        router = await createOrFind(
          () => client.network.routers.create({ name, projectId, externalGateway: { networkId: env.externalNetworkId! } }),
          find,
        );
        c.changes.push("router");
      } else if (!router.externalGateway) {
        await client.network.routers.setGateway(router.id, { networkId: env.externalNetworkId! });
        c.changes.push("router gateway");
      }
      if (!attachedTo(router.id)) {
        await client.network.routers.addInterface(router.id, { subnetId });
        c.changes.push("router interface");
      }
      return { routerId: router.id, routerOwned: true };
    }

    const attached = attachedTo();
    if (attached) return { routerId: attached.deviceId, routerOwned: false };
    // Fewest accounts first; chosen and counted synchronously so parallel accounts spread out.
    const router = env.publicRouters.reduce((a, b) => (b.accounts < a.accounts ? b : a));
    router.accounts++;
    try {
      await client.network.routers.addInterface(router.id, { subnetId });
    } catch (e) {
      router.accounts--;
      throw e;
    }
    c.changes.push(`interface on ${router.name}`);
    return { routerId: router.id, routerOwned: false };
  },
};

/**
 * Issue 12 §2: an account whose project or user exists on the cloud without Cloudport's marker
 * fails (this account only) until a superuser adopts it; nothing on the cloud is touched.
 */
async function refuseUnadopted(db: Db, client: OpenStackClient, env: ProvisionEnv, identity: Identity, username: string, step: ProvisionStep) {
  let reason = await unadoptedForeignReason(client, env.domainId, identity, username);
  if (!reason) return;
  const fed = env.settings.federation;
  if (fed && reason === foreignMessage("user", username)) {
    // Adoption cannot help here: a federated account never takes over a local user.
    reason = `A Keystone user named ${username} exists but is not federated through ${fed.idp}/${fed.protocol}: Cloudport will not adopt it.`;
  }
  await updateIdentity(db, identity.id, { state: "failed", lastStep: step, lastError: reason });
  throw new AccountStepError(step, reason);
}

/**
 * Right after the project: applies the account's quota tier (or the provider's default, with
 * its custom values). Unchanged values write nothing; a missing service or a project already
 * using more than the tier is noted in the step's changes instead of failing the account.
 */
async function applyQuotaStep(c: StepContext): Promise<void> {
  // A project someone else made keeps the quota they gave it unless the superuser opted in.
  if (!c.created.has("project") && leavesQuotaAlone(c.identity)) return;
  const desired = await desiredQuotaOf(c.db, c.identity);
  if (!desired.values) return;
  const label = `quota ${desired.tier?.name ?? "custom"}`;
  try {
    // A project made in this run uses nothing and has the cloud's defaults: write without reading first.
    const r = await applyProjectQuota(c.client, c.identity.projectId!, desired.values, { fresh: c.created.has("project") });
    await setIdentityQuota(c.db, c.identity.id, { quotaApplied: r.after });
    if (r.changed.length || r.note) c.changes.push(r.note ? `${label} (${r.note})` : label);
  } catch (e) {
    if (!(e instanceof QuotaBelowUsageError)) throw e;
    c.changes.push(`${label} not applied: ${e.items.map((i) => i.message).join("; ")}`);
  }
}

/**
 * Provisions one account, running the steps the planner says are not done (all of them for a
 * rebuild). Each step looks on the cloud by id or name before creating, records what it made
 * on the identity, and on failure leaves state "failed" with OpenStack's message (the derived
 * password redacted) and throws AccountStepError.
 */
export async function provisionAccount(
  db: Db,
  client: OpenStackClient,
  env: ProvisionEnv,
  identity: Identity,
  username: string,
  options: ProvisionOptions = {},
): Promise<ProvisionOutcome> {
  if (identity.endDate) throw new AccountStepError("project", "This account was removed; provision it again to get a new one.");
  const only = options.steps;
  const toRun = only
    ? PROVISION_STEPS.filter((step) => only.includes(step))
    : planProvisioning(identity, { rebuild: options.rebuild })
        .filter((p) => p.run)
        .map((p) => p.step);
  if (toRun.length === 0) return { identity, ran: [], changes: [] };
  if (env.reservedNames.has(username.toLowerCase()) || env.reservedNames.has(identity.projectName.toLowerCase())) {
    const message = `"${username}" is a name the provider's own admin uses; it cannot be an account.`;
    await updateIdentity(db, identity.id, { state: "failed", lastStep: toRun[0], lastError: message });
    throw new AccountStepError(toRun[0], message);
  }
  await timedPhase("checks", options.timing, async () => {
    await refuseUnadopted(db, client, env, identity, username, toRun[0]);
    if (options.jobId && !(await claimIdentity(db, identity.id, options.jobId))) {
      throw new AccountStepError(toRun[0], "Another job is working on this account right now; try again when it finishes.");
    }
  });
  const password = deriveAccountPassword(username, env.accountSecret);
  const ctx: StepContext = { db, client, env, identity, username, password, rebuild: Boolean(options.rebuild), changes: [], created: new Set() };
  // Each step's ids are written together with the next step's name: one write per step.
  let pending: IdentityPatch = { state: "provisioning", lastError: null };
  try {
    for (const step of toRun) {
      options.signal?.throwIfAborted();
      ctx.identity = await updateIdentity(db, identity.id, { ...pending, lastStep: step });
      options.onStep?.(step);
      try {
        pending = await timedPhase(step, options.timing, () => STEPS[step](ctx));
        ctx.identity = { ...ctx.identity, ...pending };
        if (step === "project") await timedPhase("quota", options.timing, () => applyQuotaStep(ctx));
      } catch (error) {
        const message = describeError(error, [password, env.accountSecret]);
        ctx.identity = await updateIdentity(db, identity.id, { state: "failed", lastError: message });
        throw new AccountStepError(step, message);
      }
    }
    ctx.identity = await updateIdentity(db, identity.id, { ...pending, state: "active", lastError: null });
    return { identity: ctx.identity, ran: toRun, changes: ctx.changes };
  } finally {
    if (options.jobId) await releaseIdentity(db, identity.id, options.jobId);
  }
}
