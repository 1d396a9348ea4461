import crypto from "node:crypto";
import type { Sql } from "postgres";
import { deriveAccountPassword } from "@/lib/domain/account-password";
import type { ClientOptions, OpenStackClient } from "@/lib/openstack/client";
import { discoverIdentity, issueToken, Session } from "@/lib/openstack/core/auth";
import { isStatus } from "@/lib/openstack/core/errors";
import { HttpTransport } from "@/lib/openstack/core/http";
import { Redactor } from "@/lib/openstack/core/redact";
import { ServiceClient } from "@/lib/openstack/core/service-client";
import * as services from "@/lib/openstack/core/services";

// Helpers for the launch-test integration and e2e tests: an account made by hand with the admin
// client (what account provisioning would make), and the few Nova admin calls the typed client
// does not offer. Test code only; runs under vitest and Playwright (no "server-only").

export type TestAccount = {
  username: string;
  projectId: string;
  projectName: string;
  userId: string;
  networkId: string;
  subnetId: string;
  routerId: string;
  /** Deletes everything above, in reverse order; tolerates what is already gone. */
  remove: () => Promise<void>;
};

const ignore404 = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (error) {
    if (!isStatus(error, 404)) throw error;
  }
};

/**
 * A project and user named `name` with the password derived from `accountSecret`, the member
 * role, and a network whose own router has its gateway on `externalNetwork` (External Network
 * Topology, so it can never overlap another test's subnet on a shared router).
 */
export async function createTestAccount(
  admin: OpenStackClient,
  opts: { name: string; accountSecret: string; externalNetwork?: string; roleName?: string; cidr?: string },
): Promise<TestAccount> {
  const undo: Array<() => Promise<unknown>> = [];
  const remove = async () => {
    const failures: unknown[] = [];
    for (const step of undo.reverse()) {
      try {
        await step();
      } catch (error) {
        failures.push(error);
      }
    }
    undo.length = 0;
    if (failures.length) throw new AggregateError(failures, "test account clean-up failed");
  };
  try {
    const project = await admin.identity.projects.create({ name: opts.name, domainId: "default", description: "Cloudport launch-test test account" });
    undo.push(() => ignore404(admin.identity.projects.delete(project.id)));
    const user = await admin.identity.users.create({
      name: opts.name,
      domainId: "default",
      password: deriveAccountPassword(opts.name, opts.accountSecret),
      defaultProjectId: project.id,
    });
    undo.push(() => ignore404(admin.identity.users.delete(user.id)));
    const role = await admin.identity.roles.findByName(opts.roleName ?? "member");
    if (!role) throw new Error(`No role ${opts.roleName ?? "member"}`);
    await admin.identity.roleAssignments.grantOnProject({ projectId: project.id, userId: user.id, roleId: role.id });

    const external = await admin.network.networks.findByName(opts.externalNetwork ?? "public");
    if (!external) throw new Error(`No external network ${opts.externalNetwork ?? "public"}`);
    const network = await admin.network.networks.create({ name: `${opts.name}-net`, projectId: project.id });
    undo.push(() => ignore404(admin.network.networks.delete(network.id)));
    const subnet = await admin.network.subnets.create({
      networkId: network.id,
      name: `${opts.name}-subnet`,
      cidr: opts.cidr ?? "172.31.250.0/24",
      ipVersion: 4,
      projectId: project.id,
    });
    undo.push(() => ignore404(admin.network.subnets.delete(subnet.id)));
    const router = await admin.network.routers.create({ name: `${opts.name}-router`, projectId: project.id, externalGateway: { networkId: external.id } });
    undo.push(() => ignore404(admin.network.routers.delete(router.id)));
    await admin.network.routers.addInterface(router.id, { subnetId: subnet.id });
    undo.push(() => ignore404(admin.network.routers.removeInterface(router.id, { subnetId: subnet.id })));
    return { username: opts.name, projectId: project.id, projectName: project.name, userId: user.id, networkId: network.id, subnetId: subnet.id, routerId: router.id, remove };
  } catch (error) {
    await remove().catch(() => {});
    throw error;
  }
}

/** Raw Nova calls as admin (flavor create/delete/access), which the typed client leaves out. */
export async function withNovaAdmin<T>(options: ClientOptions, fn: (nova: ServiceClient) => Promise<T>): Promise<T> {
  const redactor = new Redactor();
  if (options.auth.type === "password") redactor.add(options.auth.password);
  const transport = new HttpTransport(redactor, options);
  try {
    const identity = await discoverIdentity(transport, options.authUrl);
    const token = await issueToken(transport, identity.url, options.auth);
    const session = new Session(transport, identity, options.auth, token, 120_000);
    return await fn(new ServiceClient(session, services.compute, { interface: options.interface ?? "public", region: options.region ?? null }));
  } finally {
    await transport.close();
  }
}

/** A private flavor no hypervisor can hold, usable by one project. Returns its id. POST /flavors, POST /flavors/{id}/action */
export async function createImpossibleFlavor(nova: ServiceClient, name: string, projectId: string, vcpus = 4096): Promise<string> {
  const res = await nova.request("POST", "/flavors", {
    json: { flavor: { name, vcpus, ram: 128, disk: 1, "os-flavor-access:is_public": false } },
  });
  const id = (res.body as { flavor: { id: string } }).flavor.id;
  await nova.request("POST", `/flavors/${id}/action`, { json: { addTenantAccess: { tenant: projectId } } });
  return id;
}

export async function deleteFlavor(nova: ServiceClient, id: string): Promise<void> {
  await ignore404(nova.request("DELETE", `/flavors/${id}`));
}

/** A fresh OpenSSH ed25519 public key line, as an operator would paste it. */
export function sshPublicKey(comment = "cloudport-test"): string {
  const { publicKey } = crypto.generateKeyPairSync("ed25519");
  const raw = publicKey.export({ format: "der", type: "spki" }).subarray(-32);
  const field = (b: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(b.length);
    return Buffer.concat([length, b]);
  };
  const blob = Buffer.concat([field(Buffer.from("ssh-ed25519")), field(raw)]);
  return `ssh-ed25519 ${blob.toString("base64")} ${comment}`;
}

/**
 * Inserts a provider for a real cloud the way the wizard stores one (sealed secrets with the
 * given key), for e2e tests that must not depend on the wizard. Returns its id.
 */
export async function insertProvider(
  sql: Sql,
  opts: {
    name: string;
    env: Record<string, string | undefined>;
    accountSecret: string;
    key: Buffer;
    encrypt: (value: string, key: Buffer) => string;
    hostnameFormat?: string;
    domain?: string;
    networkName?: string;
  },
): Promise<number> {
  const cloudConfig = {
    network: { topology: "External Router Topology", dns_nameservers: ["8.8.8.8"], default_security_rules: [] },
    user: { admin_role_name: "admin", user_role_name: "member", domain: "default" },
    deploy: { hostname_format: opts.hostnameFormat ?? "%(one)s.%(two)s.%(three)s.%(four)s", ...(opts.domain ? { domain: opts.domain } : {}) },
  };
  const e = opts.env;
  const [row] = await sql<{ id: number }[]>`
    insert into providers (name, auth_url, region, admin_username, admin_project_name, user_domain_name, project_domain_name, network_name, public_routers, cloud_config)
    values (${opts.name}, ${e.OS_AUTH_URL ?? ""}, ${e.OS_REGION_NAME ?? "RegionOne"}, ${e.OS_USERNAME ?? null}, ${e.OS_PROJECT_NAME ?? null},
            ${e.OS_USER_DOMAIN_NAME ?? "Default"}, ${e.OS_PROJECT_DOMAIN_NAME ?? "Default"}, ${opts.networkName ?? "public"},
            ${"{public_router}"}, ${sql.json(cloudConfig)})
    returning id`;
  await sql`insert into provider_secrets (provider_id, credential_secret, account_secret)
            values (${row.id}, ${opts.encrypt(e.OS_PASSWORD ?? "", opts.key)}, ${opts.encrypt(opts.accountSecret, opts.key)})`;
  return row.id;
}
