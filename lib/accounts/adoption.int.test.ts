// Issue 12 §2 on the lab: Cloudport only adopts what it made. A project made outside Cloudport
// (with a server in it) is refused for a portal user of the same name, changes nothing, and is
// adopted only by an explicit, audited superuser action; removal keeps the project and its network.
process.env.CLOUDPORT_SECRET_KEY ??= Buffer.alloc(32, 11).toString("base64");

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { runAction, type ActionDeps } from "@/lib/actions/safe-action";
import type { SessionUser } from "@/lib/auth/dal";
import type { Db } from "@/lib/db/client";
import { SEED_TIERS } from "@/lib/domain/quotas";
import { auditLog, identities, quotaTiers, users, type Identity, type Provider } from "@/lib/db/schema";
import { createClient, type OpenStackClient } from "@/lib/openstack/client";
import { waitForServerStatus } from "@/lib/openstack/compute/v2/servers/wait";
import { cleanup, labOptions } from "@/lib/openstack/testing/env";
import { adoptAccountDef } from "./adopt";
import { runProvisionBatch, runRemoveBatch } from "./batch";
import { insertLabProvider } from "./testing/lab-provider";
import { openMemoryDb } from "./testing/memory-db";

const NAME = "cptest-trust-foreign";
const OWNER = `${NAME}-owner`;

let os: OpenStackClient;
let owner: OpenStackClient | null = null;
let db: Db;
let closeDb: () => Promise<void>;
let provider: Provider;
let accountSecret: string;
let projectId = "";
let foreignNetId = "";
let serverId = "";
/** The provider's admin user and role: it held that role on the project before Cloudport came. */
let adminUserId = "";
let adminRoleId = "";
const OWN_CORES = 7;

/** Deletes whatever this file (or an earlier failed run) left under the fixed names. */
async function sweep() {
  const steps: Array<() => Promise<unknown>> = [];
  for (const p of await os.identity.projects.list({ name: NAME })) {
    steps.push(async () => {
      for (const s of await os.compute.servers.list({ allTenants: true, projectId: p.id })) {
        if (s.projectId !== p.id) continue;
        await os.compute.servers.delete(s.id);
        await waitForServerStatus(os, s.id, ["DELETED"], { timeoutMs: 60_000, intervalMs: 1000 }).catch(() => {});
      }
    });
    steps.push(async () => {
      for (const n of (await os.network.networks.list()).filter((n) => n.projectId === p.id)) {
        for (const port of await os.network.ports.list({ networkId: n.id })) {
          if (port.deviceOwner?.startsWith("network:router_interface")) await os.network.routers.removeInterface(port.deviceId, { portId: port.id });
        }
        await os.network.networks.delete(n.id);
      }
    });
    steps.push(async () => {
      for (const g of (await os.network.securityGroups.list()).filter((g) => g.projectId === p.id)) await os.network.securityGroups.delete(g.id);
    });
    steps.push(() => os.identity.projects.delete(p.id));
  }
  for (const n of [NAME, OWNER]) for (const u of await os.identity.users.list({ name: n })) steps.push(() => os.identity.users.delete(u.id));
  await cleanup(steps);
}

/** What must not change on the foreign project: role assignments, security rules, networks. */
async function snapshot() {
  const [assignments, groups, networks, subnets, server] = await Promise.all([
    os.identity.roleAssignments.list({ projectId }),
    os.network.securityGroups.list(),
    os.network.networks.list(),
    os.network.subnets.list(),
    os.compute.servers.get(serverId),
  ]);
  return {
    assignments: assignments.map((a) => `${a.userId}:${a.roleId}`).sort(),
    rules: groups
      .filter((g) => g.projectId === projectId)
      .flatMap((g) => g.rules.map((r) => `${g.name}:${r.direction}:${r.protocol}:${r.portRangeMin}-${r.portRangeMax}:${r.remoteIpPrefix}`))
      .sort(),
    networks: networks.filter((n) => n.projectId === projectId).map((n) => n.id).sort(),
    subnets: subnets.filter((s) => s.projectId === projectId).map((s) => s.id).sort(),
    server: server.id,
  };
}

beforeAll(async () => {
  os = await createClient(labOptions({ timeoutMs: 30_000 }));
  ({ db, close: closeDb } = await openMemoryDb());
  await sweep();
  // What the original portal, or a person, made: a project with its owner, a network and a server.
  const project = await os.identity.projects.create({ name: NAME, description: "made by hand for the ops team" });
  projectId = project.id;
  const ownerPassword = `Owner-${Math.random().toString(36).slice(2)}-1`;
  const ownerUser = await os.identity.users.create({ name: OWNER, password: ownerPassword, defaultProjectId: project.id });
  const member = await os.identity.roles.findByName("member");
  await os.identity.roleAssignments.grantOnProject({ projectId, userId: ownerUser.id, roleId: member!.id });
  owner = await createClient(
    labOptions({ timeoutMs: 30_000, auth: { type: "password", username: OWNER, password: ownerPassword, userDomainName: "Default", projectId } }),
  );
  const net = await owner.network.networks.create({ name: `${NAME}-own-net` });
  foreignNetId = net.id;
  await owner.network.subnets.create({ networkId: net.id, name: `${NAME}-own-subnet`, cidr: "10.99.77.0/24", ipVersion: 4 });
  const flavor = (await os.compute.flavors.list({ visibility: "all" })).find((f) => f.name === "m1.nano") ?? (await os.compute.flavors.list())[0];
  const image = (await os.image.images.list({ status: "active" })).find((i) => (i.name ?? "").startsWith("cirros")) ?? (await os.image.images.list())[0];
  const server = await owner.compute.servers.create({ name: `${NAME}-vm`, flavorId: flavor.id, imageId: image.id, networks: [{ networkId: net.id }] });
  serverId = server.id;
  await waitForServerStatus(owner, server.id, ["ACTIVE"], { timeoutMs: 120_000, intervalMs: 1000 });
  // The provider's admin already was a member with the admin role, and the project has the
  // quota its owner asked for; a default tier on the provider would set other values.
  const adminUser = await os.identity.users.findByName(process.env.OS_USERNAME ?? "admin", { domainId: "default" });
  const adminRole = await os.identity.roles.findByName("admin");
  adminUserId = adminUser!.id;
  adminRoleId = adminRole!.id;
  await os.identity.roleAssignments.grantOnProject({ projectId, userId: adminUserId, roleId: adminRoleId });
  await os.compute.quotaSets.update(projectId, { cores: OWN_CORES });
  ({ provider, accountSecret } = await insertLabProvider(db, { name: `${NAME}-provider` }));
  await db.insert(quotaTiers).values({ providerId: provider.id, name: "cptest-small", values: SEED_TIERS[0].values, isDefault: true });
});

afterAll(async () => {
  try {
    await sweep();
  } finally {
    await owner?.close();
    await os.close();
    await closeDb();
  }
});

const identityOf = async (): Promise<Identity> => {
  const [row] = await db
    .select()
    .from(identities)
    .where(and(eq(identities.providerId, provider.id), eq(identities.projectName, NAME)))
    .orderBy(identities.id);
  return row;
};

async function sessionUser(superuser: boolean): Promise<SessionUser> {
  const [u] = await db
    .insert(users)
    .values({ username: `cptest-trust-${superuser ? "root" : "staff"}-${Math.random().toString(36).slice(2, 7)}`, isStaff: true, isSuperuser: superuser })
    .returning();
  return { id: u.id, username: u.username, email: u.email, displayName: u.displayName, isStaff: u.isStaff, isSuperuser: u.isSuperuser, isActive: u.isActive, mustChangePassword: u.mustChangePassword };
}
const depsFor = (user: SessionUser): ActionDeps => ({ getUser: async () => user, getDb: async () => db, getIp: async () => "127.0.0.1" });

describe("a project Cloudport did not create (issue 12 §2)", () => {
  let before: Awaited<ReturnType<typeof snapshot>>;

  it("refuses a portal user of that name, that user only, and changes nothing on the project", async () => {
    before = await snapshot();
    const other = `cptest-trust-ok-${Math.random().toString(36).slice(2, 6)}`;
    try {
      const counts = await runProvisionBatch(db, os, provider, accountSecret, { usernames: [NAME, other] });
      expect(counts).toMatchObject({ total: 2, done: 1, failed: 1 });
      expect(counts.users[NAME]).toMatchObject({ status: "failed" });
      expect(counts.users[NAME].error).toBe(`project ${NAME} exists and was not created by Cloudport; a superuser can adopt it explicitly.`);
      const row = await identityOf();
      expect(row).toMatchObject({ state: "failed", projectId: null, openstackUserId: null, adoptedAt: null });
      expect(await snapshot()).toEqual(before);
      expect(await os.identity.users.list({ name: NAME })).toEqual([]);
    } finally {
      const [ok] = await db.select().from(identities).where(eq(identities.projectName, other));
      if (ok) await runRemoveBatch(db, os, provider, { identityIds: [ok.id] });
    }
  });

  it("a staff member who is not a superuser cannot adopt it", async () => {
    const row = await identityOf();
    const r = await runAction(depsFor(await sessionUser(false)), adoptAccountDef, { providerId: provider.id, identityId: row.id, openNetwork: true });
    expect(r).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect((await identityOf()).adoptedAt).toBeNull();
  });

  it("a superuser adopts it explicitly (audited); provisioning then grants roles but leaves its security group and network alone", async () => {
    const { registerAllJobHandlers } = await import("@/lib/worker/handlers");
    const { claimNextJob, getJob } = await import("@/lib/jobs/queue");
    const { runJob } = await import("@/lib/jobs/runner");
    registerAllJobHandlers();
    const root = await sessionUser(true);
    const row = await identityOf();
    const r = await runAction(depsFor(root), adoptAccountDef, { providerId: provider.id, identityId: row.id, openNetwork: false });
    expect(r.ok).toBe(true);
    const jobId = r.ok ? r.data.jobId : "";
    const [audit] = await db.select().from(auditLog).where(eq(auditLog.action, "accounts.adopt"));
    expect(audit).toMatchObject({ actorUsername: root.username, targetType: "identity", targetId: String(row.id) });
    expect(audit.details).toMatchObject({ username: NAME, projectName: NAME, openNetwork: false, jobId });

    const claimed = await claimNextJob(db, "int-test", ["accounts.provision"]);
    expect(claimed?.id).toBe(jobId);
    await runJob(db, claimed!, "int-test", 1000);
    expect(await getJob(db, jobId)).toMatchObject({ state: "succeeded", result: { done: 1, failed: 0 } });

    const adopted = await identityOf();
    expect(adopted).toMatchObject({ state: "active", projectId, adoptedBy: root.id, adoptNetwork: false, networkId: null, subnetId: null, routerId: null });
    expect(adopted.adoptedAt).toBeInstanceOf(Date);
    const after = await snapshot();
    // Only the account's and the admin's roles were added; rules and networks are as they were.
    expect(after.rules).toEqual(before.rules);
    expect(after.networks).toEqual(before.networks);
    expect(after.subnets).toEqual(before.subnets);
    expect(after.assignments).toEqual(expect.arrayContaining(before.assignments));
    // The admin held its role already: only the account's user role is new, and only that one
    // is recorded as Cloudport's.
    expect(before.assignments).toContain(`${adminUserId}:${adminRoleId}`);
    expect(after.assignments.length).toBe(before.assignments.length + 1);
    const userRole = await os.identity.roles.findByName("member");
    expect(adopted.grantedRoles).toEqual([{ userId: adopted.openstackUserId, roleId: userRole!.id }]);
    // No opt-in to the quota: the provider's default tier was not applied to the project.
    expect((await os.compute.quotaSets.get(projectId)).cores).toBe(OWN_CORES);
    expect(adopted.quotaApplied).toBeNull();
  });

  it("removal after adoption keeps the foreign project, its network and its server", async () => {
    const row = await identityOf();
    const counts = await runRemoveBatch(db, os, provider, { identityIds: [row.id] });
    expect(counts.users[NAME]).toMatchObject({ status: "done" });
    expect(counts.users[NAME].changes).toEqual(expect.arrayContaining([`project ${NAME} kept (not created by Cloudport)`]));
    expect(await os.identity.projects.get(projectId)).toMatchObject({ id: projectId });
    expect(await os.network.networks.get(foreignNetId)).toMatchObject({ id: foreignNetId });
    const after = await snapshot();
    expect(after.networks).toEqual(before.networks);
    expect(after.subnets).toEqual(before.subnets);
    expect(after.rules).toEqual(before.rules);
    // Among them the admin's role from before the adoption: Cloudport did not grant it.
    expect(after.assignments).toEqual(before.assignments);
    expect(after.assignments).toContain(`${adminUserId}:${adminRoleId}`);
    expect(counts.users[NAME].changes).toEqual(expect.arrayContaining(["1 role assignment kept (not recorded as granted by Cloudport)"]));
    // The account's own Keystone user (made by Cloudport) is gone.
    expect(await os.identity.users.list({ name: NAME })).toEqual([]);
  });
});
