import { beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { SessionUser } from "@/lib/auth/dal";
import { runAction } from "@/lib/actions/safe-action";
import type { Db } from "@/lib/db/client";
import { listAuditEntries } from "@/lib/db/queries/audit";
import { driftFindings, driftSettings, enforcementStates, identities, jobs, providers } from "@/lib/db/schema";
import { effectiveQuota, SEED_TIERS } from "@/lib/domain/quotas";
import { enqueueJob } from "@/lib/jobs/queue";
import { fakeQuotaCloud } from "@/lib/quotas/testing/fake-quota-client";
import { listTiers } from "@/lib/quotas/tiers";
import { makeUser, testDb, truncateAll } from "@/test/db";
import { driftBulkDef, driftRowDef, driftScheduleDef } from "./actions";
import { applyFindings, repairStepsOf } from "./apply";
import { driftAccounts, storeFindings, takeSnapshot } from "./check";
import { DRIFT_APPLY_JOB, DRIFT_CHECK_JOB, runDriftSchedulerTick } from "./jobs";

let db: Db;
let providerId: number;
let identityId: number;

async function as(fresh = true) {
  const user = await makeUser(db, { username: `op${Math.random().toString(36).slice(2, 6)}`, isStaff: true });
  const authTime = fresh ? Date.now() : Date.now() - 11 * 60_000;
  return { getUser: async () => ({ ...user, authTime }) as SessionUser, getDb: async () => db, getIp: async () => "10.0.0.9" };
}

beforeEach(async () => {
  db = await testDb();
  await truncateAll(db);
  const [p] = await db.insert(providers).values({ name: "cloud-d", authUrl: "https://d.example.org:5000/v3" }).returning({ id: providers.id });
  providerId = p.id;
  const u = await makeUser(db, { username: "ada" });
  const [i] = await db.insert(identities).values({ userId: u.id, providerId, projectName: "ada", projectId: "p1", quotaCustom: { ram: 5 } }).returning();
  identityId = i.id;
});

const cores = (actual: string) => ({ identityId, field: "quota.cores", desired: "10", actual, fixable: true });
const extraRole = () => ({ identityId, field: "role.extra", desired: null, actual: "reader for ada", fixable: false });

describe("drift findings", () => {
  it("are stored per check; ignored stays ignored until the cloud's value changes; fixed ones go", async () => {
    await storeFindings(db, providerId, [cores("99"), extraRole()]);
    const [f] = await db.select().from(driftFindings).where(eq(driftFindings.field, "quota.cores"));
    const deps = await as();
    expect(await runAction(deps, driftRowDef, { providerId, findingId: f.id, op: "ignore" })).toMatchObject({ ok: true, data: { message: expect.stringContaining("cores: Cloudport 10, cloud 99") } });
    await storeFindings(db, providerId, [cores("99"), extraRole()]);
    expect((await db.select().from(driftFindings).where(eq(driftFindings.field, "quota.cores")))[0].status).toBe("ignored");
    await storeFindings(db, providerId, [cores("98"), extraRole()]);
    expect((await db.select().from(driftFindings).where(eq(driftFindings.field, "quota.cores")))[0]).toMatchObject({ status: "open", actual: "98" });
    await storeFindings(db, providerId, [extraRole()]);
    expect((await db.select().from(driftFindings)).map((r) => r.field)).toEqual(["role.extra"]);
  });

  it("Accept makes the cloud's quota the account's own value and audits it; extra roles cannot be accepted or applied", async () => {
    await storeFindings(db, providerId, [cores("99"), extraRole()]);
    const rows = await db.select().from(driftFindings);
    const c = rows.find((r) => r.field === "quota.cores")!;
    const e = rows.find((r) => r.field === "role.extra")!;
    const deps = await as();
    expect(await runAction(deps, driftRowDef, { providerId, findingId: c.id, op: "accept" })).toMatchObject({ ok: true });
    expect((await db.select().from(identities))[0].quotaCustom).toEqual({ ram: 5, cores: 99 });
    expect((await listAuditEntries(db, { action: "drift.accept" })).rows[0].details).toMatchObject({ before: "10", after: 99 });
    expect(await runAction(deps, driftRowDef, { providerId, findingId: e.id, op: "accept" })).toMatchObject({ ok: false, error: { message: expect.stringContaining("Only a quota value") } });
    expect(await runAction(deps, driftRowDef, { providerId, findingId: e.id, op: "apply" })).toMatchObject({ ok: false, error: { message: expect.stringContaining("never removed") } });
  });

  it("Apply and Apply all queue drift.apply jobs with the fixable findings; Check now queues one check", async () => {
    await storeFindings(db, providerId, [cores("99"), extraRole()]);
    const c = (await db.select().from(driftFindings).where(eq(driftFindings.field, "quota.cores")))[0];
    const deps = await as();
    const all = await runAction(deps, driftBulkDef, { providerId, op: "apply_all" });
    expect(all).toMatchObject({ ok: true, data: { message: "Applying 1 difference." } });
    const [job] = await db.select().from(jobs);
    expect(job).toMatchObject({ kind: DRIFT_APPLY_JOB, params: { findingIds: [c.id] } });
    const check = await runAction(deps, driftBulkDef, { providerId, op: "check" });
    const again = await runAction(deps, driftBulkDef, { providerId, op: "check" });
    expect(check.ok && again.ok && check.data.jobId === again.data.jobId).toBe(true);
    expect((await db.select().from(jobs).where(eq(jobs.kind, DRIFT_CHECK_JOB))).length).toBe(1);
  });

  it("Apply all needs a sign-in from the last 10 minutes; Check now does not", async () => {
    await storeFindings(db, providerId, [cores("99")]);
    const stale = await as(false);
    expect(await runAction(stale, driftBulkDef, { providerId, op: "apply_all" })).toMatchObject({ ok: false, error: { code: "reauth_required", message: expect.stringContaining("Confirm your password") } });
    expect(await db.select().from(jobs).where(eq(jobs.kind, DRIFT_APPLY_JOB))).toEqual([]);
    expect((await listAuditEntries(db, { action: "drift.apply_all" })).total).toBe(0);
    expect(await runAction(stale, driftBulkDef, { providerId, op: "check" })).toMatchObject({ ok: true });
  });

  it("the schedule queues a check per provider once per interval", async () => {
    expect(await runDriftSchedulerTick(db)).toBe(1);
    expect(await runDriftSchedulerTick(db)).toBe(0);
    const [s] = await db.select().from(driftSettings);
    expect(s.nextRunAt.getTime()).toBeGreaterThan(Date.now() + 3_500_000);
    expect((await db.select().from(jobs).where(eq(jobs.kind, DRIFT_CHECK_JOB))).length).toBe(1);
  });
});

describe("Apply", () => {
  const provider = async () => (await db.select().from(providers).where(eq(providers.id, providerId)))[0];
  const tiersByName = async () => new Map((await listTiers(db, providerId)).map((t) => [t.name, t]));
  const SECRET = "s".repeat(32);

  it("writes the quota the account should have now, not the value saved at check time, and reads it back", async () => {
    const tiers = await tiersByName();
    await db.update(identities).set({ quotaTierId: tiers.get("medium")!.id, quotaCustom: null }).where(eq(identities.id, identityId));
    await storeFindings(db, providerId, [{ identityId, field: "quota.cores", desired: "10", actual: "99", fixable: true }]);
    // The tier changes after the check.
    await db.update(identities).set({ quotaTierId: tiers.get("large")!.id }).where(eq(identities.id, identityId));
    const cloud = fakeQuotaCloud({ projects: { p1: { limits: { cores: 99, security_group_rule: 50 } } } });
    const out = await applyFindings(db, cloud.client, await provider(), SECRET, await db.select().from(driftFindings));
    expect(out).toMatchObject([{ ok: true, changes: expect.arrayContaining(["cores 32"]) }]);
    const large = SEED_TIERS.find((t) => t.name === "large")!.values;
    expect(cloud.limits.get("p1")).toMatchObject({ cores: 32, ram: large.ram, security_group_rule: 200 });
    // Read back after the write, and recorded.
    expect(cloud.calls.compute).toBeGreaterThanOrEqual(3);
    expect((await db.select().from(identities))[0].quotaApplied).toMatchObject({ cores: 32, security_group_rule: 200 });
    expect(await db.select().from(driftFindings)).toEqual([]);
  });

  it("keeps the security_group_rule floor and the enforced cores-0 hold (written with force above usage)", async () => {
    await db.update(identities).set({ quotaCustom: { security_group_rule: 20 } }).where(eq(identities.id, identityId));
    await db.insert(enforcementStates).values({ identityId, providerId, action: "zero_cores", enforcedAt: new Date(), coresBefore: 10 });
    await storeFindings(db, providerId, [{ identityId, field: "quota.cores", desired: "0", actual: "10", fixable: true }]);
    const cloud = fakeQuotaCloud({ projects: { p1: { limits: { cores: 10, security_group_rule: 20 }, usage: { cores: 4 } } } });
    const out = await applyFindings(db, cloud.client, await provider(), SECRET, await db.select().from(driftFindings));
    expect(out).toMatchObject([{ ok: true }]);
    expect(cloud.limits.get("p1")).toMatchObject({ cores: 0, security_group_rule: 100 });
    expect(cloud.writes.find((w) => w.service === "compute")?.body).toMatchObject({ cores: 0, force: true });
  });

  it("refuses a value below usage with the numbers, writes nothing and keeps the finding", async () => {
    const tiers = await tiersByName();
    await storeFindings(db, providerId, [{ identityId, field: "quota.cores", desired: "10", actual: "99", fixable: true }]);
    await db.update(identities).set({ quotaTierId: tiers.get("small")!.id, quotaCustom: null }).where(eq(identities.id, identityId));
    const cloud = fakeQuotaCloud({ projects: { p1: { limits: { cores: 99 }, usage: { cores: 8 } } } });
    const out = await applyFindings(db, cloud.client, await provider(), SECRET, await db.select().from(driftFindings));
    expect(out).toMatchObject([{ ok: false, error: expect.stringContaining("cores: 8 in use, 4 requested") }]);
    expect(cloud.writes).toEqual([]);
    expect(await db.select().from(driftFindings)).toHaveLength(1);
  });

  it("does not touch an account another live job holds", async () => {
    await storeFindings(db, providerId, [{ identityId, field: "quota.cores", desired: "10", actual: "99", fixable: true }]);
    const { job: other } = await enqueueJob(db, { kind: "accounts.provision", providerId, params: {}, createdBy: null });
    await db.update(identities).set({ jobId: other.id }).where(eq(identities.id, identityId));
    const cloud = fakeQuotaCloud({ projects: { p1: { limits: { cores: 99 } } } });
    const mine = "00000000-0000-4000-8000-000000000001";
    const out = await applyFindings(db, cloud.client, await provider(), SECRET, await db.select().from(driftFindings), { jobId: mine });
    expect(out).toMatchObject([{ ok: false, error: expect.stringContaining("Another job") }]);
    expect(cloud.writes).toEqual([]);
    expect((await db.select().from(identities))[0].jobId).toBe(other.id);
  });

  it("maps each finding to the provisioning steps that repair only it", () => {
    expect(repairStepsOf([{ field: "network", actual: "missing" }])).toEqual(["network", "subnet", "router"]);
    expect(repairStepsOf([{ field: "role.user", actual: "missing" }, { field: "security_rules", actual: "2 missing" }])).toEqual(["roles", "security_rules"]);
    expect(repairStepsOf([{ field: "router_interface", actual: "missing" }])).toEqual(["router"]);
    expect(repairStepsOf([{ field: "project", actual: "disabled" }, { field: "quota.cores", actual: "99" }])).toEqual([]);
  });

  it("a row Apply while another apply job is live on the provider is refused unless that job holds the row", async () => {
    await storeFindings(db, providerId, [
      { identityId, field: "quota.cores", desired: "10", actual: "99", fixable: true },
      { identityId, field: "quota.ram", desired: "5", actual: "7", fixable: true },
    ]);
    const [c, r] = await db.select().from(driftFindings).orderBy(driftFindings.field);
    const deps = await as();
    const first = await runAction(deps, driftRowDef, { providerId, findingId: c.id, op: "apply" });
    expect(first).toMatchObject({ ok: true, data: { message: expect.stringContaining("Applying") } });
    const same = await runAction(deps, driftRowDef, { providerId, findingId: c.id, op: "apply" });
    expect(same).toMatchObject({ ok: true, data: { message: expect.stringContaining("Already being applied") } });
    expect(same.ok && first.ok && same.data.jobId === first.data.jobId).toBe(true);
    const other = await runAction(deps, driftRowDef, { providerId, findingId: r.id, op: "apply" });
    expect(other).toMatchObject({ ok: false, error: { code: "conflict", message: expect.stringContaining("try again when it ends") } });
    const all = await runAction(deps, driftBulkDef, { providerId, op: "apply_all" });
    expect(all).toMatchObject({ ok: false, error: { message: expect.stringContaining("does not include every open difference") } });
    expect(await db.select().from(jobs)).toHaveLength(1);
    // Once it ended, the row can be applied.
    await db.update(jobs).set({ state: "succeeded" });
    expect(await runAction(deps, driftRowDef, { providerId, findingId: r.id, op: "apply" })).toMatchObject({ ok: true });
  });
});

describe("Accept", () => {
  it("refuses a security_group_rule under the floor and cores held at 0, saying why; changes nothing", async () => {
    await storeFindings(db, providerId, [
      { identityId, field: "quota.security_group_rule", desired: "100", actual: "50", fixable: true },
      { identityId, field: "quota.cores", desired: "0", actual: "8", fixable: true },
    ]);
    await db.insert(enforcementStates).values({ identityId, providerId, action: "zero_cores", enforcedAt: new Date(), coresBefore: 10 });
    const rows = await db.select().from(driftFindings);
    const deps = await as();
    const sgr = await runAction(deps, driftRowDef, { providerId, findingId: rows.find((f) => f.field === "quota.security_group_rule")!.id, op: "accept" });
    expect(sgr).toMatchObject({ ok: false, error: { message: expect.stringContaining("at least 100") } });
    const cores = await runAction(deps, driftRowDef, { providerId, findingId: rows.find((f) => f.field === "quota.cores")!.id, op: "accept" });
    expect(cores).toMatchObject({ ok: false, error: { message: expect.stringContaining("holds this account's cores at 0") } });
    expect((await db.select().from(identities))[0].quotaCustom).toEqual({ ram: 5 });
    expect(await db.select().from(driftFindings)).toHaveLength(2);
    expect((await listAuditEntries(db, { action: "drift.accept" })).total).toBe(0);
  });

  it("an accepted value is what the next check holds (no drift again)", async () => {
    await storeFindings(db, providerId, [{ identityId, field: "quota.security_group_rule", desired: "100", actual: "150", fixable: true }]);
    const [f] = await db.select().from(driftFindings);
    expect(await runAction(await as(), driftRowDef, { providerId, findingId: f.id, op: "accept" })).toMatchObject({ ok: true });
    const [account] = await driftAccounts(db, providerId);
    expect(effectiveQuota(account.desiredQuota!).security_group_rule).toBe(150);
  });
});

describe("the check's snapshot", () => {
  it("does not call Neutron or Cinder when the catalog lacks them", async () => {
    const cloud = fakeQuotaCloud({ services: ["compute"], projects: { p1: { limits: { cores: 10 } } } });
    const calls: string[] = [];
    const list = (what: string, rows: unknown[] = []) => async () => (calls.push(what), rows);
    const fail = () => {
      throw new Error("Neutron was called");
    };
    const client = Object.assign(cloud.client, {
      token: { user: { id: "admin" } },
      identity: {
        ...cloud.client.identity,
        domains: { get: async () => ({ id: "default" }), findByName: async () => ({ id: "default" }) },
        projects: { list: list("projects", [{ id: "p1", enabled: true }]) },
        users: { list: list("users") },
        roleAssignments: { list: list("role_assignments") },
        roles: { list: list("roles") },
      },
      network: new Proxy({}, { get: fail }),
    });
    const [p] = await db.select().from(providers).where(eq(providers.id, providerId));
    const accounts = await driftAccounts(db, providerId);
    const counter = { calls: 0 };
    const snap = await takeSnapshot(client, p, accounts, counter, 2);
    expect(snap.networkSkipped).toBe(true);
    expect(calls.sort()).toEqual(["projects", "role_assignments", "roles", "users"]);
    expect(cloud.calls).toMatchObject({ compute: 1, volume: 0, network: 0 });
    expect(snap.quotas.get("p1")).toEqual({ instances: 10, cores: 10, ram: 10 });
  });
});

describe("the drift schedule form", () => {
  it("saves the interval and on/off switch, audited; the scheduler follows it; bad input says what to fix", async () => {
    const deps = await as();
    const ok = await runAction(deps, driftScheduleDef, { providerId, every: "6", unit: "hours", enabled: "on" });
    expect(ok).toMatchObject({ ok: true, data: { intervalSeconds: 21_600, enabled: true, message: "Saved: the drift check runs every 6 hours." } });
    const [s] = await db.select().from(driftSettings).where(eq(driftSettings.providerId, providerId));
    expect(s).toMatchObject({ intervalSeconds: 21_600, enabled: true });
    expect((await listAuditEntries(db, { action: "drift.schedule_saved" })).rows[0].details).toMatchObject({ before: null, after: { intervalSeconds: 21_600, enabled: true } });

    // Off: the scheduler queues nothing even when due.
    const off = await runAction(deps, driftScheduleDef, { providerId, every: "6", unit: "hours" });
    expect(off).toMatchObject({ ok: true, data: { enabled: false, message: expect.stringContaining("only when you press Check now") } });
    await db.update(driftSettings).set({ nextRunAt: new Date(Date.now() - 1000) });
    expect(await runDriftSchedulerTick(db)).toBe(0);
    expect((await listAuditEntries(db, { action: "drift.schedule_saved" })).rows[0].details).toMatchObject({ before: { enabled: true }, after: { enabled: false } });

    // On again after a check an interval ago: due now.
    await db.update(driftSettings).set({ lastCheckedAt: new Date(Date.now() - 7 * 3_600_000) });
    await runAction(deps, driftScheduleDef, { providerId, every: "6", unit: "hours", enabled: "on" });
    expect(await runDriftSchedulerTick(db)).toBe(1);

    for (const [input, message] of [
      [{ every: "2", unit: "minutes" }, "Check at most every 5 minutes."],
      [{ every: "8", unit: "days" }, "Check at least every 7 days."],
      [{ every: "soon", unit: "hours" }, "Enter a number."],
      [{ every: "1", unit: "weeks" }, "Choose minutes, hours or days."],
    ] as const) {
      const r = await runAction(deps, driftScheduleDef, { providerId, enabled: "on", ...input });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(JSON.stringify(r.error)).toContain(message);
    }
    expect((await db.select().from(driftSettings).where(eq(driftSettings.providerId, providerId)))[0].intervalSeconds).toBe(21_600);
    expect(await runAction(deps, driftScheduleDef, { providerId: providerId + 99, every: "1", unit: "hours" })).toMatchObject({ ok: false, error: { code: "not_found" } });
  });
});
