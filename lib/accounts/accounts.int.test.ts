import diagnostics from "node:diagnostics_channel";
// Provisions real accounts on the lab (or the OS_* cloud) and checks them through the
// OpenStack API, including that each account can log in with its derived password.
process.env.CLOUDPORT_SECRET_KEY ??= Buffer.alloc(32, 11).toString("base64");

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { identities, type Identity, type Provider } from "@/lib/db/schema";
import { ruleIsCovered } from "@/lib/domain/security-rules";
import { createClient, type OpenStackClient } from "@/lib/openstack/client";
import { cleanup, labOptions, testName } from "@/lib/openstack/testing/env";
import { runProvisionBatch, runRemoveBatch } from "./batch";
import { accountClientOptions, accountSettings } from "@/lib/providers/connection";
import { isRouterInterfacePort, provisionPhase } from "./provision";
import { insertLabProvider, LAB_EXTERNAL_NETWORK, LAB_PUBLIC_ROUTER } from "./testing/lab-provider";
import { openMemoryDb } from "./testing/memory-db";

let os: OpenStackClient;
let db: Db;
let closeDb: () => Promise<void>;
const made: string[] = [];

beforeAll(async () => {
  os = await createClient(labOptions({ timeoutMs: 30_000 }));
  ({ db, close: closeDb } = await openMemoryDb());
});

afterAll(async () => {
  try {
    // Whatever a failed test left: remove through Cloudport, then by name as a last resort.
    const live = await db.select().from(identities).where(isNull(identities.endDate));
    const byProvider = new Map<number, number[]>();
    for (const i of live) byProvider.set(i.providerId, [...(byProvider.get(i.providerId) ?? []), i.id]);
    const { providers } = await import("@/lib/db/schema");
    for (const [providerId, ids] of byProvider) {
      const [provider] = await db.select().from(providers).where(eq(providers.id, providerId));
      await runRemoveBatch(db, os, provider, { identityIds: ids }).catch(() => {});
    }
    await cleanup(made.flatMap((name) => leftovers(name)));
  } finally {
    await os.close();
    await closeDb();
  }
});

/** Deletes anything still named after an account (only runs when a test failed half-way). */
function leftovers(name: string): Array<() => Promise<unknown>> {
  return [
    async () => {
      for (const r of await os.network.routers.list({ name: `${name}-router` })) {
        for (const p of (await os.network.ports.list({ deviceId: r.id })).filter(isRouterInterfacePort)) {
          await os.network.routers.removeInterface(r.id, { portId: p.id });
        }
        await os.network.routers.delete(r.id);
      }
    },
    async () => {
      for (const n of await os.network.networks.list({ name: `${name}-net` })) {
        for (const p of (await os.network.ports.list({ networkId: n.id })).filter(isRouterInterfacePort)) {
          await os.network.routers.removeInterface(p.deviceId, { portId: p.id });
        }
        await os.network.networks.delete(n.id);
      }
    },
    async () => {
      for (const p of await os.identity.projects.list({ name })) {
        for (const g of await os.network.securityGroups.list({ projectId: p.id })) await os.network.securityGroups.delete(g.id);
        await os.identity.projects.delete(p.id);
      }
    },
    async () => {
      for (const u of await os.identity.users.list({ name })) await os.identity.users.delete(u.id);
    },
  ];
}

const identityOf = async (providerId: number, projectName: string): Promise<Identity> => {
  const [row] = await db
    .select()
    .from(identities)
    .where(and(eq(identities.providerId, providerId), eq(identities.projectName, projectName)))
    .orderBy(identities.id);
  return row;
};

/** Everything on the cloud that belongs to an account, counted, to prove nothing is duplicated. */
async function footprint(name: string, projectId: string) {
  const [projects, users, nets, subnets, routers, groups, assignments] = await Promise.all([
    os.identity.projects.list({ name }),
    os.identity.users.list({ name }),
    os.network.networks.list({ name: `${name}-net` }),
    os.network.subnets.list({ name: `${name}-subnet` }),
    os.network.routers.list({ name: `${name}-router` }),
    os.network.securityGroups.list({ projectId }),
    os.identity.roleAssignments.list({ projectId }),
  ]);
  const interfaces = nets.length ? (await os.network.ports.list({ networkId: nets[0].id })).filter(isRouterInterfacePort) : [];
  return {
    projects: projects.length,
    users: users.length,
    nets: nets.length,
    subnets: subnets.length,
    routers: routers.length,
    groups: groups.length,
    rules: groups.reduce((n, g) => n + g.rules.length, 0),
    assignments: assignments.length,
    interfaces: interfaces.length,
  };
}

/** Checks one provisioned account through the API and logs in as it. */
async function expectProvisioned(provider: Provider, accountSecret: string, identity: Identity, topology: "router" | "network") {
  expect(identity).toMatchObject({ state: "active", lastError: null });
  const name = identity.projectName;
  const project = await os.identity.projects.get(identity.projectId!);
  expect(project).toMatchObject({ name, domainId: "default" });
  const user = await os.identity.users.get(identity.openstackUserId!);
  expect(user).toMatchObject({ name, defaultProjectId: project.id });

  const [member, admin] = await Promise.all([os.identity.roles.findByName("member"), os.identity.roles.findByName("admin")]);
  expect(await os.identity.roleAssignments.checkOnProject({ projectId: project.id, userId: user.id, roleId: member!.id })).toBe(true);
  expect(await os.identity.roleAssignments.checkOnProject({ projectId: project.id, userId: os.token.user.id, roleId: admin!.id })).toBe(true);

  const [group] = await os.network.securityGroups.list({ name: "default", projectId: project.id });
  for (const rule of accountSettings(provider).securityRules) expect(ruleIsCovered(rule, group.rules), JSON.stringify(rule)).toBe(true);

  const net = await os.network.networks.get(identity.networkId!);
  expect(net).toMatchObject({ name: `${name}-net`, projectId: project.id });
  const subnet = await os.network.subnets.get(identity.subnetId!);
  expect(subnet).toMatchObject({ name: `${name}-subnet`, networkId: net.id, cidr: identity.subnetCidr, dnsNameservers: ["8.8.8.8", "8.8.4.4"] });
  expect(subnet.cidr).toMatch(/^172\.(1[6-9]|2\d|3[01])\.\d+\.0\/24$/);

  const ports = (await os.network.ports.list({ networkId: net.id })).filter(isRouterInterfacePort);
  expect(ports.map((p) => p.deviceId)).toEqual([identity.routerId]);
  const router = await os.network.routers.get(identity.routerId!);
  if (topology === "router") {
    expect(router.name).toBe(LAB_PUBLIC_ROUTER);
    expect(identity.routerOwned).toBe(false);
  } else {
    const ext = await os.network.networks.findByName(LAB_EXTERNAL_NETWORK);
    expect(router).toMatchObject({ name: `${name}-router`, projectId: project.id });
    expect(router.externalGateway?.networkId).toBe(ext!.id);
    expect(identity.routerOwned).toBe(true);
  }

  // The account can log in to Keystone with the password derived from the provider's secret.
  const asUser = await createClient(accountClientOptions(provider, { ...identity, username: name }, accountSecret));
  try {
    expect(asUser.token.user.name).toBe(name);
    expect(asUser.token.project?.id).toBe(project.id);
    expect(asUser.token.roles.map((r) => r.name)).toContain("member");
  } finally {
    await asUser.close();
  }
}

async function expectGone(identity: Identity) {
  const name = identity.projectName;
  expect(await footprintByName(name)).toEqual({ projects: 0, users: 0, nets: 0, subnets: 0, routers: 0 });
  // Listing with a project filter would make Neutron create the project's default group again.
  expect((await os.network.securityGroups.list()).filter((g) => g.projectId === identity.projectId)).toEqual([]);
  if (identity.routerId && !identity.routerOwned) {
    const ports = (await os.network.ports.list({ deviceId: identity.routerId })).filter((p) => p.fixedIps.some((ip) => ip.subnetId === identity.subnetId));
    expect(ports).toEqual([]);
  }
}

async function footprintByName(name: string) {
  const [projects, users, nets, subnets, routers] = await Promise.all([
    os.identity.projects.list({ name }),
    os.identity.users.list({ name }),
    os.network.networks.list({ name: `${name}-net` }),
    os.network.subnets.list({ name: `${name}-subnet` }),
    os.network.routers.list({ name: `${name}-router` }),
  ]);
  return { projects: projects.length, users: users.length, nets: nets.length, subnets: subnets.length, routers: routers.length };
}

describe("accounts on the lab: External Router Topology", () => {
  let provider: Provider;
  let accountSecret: string;
  const names = [testName("a1"), testName("a2"), testName("a3")];
  made.push(...names);

  beforeAll(async () => {
    ({ provider, accountSecret } = await insertLabProvider(db, { name: testName("router-topology") }));
  });

  it("provisions three accounts: project, user, roles, rules, network, subnet, interface; each can log in", async () => {
    const reports: number[] = [];
    // Every API call made for an account (not the run's one-off look-ups), by phase.
    const calls: string[] = [];
    const count = (message: unknown) => {
      const phase = provisionPhase.getStore();
      if (phase && phase !== "prepare") calls.push(`${phase} ${(message as { request: { method: string } }).request.method}`);
    };
    diagnostics.subscribe("undici:request:create", count);
    const counts = await runProvisionBatch(db, os, provider, accountSecret, { usernames: names }, {
      concurrency: 3,
      report: async (c) => {
        reports.push(c.done);
      },
      reportEveryMs: 50,
    }).finally(() => diagnostics.unsubscribe("undici:request:create", count));
    expect(counts).toMatchObject({ total: 3, done: 3, failed: 0 });
    // Inside a project made in this run nothing is looked up before creating, and the rules go
    // in one bulk request: 19 calls per account (before, each step looked first and each rule was a POST).
    expect(calls.filter((c) => c.startsWith("security_rules POST"))).toHaveLength(3);
    expect(calls.filter((c) => /^(network|subnet|router) GET/.test(c))).toEqual([]);
    expect(calls.filter((c) => c.startsWith("roles GET"))).toEqual([]);
    // The quota of a new project is written without reading it first: three PUTs and three reads back.
    expect(calls.filter((c) => c.startsWith("quota PUT"))).toHaveLength(9);
    // At most 19 per account, plus the client's one-off version discovery (Nova's microversions).
    expect(calls.length).toBeLessThanOrEqual(3 * 19 + 2);
    expect(reports.length).toBeGreaterThan(1);
    const rows = await Promise.all(names.map((n) => identityOf(provider.id, n)));
    for (const row of rows) await expectProvisioned(provider, accountSecret, row, "router");
    expect(new Set(rows.map((r) => r.subnetCidr)).size).toBe(3);
    // The job result never carries the derived password.
    expect(JSON.stringify(counts)).not.toMatch(/[0-9a-f]{64}/);
  });

  it("runs again without changing anything, and a rebuild duplicates nothing", async () => {
    const rows = await Promise.all(names.map((n) => identityOf(provider.id, n)));
    const before = await Promise.all(rows.map((r) => footprint(r.projectName, r.projectId!)));
    expect(before[0]).toEqual({ projects: 1, users: 1, nets: 1, subnets: 1, routers: 0, groups: 1, rules: 18, assignments: 2, interfaces: 1 });

    const again = await runProvisionBatch(db, os, provider, accountSecret, { usernames: names });
    expect(again.done).toBe(3);
    for (const n of names) expect(again.users[n].changes).toEqual([]);

    const rebuilt = await runProvisionBatch(db, os, provider, accountSecret, { usernames: names, rebuild: true });
    expect(rebuilt.done).toBe(3);
    for (const n of names) expect(rebuilt.users[n].changes).toEqual(["user password and default project re-applied"]);

    const after = await Promise.all(rows.map((r) => footprint(r.projectName, r.projectId!)));
    expect(after).toEqual(before);
    const rowsAfter = await Promise.all(names.map((n) => identityOf(provider.id, n)));
    expect(rowsAfter.map((r) => [r.projectId, r.networkId, r.subnetId, r.routerId])).toEqual(rows.map((r) => [r.projectId, r.networkId, r.subnetId, r.routerId]));
  });

  it("restores a network deleted out-of-band on rebuild", async () => {
    const before = await identityOf(provider.id, names[0]);
    await os.network.routers.removeInterface(before.routerId!, { subnetId: before.subnetId! });
    await os.network.networks.delete(before.networkId!);

    const counts = await runProvisionBatch(db, os, provider, accountSecret, { usernames: [names[0]], rebuild: true });
    expect(counts.users[names[0]]).toMatchObject({ status: "done" });
    expect(counts.users[names[0]].changes).toEqual(expect.arrayContaining(["network", `subnet ${before.subnetCidr}`, `interface on ${LAB_PUBLIC_ROUTER}`]));
    const after = await identityOf(provider.id, names[0]);
    expect(after.networkId).not.toBe(before.networkId);
    expect(after.subnetCidr).toBe(before.subnetCidr);
    await expectProvisioned(provider, accountSecret, after, "router");
  });

  it("resumes a half-provisioned account from the failed step", async () => {
    const row = await identityOf(provider.id, names[1]);
    // As if the run had died at the router step after making the subnet.
    await os.network.routers.removeInterface(row.routerId!, { subnetId: row.subnetId! });
    await db.update(identities).set({ state: "failed", lastStep: "router", routerId: null, lastError: "boom" }).where(eq(identities.id, row.id));
    const counts = await runProvisionBatch(db, os, provider, accountSecret, { usernames: [names[1]] });
    expect(counts.users[names[1]].changes).toEqual([`interface on ${LAB_PUBLIC_ROUTER}`]);
    await expectProvisioned(provider, accountSecret, await identityOf(provider.id, names[1]), "router");
  });

  it("removes an account: everything is gone and the identity is end-dated", async () => {
    const row = await identityOf(provider.id, names[2]);
    const counts = await runRemoveBatch(db, os, provider, { identityIds: [row.id] });
    expect(counts.users[names[2]]).toMatchObject({ status: "done" });
    expect(counts.users[names[2]].changes).toEqual(
      expect.arrayContaining(["router interface", "subnet", "network", "security group default", "role assignment", "project", "user"]),
    );
    const after = await identityOf(provider.id, names[2]);
    expect(after).toMatchObject({ state: "removed", lastError: null });
    expect(after.endDate).toBeInstanceOf(Date);
    await expectGone(row);
    // Removing again is a no-op; provisioning again makes a new identity.
    expect((await runRemoveBatch(db, os, provider, { identityIds: [row.id] })).total).toBe(0);
  });

  it("removes the other two", async () => {
    const rows = await Promise.all(names.slice(0, 2).map((n) => identityOf(provider.id, n)));
    const counts = await runRemoveBatch(db, os, provider, { identityIds: rows.map((r) => r.id) });
    expect(counts).toMatchObject({ done: 2, failed: 0 });
    for (const r of rows) await expectGone(r);
  });
});

describe("accounts on the lab: External Network Topology", () => {
  it("makes <project>-router with its gateway on the external network, and removes it", async () => {
    const { provider, accountSecret } = await insertLabProvider(db, { name: testName("network-topology"), topology: "External Network Topology" });
    const name = testName("n1");
    made.push(name);
    const counts = await runProvisionBatch(db, os, provider, accountSecret, { usernames: [name] });
    expect(counts.users[name]).toMatchObject({ status: "done", error: null });
    const row = await identityOf(provider.id, name);
    await expectProvisioned(provider, accountSecret, row, "network");

    const again = await runProvisionBatch(db, os, provider, accountSecret, { usernames: [name], rebuild: true });
    expect(again.users[name].changes).toEqual(["user password and default project re-applied"]);
    expect(await footprint(name, row.projectId!)).toMatchObject({ routers: 1, nets: 1, subnets: 1, interfaces: 1 });

    const removed = await runRemoveBatch(db, os, provider, { identityIds: [row.id] });
    expect(removed.users[name].changes).toEqual(expect.arrayContaining(["router interface", "router", "network", "project", "user"]));
    await expectGone(row);
  });

  it("fails clearly, touching nothing, when the provider's role does not exist", async () => {
    const { provider, accountSecret } = await insertLabProvider(db, { name: testName("bad-role"), userRole: "no-such-role-cptest" });
    const name = testName("x1");
    made.push(name);
    await expect(runProvisionBatch(db, os, provider, accountSecret, { usernames: [name] })).rejects.toThrow(/no role "no-such-role-cptest"/);
    expect(await footprintByName(name)).toEqual({ projects: 0, users: 0, nets: 0, subnets: 0, routers: 0 });
  });
});

describe("accounts on the lab: as durable jobs", () => {
  it("runs accounts.provision and accounts.remove through the job queue, with per-user status in the job", async () => {
    const { registerAllJobHandlers } = await import("@/lib/worker/handlers");
    const { claimNextJob, getJob } = await import("@/lib/jobs/queue");
    const { runJob } = await import("@/lib/jobs/runner");
    const { startProvisioning, startRemoval } = await import("./service");
    registerAllJobHandlers();
    const { provider } = await insertLabProvider(db, { name: testName("jobs") });
    const name = testName("j1");
    made.push(name);

    const started = await startProvisioning(db, { providerId: provider.id, selection: { usernamesText: name } });
    expect(started.createdUsers).toEqual([name]);
    const claimed = await claimNextJob(db, "int-test", ["accounts.provision"]);
    expect(claimed?.id).toBe(started.job.id);
    await runJob(db, claimed!, "int-test", 1000);
    const done = await getJob(db, started.job.id);
    expect(done).toMatchObject({ state: "succeeded", progress: 1, result: { done: 1, failed: 0 } });
    expect((done!.counts as { users: Record<string, unknown> }).users[name]).toMatchObject({ status: "done", step: "router" });
    const row = await identityOf(provider.id, name);
    expect(row).toMatchObject({ state: "active", jobId: null });

    const removal = await startRemoval(db, { providerId: provider.id, identityIds: [row.id] });
    const claimedRemoval = await claimNextJob(db, "int-test", ["accounts.remove"]);
    await runJob(db, claimedRemoval!, "int-test", 1000);
    expect(await getJob(db, removal.job.id)).toMatchObject({ state: "succeeded", result: { done: 1, failed: 0 } });
    await expectGone(row);
  });
});

describe("an adopted project (it existed before Cloudport)", () => {
  it("is refused, then adopted explicitly and provisioned into; on removal keeps the project, its other members and the user", async () => {
    const { provider, accountSecret } = await insertLabProvider(db, { name: testName("adopted") });
    const name = testName("adopt");
    made.push(name);
    // What the original portal (or a person) made: a project and a user of that name, and a colleague on it.
    const project = await os.identity.projects.create({ name, description: "made by hand" });
    const user = await os.identity.users.create({ name, password: "Pre-existing-1", description: "made by hand" });
    const colleague = await os.identity.users.create({ name: `${name}-colleague`, password: "Colleague-Pw-1" });
    try {
      const member = await os.identity.roles.findByName("member");
      await os.identity.roleAssignments.grantOnProject({ projectId: project.id, userId: colleague.id, roleId: member!.id });

      // Issue 12 §2: refused until a superuser adopts it (here opting in to its network).
      const refused = await runProvisionBatch(db, os, provider, accountSecret, { usernames: [name] });
      expect(refused.users[name].error).toMatch(/exists and was not created by Cloudport/);
      const { recordAdoption } = await import("./adopt");
      await recordAdoption(db, { providerId: provider.id, identityId: (await identityOf(provider.id, name)).id, openNetwork: true }, { id: null });
      await runProvisionBatch(db, os, provider, accountSecret, { usernames: [name] });
      const identity = await identityOf(provider.id, name);
      expect(identity).toMatchObject({ state: "active", projectId: project.id, openstackUserId: user.id });

      const removal = await runRemoveBatch(db, os, provider, { identityIds: [identity.id] });
      expect(removal.users[name]).toMatchObject({ status: "done", error: null });
      expect(await os.identity.projects.get(project.id)).toMatchObject({ id: project.id });
      expect(await os.identity.users.get(user.id)).toMatchObject({ id: user.id });
      expect(await os.identity.roleAssignments.checkOnProject({ projectId: project.id, userId: colleague.id, roleId: member!.id })).toBe(true);
      expect(await os.network.networks.findByName(`${name}-net`, { projectId: project.id })).toBeFalsy();
    } finally {
      await cleanup([
        () => os.identity.users.delete(colleague.id),
        () => os.identity.users.delete(user.id),
        async () => {
          for (const g of await os.network.securityGroups.list({ projectId: project.id })) await os.network.securityGroups.delete(g.id);
        },
        () => os.identity.projects.delete(project.id),
      ]);
    }
  });
});
