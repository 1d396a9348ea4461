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
import { QUOTA_BULK_JOB } from "./jobs";
import { quotaAccountsPage } from "./queries";
import { desiredQuotaOf, listTiers } from "./tiers";

let db: Db;
let providerId: number;

async function as(flags: Partial<SessionUser>) {
  const user = await makeUser(db, { username: `op${Math.random().toString(36).slice(2, 6)}`, ...flags });
  return { getUser: async () => user as SessionUser, getDb: async () => db, getIp: async () => "10.0.0.9" };
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
