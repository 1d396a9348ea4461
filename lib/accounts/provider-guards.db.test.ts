// Two guards on provisioning: another provider's Keystone user/project is not adopted, and a
// deactivated provider provisions nothing.
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createClient, type OpenStackClient } from "@/lib/openstack/client";
import { FakeCloud } from "@/lib/openstack/testing/fake-cloud";
import type { JobContext } from "@/lib/jobs/runner";
import { identities, jobs, providers, providerSecrets, type Job } from "@/lib/db/schema";
import { encryptSecret } from "@/lib/secrets";
import { makeUser, testDb, truncateAll } from "@/test/db";
import type { BatchCounts } from "./batch";
import { provisionJobHandler } from "./jobs";
import { markedProvider, otherProviderClaim, providerMarker } from "./ownership";
import { provisionAccount, type ProvisionEnv } from "./provision";
import { fakeProvisionEnv } from "./testing/fake-env";
import { startProvisioning } from "./service";

const SECRET_A = "a".repeat(40);
const SECRET_B = "b".repeat(40);

describe("provider guards (database)", async () => {
  const db = await testDb();
  const ids: Record<string, number> = {};

  async function provider(name: string, accountSecret: string, values: Partial<typeof providers.$inferInsert> = {}) {
    const [p] = await db
      .insert(providers)
      .values({
        name,
        // Nothing listens here: a test that reached the cloud would fail on it.
        authUrl: "http://127.0.0.1:9/v3",
        adminUsername: "admin",
        adminProjectName: "admin",
        networkName: "public",
        publicRouters: ["public_router"],
        cloudConfig: { user: { domain: "Default", user_role_name: "member", admin_role_name: "admin" } },
        ...values,
      })
      .returning();
    await db.insert(providerSecrets).values({ providerId: p.id, credentialSecret: encryptSecret("pw"), accountSecret: encryptSecret(accountSecret) });
    return p.id;
  }

  beforeEach(async () => {
    await truncateAll(db);
    ids.a = await provider("site-a", SECRET_A);
    ids.b = await provider("site-b", SECRET_B);
    ids.c = await provider("site-c", SECRET_A); // same secret as A
  });

  describe("another provider's Keystone user or project", () => {
    it.each([
      ["marked by provider A, provisioning on B", "a", "b", true],
      ["marked by B itself", "b", "b", false],
      ["marked by A, provisioning on C (the same account secret)", "a", "c", false],
    ])("%s", async (_what, owner, env, refused) => {
      const found = { id: "u-1", name: "alice", description: `Cloudport account ${providerMarker(ids[owner])}` };
      const claim = await otherProviderClaim(db, { providerId: ids[env], accountSecret: env === "b" ? SECRET_B : SECRET_A }, "user", found);
      if (!refused) return expect(claim).toBeNull();
      expect(claim).toBe(
        `Keystone user "alice" belongs to provider ${ids.a} ("site-a") on this cloud, which derives account passwords from another account secret, ` +
          `so this provider cannot use it. Remove that account on provider ${ids.a} first, or give this provider its own account domain.`,
      );
    });

    it("finds the owner by the recorded id when the description has no provider marker (older accounts)", async () => {
      const user = await makeUser(db, { username: "bob" });
      const [row] = await db
        .insert(identities)
        .values({ userId: user.id, providerId: ids.a, projectName: "bob", projectId: "p-bob", openstackUserId: "u-bob" })
        .returning();
      const env = { providerId: ids.b, accountSecret: SECRET_B };
      expect(await otherProviderClaim(db, env, "user", { id: "u-bob", name: "bob", description: "Cloudport account" })).toMatch(
        new RegExp(`^Keystone user "bob" belongs to provider ${ids.a} \\("site-a"\\)`),
      );
      expect(await otherProviderClaim(db, env, "project", { id: "p-bob", name: "bob", description: "Cloudport account of bob" })).toMatch(
        /^Keystone project "bob" belongs to provider/,
      );
      // Once A's account is removed, nothing claims it.
      await db.update(identities).set({ endDate: new Date(), state: "removed" }).where(eq(identities.id, row.id));
      expect(await otherProviderClaim(db, env, "user", { id: "u-bob", name: "bob", description: "Cloudport account" })).toBeNull();
    });

    it("a provider this database does not know is still another provider", async () => {
      const claim = await otherProviderClaim(db, { providerId: ids.b, accountSecret: SECRET_B }, "project", {
        id: "p-x",
        name: "carol",
        description: `Cloudport account of carol ${providerMarker(99999)}`,
      });
      expect(claim).toMatch(/^Keystone project "carol" belongs to provider 99999 \(of another Cloudport\)/);
    });

    it("nothing is claimed when no provider's marker or account points at it", async () => {
      expect(await otherProviderClaim(db, { providerId: ids.b, accountSecret: SECRET_B }, "user", { id: "u-z", name: "zed", description: "" })).toBeNull();
      expect(markedProvider("Cloudport account (provider 12)")).toBe(12);
      expect(markedProvider("Cloudport account")).toBeNull();
    });
  });

  describe("the provision steps refuse another provider's Keystone user or project (fake Keystone)", () => {
    let fake: FakeCloud;
    let client: OpenStackClient;
    beforeEach(async () => {
      fake = await FakeCloud.start();
      client = await createClient(fake.clientOptions());
    });
    afterEach(async () => {
      await client.close();
      await fake.close();
    });

    async function envOf(key: "b" | "c"): Promise<ProvisionEnv> {
      const [row] = await db.select().from(providers).where(eq(providers.id, ids[key]));
      return fakeProvisionEnv(row, key === "b" ? SECRET_B : SECRET_A);
    }
    const markedBy = (key: string, what: string) => `Cloudport account${what} ${providerMarker(ids[key])}`;

    it("the project step: provider A's project named alice is not adopted by B; the account fails saying why", async () => {
      fake.on("GET", "/identity/v3/projects", (req) => ({
        json: { projects: req.query.get("name") === "alice" ? [{ id: "p-a", name: "alice", domain_id: "default", description: markedBy("a", " of alice") }] : [] },
      }));
      fake.on("GET", "/identity/v3/users", { json: { users: [] } });
      const user = await makeUser(db, { username: "alice" });
      const [identity] = await db.insert(identities).values({ userId: user.id, providerId: ids.b, projectName: "alice" }).returning();
      const message = `Keystone project "alice" belongs to provider ${ids.a} ("site-a") on this cloud, which derives account passwords from another account secret, so this provider cannot use it. Remove that account on provider ${ids.a} first, or give this provider its own account domain.`;
      await expect(provisionAccount(db, client, await envOf("b"), identity, "alice")).rejects.toMatchObject({ name: "AccountStepError", step: "project", message });
      const [after] = await db.select().from(identities).where(eq(identities.id, identity.id));
      expect(after).toMatchObject({ state: "failed", lastStep: "project", lastError: message, projectId: null });
      // Nothing was created or changed on the cloud.
      expect(fake.requests.filter((r) => r.method !== "GET" && r.path !== "/identity/v3/auth/tokens")).toEqual([]);
    });

    it("the user step: provider A's user named alice is not adopted by B, nor given B's password", async () => {
      fake.on("GET", "/identity/v3/projects/p-b", { json: { project: { id: "p-b", name: "alice", domain_id: "default", description: markedBy("b", " of alice") } } });
      fake.on("GET", "/identity/v3/users", (req) => ({
        json: { users: req.query.get("name") === "alice" ? [{ id: "u-a", name: "alice", domain_id: "default", description: markedBy("a", "") }] : [] },
      }));
      const user = await makeUser(db, { username: "alice" });
      // B made the project already; the run failed at the user step before.
      const [identity] = await db
        .insert(identities)
        .values({ userId: user.id, providerId: ids.b, projectName: "alice", projectId: "p-b", state: "failed", lastStep: "user" })
        .returning();
      await expect(provisionAccount(db, client, await envOf("b"), identity, "alice")).rejects.toMatchObject({
        step: "user",
        message: expect.stringMatching(new RegExp(`^Keystone user "alice" belongs to provider ${ids.a} \\("site-a"\\)`)),
      });
      const [after] = await db.select().from(identities).where(eq(identities.id, identity.id));
      expect(after).toMatchObject({ state: "failed", lastStep: "user", openstackUserId: null });
      expect(fake.requests.filter((r) => r.method !== "GET" && r.path !== "/identity/v3/auth/tokens")).toEqual([]);
    });

    it("provider C, with A's account secret, may use A's project (the same secret derives the same passwords)", async () => {
      fake.on("GET", "/identity/v3/projects", (req) => ({
        json: { projects: req.query.get("name") === "alice" ? [{ id: "p-a", name: "alice", domain_id: "default", description: markedBy("a", " of alice") }] : [] },
      }));
      fake.on("GET", "/identity/v3/users", { json: { users: [] } });
      const user = await makeUser(db, { username: "alice" });
      const [identity] = await db.insert(identities).values({ userId: user.id, providerId: ids.c, projectName: "alice" }).returning();
      // It gets past the ownership check to the quota step (where it stops on a route the fake lacks).
      const err = await provisionAccount(db, client, await envOf("c"), identity, "alice").catch((e: unknown) => e);
      expect(err).toMatchObject({ name: "AccountStepError", step: "project", message: expect.stringMatching(/^Cinder said 404 .*os-quota-sets\/p-a/) });
      expect(fake.requests.some((r) => r.path.endsWith("/os-quota-sets/p-a"))).toBe(true);
    });
  });

  describe("a deactivated provider", () => {
    it("refuses new provisioning, naming the provider", async () => {
      await db.update(providers).set({ isActive: false }).where(eq(providers.id, ids.a));
      await expect(startProvisioning(db, { providerId: ids.a, selection: { usernames: ["dana"] } })).rejects.toThrow(
        `Provider ${ids.a} ("site-a") is deactivated: activate it again to provision accounts on it.`,
      );
      expect(await db.select().from(jobs)).toEqual([]);
    });

    it("a job queued before the deactivation fails every user with the reason, without contacting the cloud", async () => {
      const { job } = await startProvisioning(db, { providerId: ids.a, selection: { usernames: ["erin", "fred"] } });
      await db.update(providers).set({ isActive: false }).where(eq(providers.id, ids.a));
      const reports: BatchCounts[] = [];
      const ctx = {
        job: job as Job,
        db,
        signal: new AbortController().signal,
        progress: async (u: { counts?: unknown }) => {
          if (u.counts) reports.push(u.counts as BatchCounts);
        },
      } as unknown as JobContext;
      const started = Date.now();
      await expect(provisionJobHandler(ctx)).rejects.toThrow(`Provider ${ids.a} is deactivated`);
      expect(Date.now() - started).toBeLessThan(5_000);
      const last = reports.at(-1)!;
      expect(last).toMatchObject({ total: 2, failed: 2, done: 0, queued: 0 });
      for (const u of ["erin", "fred"]) {
        expect(last.users[u]).toMatchObject({ status: "failed", error: `Provider ${ids.a} is deactivated: activate it again to provision accounts on it.` });
      }
      expect(await db.select().from(identities)).toEqual([]);
    });

    it("an active provider is not refused", async () => {
      const { job } = await startProvisioning(db, { providerId: ids.b, selection: { usernames: ["gina"] } });
      expect(job.kind).toBe("accounts.provision");
    });
  });
});
