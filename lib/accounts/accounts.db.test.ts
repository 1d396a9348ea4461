import { eq, like, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { Db } from "@/lib/db/client";
import * as schema from "@/lib/db/schema";
import { beforeEach, describe, expect, it } from "vitest";
import { identities, jobs, providers, providerSecrets, users } from "@/lib/db/schema";
import { encryptSecret } from "@/lib/secrets";
import { makeUser, testDb, truncateAll } from "@/test/db";
import { claimIdentity, releaseIdentity } from "./claim";
import { PROVISION_JOB, REMOVE_JOB } from "./jobs";
import {
  accountStateCounts,
  ensurePortalUsers,
  getOrCreateIdentity,
  listAccountJobs,
  listCandidateUsers,
  listProviderAccounts,
  reserveSubnetCidr,
} from "./queries";
import { openrcForAccount, startProvisioning, startRemoval } from "./service";
import { chooseSubnetCidr } from "./subnet-choice";

describe("accounts (database)", async () => {
  const db = await testDb();
  let providerId: number;

  beforeEach(async () => {
    await truncateAll(db);
    const [p] = await db
      .insert(providers)
      .values({
        name: "lab",
        authUrl: "https://cloud.example.org:5000/v3",
        adminUsername: "admin",
        adminProjectName: "admin",
        networkName: "public",
        publicRouters: ["public_router"],
        cloudConfig: { user: { domain: "Default", user_role_name: "member", admin_role_name: "admin" } },
      })
      .returning();
    providerId = p.id;
    await db.insert(providerSecrets).values({ providerId, credentialSecret: encryptSecret("pw"), accountSecret: encryptSecret("x".repeat(40)) });
  });

  async function account(username: string, values: Partial<typeof identities.$inferInsert> = {}) {
    const user = await makeUser(db, { username });
    const [row] = await db.insert(identities).values({ userId: user.id, providerId, projectName: username, ...values }).returning();
    return row;
  }

  it("creates unknown usernames as portal users (not staff) and matches known ones case-insensitively", async () => {
    await makeUser(db, { username: "Alice", isStaff: true });
    const { users: found, created } = await ensurePortalUsers(db, ["alice", "bob", "carol"]);
    expect(found.map((u) => u.username)).toEqual(["Alice", "bob", "carol"]);
    expect(created).toEqual(["bob", "carol"]);
    const bob = found[1];
    expect(bob).toMatchObject({ isStaff: false, isSuperuser: false, isActive: true, passwordHash: null });
    expect((await ensurePortalUsers(db, ["BOB"])).created).toEqual([]);
    await expect(ensurePortalUsers(db, ["bad/name"])).rejects.toThrow(/Not valid/);
  });

  it("keeps one live identity per user and provider; a removed one stays as history", async () => {
    const user = await makeUser(db, { username: "dana" });
    const a = await getOrCreateIdentity(db, user, providerId);
    const [b, c] = await Promise.all([getOrCreateIdentity(db, user, providerId), getOrCreateIdentity(db, user, providerId)]);
    expect(b.id).toBe(a.id);
    expect(c.id).toBe(a.id);
    expect(a).toMatchObject({ state: "pending", projectName: "dana" });
    await db.update(identities).set({ state: "removed", endDate: new Date() }).where(eq(identities.id, a.id));
    const d = await getOrCreateIdentity(db, user, providerId);
    expect(d.id).not.toBe(a.id);
    expect(await accountStateCounts(db, providerId)).toMatchObject({ removed: 1, pending: 1 });
  });

  it("lists accounts with search, state filter and pages; candidates are users without a live account", async () => {
    await account("alpha", { state: "active", projectId: "p-alpha" });
    await account("beta", { state: "failed", lastStep: "network", lastError: "Neutron said 409" });
    await account("gamma", { state: "removed", endDate: new Date() });
    await makeUser(db, { username: "delta", email: "delta@example.org" });

    const live = await listProviderAccounts(db, providerId);
    expect(live.rows.map((r) => r.username)).toEqual(["alpha", "beta"]);
    expect(live.total).toBe(2);
    expect((await listProviderAccounts(db, providerId, { state: "all" })).total).toBe(3);
    expect((await listProviderAccounts(db, providerId, { state: "failed" })).rows[0]).toMatchObject({ username: "beta", lastError: "Neutron said 409" });
    expect((await listProviderAccounts(db, providerId, { q: "ALP" })).rows.map((r) => r.username)).toEqual(["alpha"]);
    expect((await listProviderAccounts(db, providerId, { q: "p-alpha" })).rows.map((r) => r.username)).toEqual(["alpha"]);
    expect((await listProviderAccounts(db, providerId, { q: "%" })).total).toBe(0);
    expect((await listProviderAccounts(db, providerId, { pageSize: 1, page: 2 })).rows.map((r) => r.username)).toEqual(["beta"]);

    const candidates = await listCandidateUsers(db, providerId);
    expect(candidates.rows.map((r) => r.username)).toEqual(["delta", "gamma"]);
    expect((await listCandidateUsers(db, providerId, { q: "example.org" })).rows.map((r) => r.username)).toEqual(["delta"]);
  });

  it("pages 10,000 accounts and their search (first page, last page, search, state, candidates)", async () => {
    await db.execute(sql`insert into users (username) select 'bulk' || lpad(i::text, 5, '0') from generate_series(1, 10000) i`);
    await db.execute(sql`
      insert into identities (user_id, provider_id, project_name, state)
      select id, ${providerId}, username, (case when id % 10 = 0 then 'failed' else 'active' end)::identity_state from users`);
    await db.execute(sql`analyze`);
    const first = await listProviderAccounts(db, providerId, { pageSize: 50 });
    const last = await listProviderAccounts(db, providerId, { pageSize: 50, page: 200 });
    const search = await listProviderAccounts(db, providerId, { q: "bulk0999", pageSize: 50 });
    const failed = await listProviderAccounts(db, providerId, { state: "failed", pageSize: 50 });
    const candidates = await listCandidateUsers(db, providerId, { q: "bulk", pageSize: 50 });

    expect(first.total).toBe(10_000);
    expect(last.rows.at(-1)?.username).toBe("bulk10000");
    expect(search.total).toBe(10);
    expect(failed.total).toBe(1000);
    expect(candidates.total).toBe(0);
  });

  it("never hands out one CIDR twice, even to concurrent reservations", async () => {
    const rows = await Promise.all(Array.from({ length: 8 }, (_, i) => account(`net${i}`)));
    const cloud = ["172.16.0.0/24"];
    const got = await Promise.all(rows.map((r) => reserveSubnetCidr(db, providerId, r.id, (recorded) => chooseSubnetCidr([...cloud, ...recorded]))));
    expect(new Set(got).size).toBe(8);
    expect(got).not.toContain("172.16.0.0/24");
    const stored = await db.select({ cidr: identities.subnetCidr }).from(identities);
    expect(stored.map((s) => s.cidr).sort()).toEqual([...got].sort());
  });

  it("lets one live job at a time work on an account", async () => {
    const row = await account("eve");
    const [j1, j2] = await db.insert(jobs).values([{ kind: PROVISION_JOB, state: "running" }, { kind: PROVISION_JOB, state: "running" }]).returning();
    expect(await claimIdentity(db, row.id, j1.id)).toBe(true);
    expect(await claimIdentity(db, row.id, j1.id)).toBe(true);
    expect(await claimIdentity(db, row.id, j2.id)).toBe(false);
    await db.update(jobs).set({ state: "failed" }).where(eq(jobs.id, j1.id));
    expect(await claimIdentity(db, row.id, j2.id)).toBe(true);
    await releaseIdentity(db, row.id, j2.id);
    const [after] = await db.select().from(identities).where(eq(identities.id, row.id));
    expect(after.jobId).toBeNull();
  });

  it("queues provisioning: pasted names, created users, one job for a repeated request", async () => {
    await makeUser(db, { username: "known" });
    const a = await startProvisioning(db, { providerId, selection: { usernamesText: "known, newbie\nnewbie" }, createdBy: null });
    expect(a).toMatchObject({ queued: true, usernames: ["known", "newbie"], createdUsers: ["newbie"] });
    expect(a.job).toMatchObject({ kind: PROVISION_JOB, providerId, params: { providerId, usernames: ["known", "newbie"], rebuild: false } });
    const again = await startProvisioning(db, { providerId, selection: { usernames: ["newbie", "known"] } });
    expect(again).toMatchObject({ queued: false });
    expect(again.job.id).toBe(a.job.id);
    const rebuild = await startProvisioning(db, { providerId, selection: { usernames: ["known"] }, rebuild: true });
    expect(rebuild.queued).toBe(true);
    const [newbie] = await db.select().from(users).where(eq(users.username, "newbie"));
    expect(newbie.isStaff).toBe(false);
    expect((await listAccountJobs(db, providerId, [PROVISION_JOB])).length).toBe(2);

    await expect(startProvisioning(db, { providerId, selection: { usernamesText: "ok, bad/one" } })).rejects.toThrow(/not valid usernames: bad\/one/);
    await expect(startProvisioning(db, { providerId, selection: { usernamesText: " , " } })).rejects.toThrow(/at least one/);
    await expect(startProvisioning(db, { providerId: 999, selection: { usernames: ["x"] } })).rejects.toThrow(/no provider 999/);
  });

  it("queues provisioning for every candidate matching a search", async () => {
    for (const u of ["lab-a", "lab-b", "other"]) await makeUser(db, { username: u });
    await account("lab-c", { state: "active" });
    const r = await startProvisioning(db, { providerId, selection: { candidatesMatching: { q: "lab-" } } });
    expect(r.usernames).toEqual(["lab-a", "lab-b"]);
  });

  it("queues removal only for live accounts of the provider", async () => {
    const a = await account("r1", { state: "active" });
    const b = await account("r2", { state: "removed", endDate: new Date() });
    await expect(startRemoval(db, { providerId, identityIds: [b.id] })).rejects.toThrow(/at least one account/);
    const r = await startRemoval(db, { providerId, identityIds: [a.id, b.id, 12345] });
    expect(r).toMatchObject({ queued: true, usernames: ["r1"] });
    expect(r.job).toMatchObject({ kind: REMOVE_JOB, params: { providerId, identityIds: [a.id] } });
    const all = await startRemoval(db, { providerId, matching: { q: "r" } });
    expect(all.job.id).toBe(r.job.id);
  });

  it("never queues the removal of another provider's account, and looks ids up in one query", async () => {
    const [other] = await db.insert(providers).values({ name: "other", authUrl: "https://other.example.org:5000/v3" }).returning();
    const mine = await account("mine", { state: "active" });
    const stranger = await makeUser(db, { username: "stranger" });
    const [theirs] = await db.insert(identities).values({ userId: stranger.id, providerId: other.id, projectName: "stranger", state: "active" }).returning();
    await expect(startRemoval(db, { providerId, identityIds: [theirs.id] })).rejects.toThrow(/at least one account/);
    const r = await startRemoval(db, { providerId, identityIds: [theirs.id, mine.id, mine.id] });
    expect(r.usernames).toEqual(["mine"]);
    expect(r.job.params).toMatchObject({ identityIds: [mine.id] });

    // 5,000 picked ids must not mean 5,000 round trips.
    await db.execute(sql`insert into users (username) select 'rm' || lpad(i::text, 5, '0') from generate_series(1, 5000) i`);
    await db.execute(sql`
      insert into identities (user_id, provider_id, project_name, state)
      select id, ${providerId}, username, 'active'::identity_state from users where username like 'rm%'`);
    const picked = (await db.select({ id: identities.id }).from(identities).where(like(identities.projectName, "rm%"))).map((row) => row.id);
    let queries = 0;
    const client = postgres(process.env.DATABASE_URL!, { max: 2, onnotice: () => {} });
    try {
      const counted = drizzle(client, { schema, logger: { logQuery: () => void queries++ } }) as unknown as Db;
      const bulk = await startRemoval(counted, { providerId, identityIds: picked });
      expect(bulk.usernames).toHaveLength(5000);
    } finally {
      await client.end();
    }
    // A handful of statements, whatever the number of ids (their speed is bench:pages' business).
    expect(queries).toBeLessThan(15);
  });

  it("exports an openrc without any password", async () => {
    const a = await account("olga", { state: "active", projectId: "proj-1" });
    const file = await openrcForAccount(db, providerId, a.id);
    expect(file.fileName).toBe("olga-lab-openrc.sh");
    expect(file.body).toContain('export OS_PROJECT_ID="proj-1"');
    expect(file.body).toContain('export OS_USER_DOMAIN_NAME="Default"');
    expect(file.body).toContain("read -sr OS_PASSWORD_INPUT");
    expect(file.body).not.toMatch(/[0-9a-f]{64}/);
    const pending = await account("pat");
    await expect(openrcForAccount(db, providerId, pending.id)).rejects.toThrow(/no project yet/);
  });

  it("exports OIDC openrc and clouds.yaml for a federated provider's account; clouds.yaml only there", async () => {
    const a = await account("fedora", { state: "active", projectId: "proj-f" });
    await expect(openrcForAccount(db, providerId, a.id, "clouds.yaml")).rejects.toThrow(/federated providers only/);
    await db
      .update(providers)
      .set({ cloudConfig: { user: { domain: "Default", federation: { idp: "egi.eu", protocol: "openid" } } } })
      .where(eq(providers.id, providerId));
    const rc = await openrcForAccount(db, providerId, a.id);
    expect(rc.body).toContain("export OS_AUTH_TYPE=v3oidcpassword");
    expect(rc.body).toContain('export OS_IDENTITY_PROVIDER="egi.eu"');
    const yaml = await openrcForAccount(db, providerId, a.id, "clouds.yaml");
    expect(yaml.fileName).toBe("fedora-lab-clouds.yaml");
    expect(yaml.body).toContain("auth_type: v3oidcpassword");
    expect(yaml.body).not.toMatch(/^\s*password:/m);
  });
});
