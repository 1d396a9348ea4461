import { beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { SessionUser } from "@/lib/auth/dal";
import { runAction } from "@/lib/actions/safe-action";
import { listAuditEntries } from "@/lib/db/queries/audit";
import { identities, jobs, providers } from "@/lib/db/schema";
import type { Db } from "@/lib/db/client";
import { SEED_TIERS } from "@/lib/domain/quotas";
import { makeUser, testDb, truncateAll } from "@/test/db";
import { bulkQuotaDef, saveTierDef } from "./actions";
import { quotaServicesOf } from "./cloud";
import { QUOTA_BULK_JOB, runBulkQuota } from "./jobs";
import { changeAccountQuota, QuotaLeftAloneError } from "./service";
import { driftAccounts } from "@/lib/drift/check";
import { fakeQuotaCloud } from "./testing/fake-quota-client";
import { quotaAccountsPage } from "./queries";
import { desiredQuotaOf, listTiers } from "./tiers";

let db: Db;
let providerId: number;

async function as(flags: Partial<SessionUser>, fresh = true) {
  const { authTime: _at, ...rest } = flags;
  const user = await makeUser(db, { username: `op${Math.random().toString(36).slice(2, 6)}`, ...rest });
  const authTime = fresh ? Date.now() : Date.now() - 11 * 60_000;
  return { getUser: async () => ({ ...user, authTime }) as SessionUser, getDb: async () => db, getIp: async () => "10.0.0.9" };
}

beforeEach(async () => {
  db = await testDb();
  await truncateAll(db);
  const [p] = await db.insert(providers).values({ name: "cloud-q", authUrl: "https://q.example.org:5000/v3" }).returning({ id: providers.id });
  providerId = p.id;
});

const medium = SEED_TIERS[1].values;

describe("quota tiers", () => {
  it("seeds small, medium (default) and large once per provider", async () => {
    const first = await listTiers(db, providerId);
    expect(first.map((t) => [t.name, t.isDefault])).toEqual([["small", false], ["medium", true], ["large", false]]);
    expect(first[1].values).toEqual(medium);
    expect((await listTiers(db, providerId)).map((t) => t.id)).toEqual(first.map((t) => t.id));
  });

  it("creates a tier from a form, moves the default to it, audits before/after", async () => {
    const deps = await as({ isStaff: true });
    await listTiers(db, providerId);
    const form = new FormData();
    form.set("providerId", String(providerId));
    form.set("name", "gpu");
    form.set("description", "GPU lab");
    form.set("isDefault", "on");
    for (const [k, v] of Object.entries(medium)) form.set(`values.${k}`, String(k === "cores" ? 64 : v));
    const r = await runAction(deps, saveTierDef, form);
    expect(r).toMatchObject({ ok: true, data: { tier: { name: "gpu", isDefault: true, values: { cores: 64 } } } });
    const tiers = await listTiers(db, providerId);
    expect(tiers.filter((t) => t.isDefault).map((t) => t.name)).toEqual(["gpu"]);
    const audit = await listAuditEntries(db, { action: "quotas." });
    expect(audit.rows[0]).toMatchObject({ action: "quotas.tier_create", details: { tier: "gpu", before: null, after: { values: { cores: 64 } } } });

    // An account without a tier gets the default; with custom values on top.
    const user = await makeUser(db, { username: "ada" });
    const [idn] = await db.insert(identities).values({ userId: user.id, providerId, projectName: "ada", quotaCustom: { ram: 1 } }).returning();
    const desired = await desiredQuotaOf(db, idn);
    expect(desired.tier?.name).toBe("gpu");
    expect(desired.values).toMatchObject({ cores: 64, ram: 1 });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["a value below -1", { "values.cores": "-5" }, "Cores cannot be -5"],
    ["a missing value", { "values.port": "" }, "Ports is missing"],
    ["a bad name", { name: "Big Tier" }, "lower-case letters"],
    ["a taken name", { name: "small" }, 'already has a tier named "small"'],
  ])("refuses %s with a message a person can act on, and audits nothing", async (_n, patch, message) => {
    const deps = await as({ isStaff: true });
    await listTiers(db, providerId);
    const input: Record<string, unknown> = { providerId, name: "new", description: "" };
    for (const [k, v] of Object.entries(medium)) input[`values.${k}`] = String(v);
    const r = await runAction(deps, saveTierDef, { ...input, ...patch });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain(message);
    expect((await listAuditEntries(db, { action: "quotas." })).total).toBe(0);
  });

  it("keeps a default: un-defaulting the default tier is refused", async () => {
    const deps = await as({ isStaff: true });
    const m = (await listTiers(db, providerId))[1];
    const r = await runAction(deps, saveTierDef, { providerId, tierId: m.id, name: "medium", description: "", values: medium });
    expect(r).toMatchObject({ ok: false, error: { message: expect.stringContaining("always has a default tier") } });
  });

  it("queues a bulk change as one job for the live accounts chosen, and lists accounts with their tier", async () => {
    const deps = await as({ isStaff: true });
    const [small] = await listTiers(db, providerId);
    const ids: number[] = [];
    for (const name of ["bo", "cy", "di"]) {
      const u = await makeUser(db, { username: name });
      const [row] = await db.insert(identities).values({ userId: u.id, providerId, projectName: name, projectId: `p-${name}`, quotaTierId: name === "bo" ? small.id : null }).returning();
      ids.push(row.id);
    }
    await db.update(identities).set({ endDate: new Date() }).where(eq(identities.id, ids[2]));
    // A sign-in older than 10 minutes must be confirmed first: nothing queued, nothing audited.
    const stale = await runAction(await as({ isStaff: true }, false), bulkQuotaDef, { providerId, identityIds: ids.map(String), tierId: String(small.id) });
    expect(stale).toMatchObject({ ok: false, error: { code: "reauth_required", message: expect.stringContaining("Confirm your password") } });
    expect(await db.select().from(jobs)).toEqual([]);
    expect((await listAuditEntries(db, { action: "quotas.bulk" })).total).toBe(0);
    const r = await runAction(deps, bulkQuotaDef, { providerId, identityIds: ids.map(String), tierId: String(small.id) });
    expect(r).toMatchObject({ ok: true, data: { count: 2, alreadyQueued: false } });
    const [job] = await db.select().from(jobs);
    expect(job).toMatchObject({ kind: QUOTA_BULK_JOB, params: { identityIds: ids.slice(0, 2), tierId: small.id, clearCustom: false } });
    expect((await listAuditEntries(db, { action: "quotas.bulk" })).rows[0].details).toMatchObject({ tier: "small", count: 2 });

    const page = await quotaAccountsPage(db, providerId, { page: 1, pageSize: 10 });
    expect(page.total).toBe(2);
    expect(page.rows.map((x) => [x.username, x.tierName])).toEqual([["bo", "small"], ["cy", null]]);
    expect((await quotaAccountsPage(db, providerId, { q: "c", page: 1, pageSize: 10 })).rows.map((x) => x.username)).toEqual(["cy"]);
  });
});

describe("bulk tier change job", () => {
  it("applies the tier per account with progress, refuses one below usage with the numbers, audits every outcome, skips removed accounts", async () => {
    const small = (await listTiers(db, providerId)).find((t) => t.name === "small")!;
    const account = async (username: string, extra: Partial<typeof identities.$inferInsert> = {}) => {
      const u = await makeUser(db, { username });
      const [i] = await db.insert(identities).values({ userId: u.id, providerId, projectName: username, projectId: `p-${username}`, ...extra }).returning();
      return i;
    };
    const ada = await account("ada", { quotaCustom: { cores: 50 } });
    const bob = await account("bob");
    const cid = await account("cid", { projectId: null });
    const eve = await account("eve", { endDate: new Date() });
    const cloud = fakeQuotaCloud({ projects: { "p-ada": { limits: { cores: 50 } }, "p-bob": { limits: { cores: 20 }, usage: { cores: 8 } } } });
    const updates: Array<{ progress?: number; counts?: Record<string, unknown> }> = [];
    const params = { providerId, identityIds: [ada.id, bob.id, cid.id, eve.id], tierId: small.id, clearCustom: true, actor: { id: null, username: "op" } };
    await expect(
      runBulkQuota(db, cloud.client, params, { jobId: "00000000-0000-4000-8000-00000000000b", progress: async (u) => void updates.push(u), signal: new AbortController().signal }),
    ).rejects.toThrow("2 of 3 accounts could not be changed");

    expect(cloud.limits.get("p-ada")).toMatchObject({ cores: 4, ram: 8192, security_group_rule: 100 });
    expect(cloud.limits.get("p-bob")?.cores).toBe(20);
    const byName = new Map((await db.select().from(identities)).map((i) => [i.projectName, i]));
    expect(byName.get("ada")).toMatchObject({ quotaTierId: small.id, quotaCustom: null, quotaApplied: { cores: 4 } });
    expect(byName.get("bob")).toMatchObject({ quotaTierId: null });
    expect(updates[0]).toMatchObject({ progress: 0, counts: { total: 3, done: 0, failed: 0 } });
    expect(updates.at(-1)).toMatchObject({
      progress: 1,
      counts: {
        total: 3,
        done: 1,
        failed: 2,
        users: {
          ada: { status: "done", changed: expect.arrayContaining(["cores"]) },
          bob: { status: "failed", error: expect.stringContaining("cores: 8 in use, 4 requested") },
          cid: { status: "failed", error: expect.stringContaining("no project yet") },
        },
      },
    });
    const audit = (await listAuditEntries(db, { action: "quotas.apply" })).rows.map((r) => [r.action, (r.details as { username: string }).username]).sort();
    expect(audit).toEqual([["quotas.apply", "ada"], ["quotas.apply_failed", "bob"], ["quotas.apply_failed", "cid"]]);
  });

  it("a service missing from the catalog is skipped with a note and never called", async () => {
    const cloud = fakeQuotaCloud({ services: ["compute"], projects: { p1: { limits: { cores: 99 } } } });
    expect(quotaServicesOf(cloud.client)).toEqual({ present: ["compute"], skipped: ["volume", "network"] });
    const u = await makeUser(db, { username: "ada" });
    const [i] = await db.insert(identities).values({ userId: u.id, providerId, projectName: "ada", projectId: "p1" }).returning();
    const r = await changeAccountQuota(db, cloud.client, i, {});
    expect(r.note).toBe("Cinder and Neutron skipped: not in the cloud's catalog");
    expect(r.after).toEqual({ instances: medium.instances, cores: medium.cores, ram: medium.ram });
    expect(cloud.calls).toMatchObject({ volume: 0, network: 0 });
  });
});

describe("a project adopted with its quota left to its owners", () => {
  it("is not drift, is refused by a tier change unless a superuser takes it over, and is kept from then on", async () => {
    const cloud = fakeQuotaCloud({ projects: { p1: { limits: { cores: 99 } } } });
    const u = await makeUser(db, { username: "ada" });
    const [i] = await db
      .insert(identities)
      .values({ userId: u.id, providerId, projectName: "ada", projectId: "p1", adoptedAt: new Date(), adoptQuota: false })
      .returning();
    expect((await driftAccounts(db, providerId))[0].desiredQuota).toBeNull();
    await expect(changeAccountQuota(db, cloud.client, i, {})).rejects.toBeInstanceOf(QuotaLeftAloneError);
    expect(cloud.writes).toEqual([]);
    const bulk = await runBulkQuota(db, cloud.client, { providerId, identityIds: [i.id], tierId: null, clearCustom: false }, {
      jobId: "j1",
      progress: async () => {},
      signal: new AbortController().signal,
    }).catch((e: Error) => e.message);
    expect(bulk).toContain("could not be changed");
    expect(cloud.writes).toEqual([]);
    expect((await listAuditEntries(db, { action: "quotas.apply_failed" })).rows[0].details).toMatchObject({ error: expect.stringContaining("adopted with its quota left") });

    const r = await changeAccountQuota(db, cloud.client, i, {}, undefined, { takeOverAdopted: true });
    expect(r.tookOver).toBe(true);
    expect(cloud.limits.get("p1")!.cores).toBe(medium.cores);
    const [after] = await db.select().from(identities).where(eq(identities.id, i.id));
    expect(after.adoptQuota).toBe(true);
    expect((await driftAccounts(db, providerId))[0].desiredQuota).toMatchObject({ cores: medium.cores });
  });
});
