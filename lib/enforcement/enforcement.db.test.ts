import { beforeEach, describe, expect, it } from "vitest";
import type { SessionUser } from "@/lib/auth/dal";
import { runAction } from "@/lib/actions/safe-action";
import type { Db } from "@/lib/db/client";
import { listAuditEntries } from "@/lib/db/queries/audit";
import { identities, providers } from "@/lib/db/schema";
import { DEFAULT_POLICY } from "@/lib/domain/enforcement";
import { makeUser, testDb, truncateAll } from "@/test/db";
import { enforcementPolicies, enforcementStates, jobs, notifications } from "@/lib/db/schema";
import { driftAccounts } from "@/lib/drift/check";
import { eq } from "drizzle-orm";
import { markNotificationsReadDef, saveEnforcementPolicyDef, setEnforcementOverrideDef } from "./actions";
import { ENFORCEMENT_RUN_JOB, runEnforcementSchedulerTick } from "./jobs";
import { getOverride, getPolicy, listEvents, policySchema, recordEvent, savePolicy, setOverride } from "./store";
import { runEnforcement } from "./run";
import { insertProvider, insertUsers } from "@/lib/allocation/fixtures";
import { SEED_TIERS } from "@/lib/domain/quotas";
import { fakeQuotaCloud } from "@/lib/quotas/testing/fake-quota-client";

let db: Db;
let providerId: number;
let identityId: number;

async function as(isStaff = true, fresh = true) {
  const user = await makeUser(db, { username: `op${Math.random().toString(36).slice(2, 6)}`, isStaff });
  const authTime = fresh ? Date.now() : Date.now() - 11 * 60_000;
  return { getUser: async () => ({ ...user, authTime }) as SessionUser, getDb: async () => db, getIp: async () => "10.0.0.9" };
}

beforeEach(async () => {
  db = await testDb();
  await truncateAll(db);
  const [p] = await db.insert(providers).values({ name: "cloud-e", authUrl: "https://e.example.org:5000/v3" }).returning({ id: providers.id });
  providerId = p.id;
  const u = await makeUser(db, { username: "ada" });
  const [i] = await db.insert(identities).values({ userId: u.id, providerId, projectName: "ada", projectId: "p1" }).returning();
  identityId = i.id;
});

describe("enforcement policy", () => {
  it("validates: sorted unique thresholds, known actions, non-negative grace", () => {
    expect(policySchema.parse({ thresholds: [100, 80, 80], action: "stop", graceHours: "4", enabled: true })).toEqual({ thresholds: [80, 100], action: "stop", graceHours: 4, enabled: true });
    expect(policySchema.safeParse({ thresholds: [], action: "stop", graceHours: 0, enabled: true }).success).toBe(false);
    expect(policySchema.safeParse({ thresholds: [80], action: "delete", graceHours: 0, enabled: true }).success).toBe(false);
    expect(policySchema.safeParse({ thresholds: [80], action: "stop", graceHours: -1, enabled: true }).success).toBe(false);
  });

  it("defaults until saved; staff save is stored and audited; non-staff is refused", async () => {
    expect(await getPolicy(db, providerId)).toEqual(DEFAULT_POLICY);
    const input = { providerId, thresholds: "90, 50 %, 100", action: "shelve", graceHours: 2, enabled: "on" };
    expect(await runAction(await as(), saveEnforcementPolicyDef, input)).toMatchObject({ ok: true, data: { message: expect.stringContaining("enforcement is on") } });
    expect(await getPolicy(db, providerId)).toEqual({ thresholds: [50, 90, 100], action: "shelve", graceHours: 2, enabled: true });
    expect((await listAuditEntries(db, { action: "enforcement.policy_saved" })).rows[0].details).toMatchObject({ after: { action: "shelve" } });
    expect(await runAction(await as(false), saveEnforcementPolicyDef, { ...input, action: "stop" })).toMatchObject({ ok: false });
    expect((await getPolicy(db, providerId)).action).toBe("shelve");
    expect(await runAction(await as(), saveEnforcementPolicyDef, { ...input, providerId: 999999 })).toMatchObject({ ok: false, error: { message: expect.stringContaining("no provider") } });
  });

  it("stores per-account overrides and records events, a threshold notice once per period", async () => {
    expect(await getOverride(db, identityId)).toBe("default");
    await setOverride(db, identityId, "never", null, "teaching course");
    expect(await getOverride(db, identityId)).toBe("never");
    const notice = { providerId, identityId, kind: "notify", threshold: 80, period: "2026-12", percent: 85, message: "80 % of the allocation used" };
    expect(await recordEvent(db, notice)).toBe(true);
    expect(await recordEvent(db, notice)).toBe(false);
    expect(await recordEvent(db, { ...notice, period: "2027-01" })).toBe(true);
    expect(await recordEvent(db, { providerId, identityId, kind: "stop", period: "2026-12", servers: [{ id: "s1", name: "vm" }], message: "1 server stopped" })).toBe(true);
    const events = await listEvents(db, identityId);
    expect(events.map((e) => e.kind).sort()).toEqual(["notify", "notify", "stop"]);
  });

  it("enabling a stop or shelve action needs a sign-in from the last 10 minutes; other saves do not", async () => {
    const stale = await as(true, false);
    const form = { providerId, thresholds: "80,100", graceHours: 0 };
    const r = await runAction(stale, saveEnforcementPolicyDef, { ...form, action: "shelve", enabled: "on" });
    expect(r).toMatchObject({ ok: false, error: { code: "reauth_required", message: expect.stringContaining("Confirm your password") } });
    expect(await getPolicy(db, providerId)).toEqual(DEFAULT_POLICY);
    expect((await listAuditEntries(db, { action: "enforcement.policy_saved" })).total).toBe(0);
    // Off, or an action that touches no server, is saved with an older sign-in.
    expect(await runAction(stale, saveEnforcementPolicyDef, { ...form, action: "shelve", enabled: "" })).toMatchObject({ ok: true });
    expect(await runAction(stale, saveEnforcementPolicyDef, { ...form, action: "zero_cores", enabled: "on" })).toMatchObject({ ok: true });
    // Switching to stop while on needs it; then editing the thresholds of that same policy does not.
    expect(await runAction(stale, saveEnforcementPolicyDef, { ...form, action: "stop", enabled: "on" })).toMatchObject({ ok: false, error: { code: "reauth_required" } });
    expect(await runAction(await as(), saveEnforcementPolicyDef, { ...form, action: "stop", enabled: "on" })).toMatchObject({ ok: true });
    expect(await runAction(stale, saveEnforcementPolicyDef, { ...form, thresholds: "50,100", action: "stop", enabled: "on" })).toMatchObject({ ok: true });
    expect(await getPolicy(db, providerId)).toMatchObject({ thresholds: [50, 100], action: "stop", enabled: true });
  });

  it("refuses an enabled action without the 100 % threshold, and bad values, with what to fix", async () => {
    const r = await runAction(await as(), saveEnforcementPolicyDef, { providerId, thresholds: "80", action: "stop", graceHours: 0, enabled: "on" });
    expect(r).toMatchObject({ ok: false, error: { fieldErrors: { thresholds: ["Add 100 (the action happens at 100 %)."] } } });
    const bad = await runAction(await as(), saveEnforcementPolicyDef, { providerId, thresholds: "eighty", action: "stop", graceHours: "-2", enabled: "" });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.fieldErrors?.graceHours).toEqual(["Grace cannot be negative."]);
      expect(bad.error.fieldErrors?.["thresholds.0"]).toEqual(["Thresholds are whole percents, e.g. 80, 100."]);
      expect(bad.error.message).toMatch(/^Check the form: notify at, item 1 — Thresholds are whole percents/);
    }
    expect(await getPolicy(db, providerId)).toEqual(DEFAULT_POLICY);
  });

  it("schedules a run only while enabled, once per interval (one UPDATE claims it)", async () => {
    await runAction(await as(), saveEnforcementPolicyDef, { providerId, thresholds: "80,100", action: "stop", graceHours: 0, enabled: "", intervalMinutes: "30" });
    expect(await runEnforcementSchedulerTick(db)).toBe(0);
    await runAction(await as(), saveEnforcementPolicyDef, { providerId, thresholds: "80,100", action: "stop", graceHours: 0, enabled: "on", intervalMinutes: "30" });
    const [row] = await db.select().from(enforcementPolicies).where(eq(enforcementPolicies.providerId, providerId));
    expect(row.intervalSeconds).toBe(1800);
    expect(await runEnforcementSchedulerTick(db)).toBe(1);
    expect(await runEnforcementSchedulerTick(db)).toBe(0);
    const queued = await db.select().from(jobs).where(eq(jobs.kind, ENFORCEMENT_RUN_JOB));
    expect(queued.map((j) => [j.providerId, (j.params as { trigger: string }).trigger])).toEqual([[providerId, "schedule"]]);
  });

  it("sets a per-user override (audited) only for a live account on that provider", async () => {
    const [ada] = await db.select().from(identities).where(eq(identities.id, identityId));
    const ok = await runAction(await as(), setEnforcementOverrideDef, { providerId, userId: ada.userId, override: "never", reason: "course" });
    expect(ok).toMatchObject({ ok: true, data: { message: expect.stringContaining("is never enforced") } });
    expect(await getOverride(db, identityId)).toBe("never");
    expect((await listAuditEntries(db, { action: "enforcement.override" })).rows[0].details).toMatchObject({ before: "default", after: "never", reason: "course" });
    expect(await runAction(await as(), setEnforcementOverrideDef, { providerId: providerId + 1, userId: ada.userId, override: "always" })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    expect(await runAction(await as(), setEnforcementOverrideDef, { providerId, userId: ada.userId, override: "sometimes" })).toMatchObject({ ok: false, error: { code: "invalid_input" } });
  });

  it("marks notifications read", async () => {
    await db.insert(notifications).values([
      { providerId, kind: "enforcement.notice", subject: "a", body: "a" },
      { providerId, kind: "enforcement.stop", subject: "b", body: "b" },
    ]);
    expect(await runAction(await as(), markNotificationsReadDef, { all: "true" })).toMatchObject({ ok: true, data: { message: "2 notifications marked as read." } });
    expect((await db.select().from(notifications)).every((n) => n.readAt)).toBe(true);
    expect(await runAction(await as(), markNotificationsReadDef, {})).toMatchObject({ ok: false, error: { code: "invalid_input" } });
  });

  it("drift expects cores 0 for an account enforced with zero_cores, the tier's cores otherwise", async () => {
    const before = (await driftAccounts(db, providerId)).find((a) => a.identityId === identityId)!;
    expect(before.desiredQuota?.cores).toBeGreaterThan(0);
    await db.insert(enforcementStates).values({ identityId, providerId, action: "zero_cores", enforcedAt: new Date(), coresBefore: 10, period: "p" });
    const during = (await driftAccounts(db, providerId)).find((a) => a.identityId === identityId)!;
    expect(during.desiredQuota).toEqual({ ...before.desiredQuota, cores: 0 });
    await db.update(enforcementStates).set({ action: "stop" }).where(eq(enforcementStates.identityId, identityId));
    expect((await driftAccounts(db, providerId)).find((a) => a.identityId === identityId)!.desiredQuota?.cores).toBe(before.desiredQuota?.cores);
  });
});

describe("the schedule while enforcement is off", () => {
  const dueNow = () => db.update(enforcementPolicies).set({ nextRunAt: new Date(Date.now() - 1000) });
  const off = { thresholds: [80, 100], action: "zero_cores" as const, graceHours: 0, enabled: false };

  it("queues a run for a provider with a live 'always' account or an account still held, and for nothing else", async () => {
    await savePolicy(db, providerId, off, null);
    expect(await runEnforcementSchedulerTick(db)).toBe(0);
    await setOverride(db, identityId, "always", null);
    await dueNow();
    expect(await runEnforcementSchedulerTick(db)).toBe(1);
    // Once per interval.
    expect(await runEnforcementSchedulerTick(db)).toBe(0);
    // A removed account's override does not count.
    await db.update(identities).set({ endDate: new Date() }).where(eq(identities.id, identityId));
    await dueNow();
    expect(await runEnforcementSchedulerTick(db)).toBe(0);
    // An account still held does (its cores come back at the next run).
    await db.insert(enforcementStates).values({ identityId, providerId, action: "zero_cores", enforcedAt: new Date(), coresBefore: 10 });
    expect(await runEnforcementSchedulerTick(db)).toBe(1);
    expect((await db.select().from(jobs).where(eq(jobs.kind, ENFORCEMENT_RUN_JOB))).map((j) => (j.params as { trigger: string }).trigger)).toEqual(["schedule"]);
  });

  it("a scheduled run while off enforces the 'always' account, gives a held one its cores back and leaves the others alone", async () => {
    const pid = await insertProvider(db, "cloud-f", { countingBehavior: "Count all time", refreshBehaviors: ["No Refresh"], rulesBehaviors: ["Multiply by Size CPU"], threshold: 1 });
    const day = 86_400_000;
    const now = new Date();
    const busy = (username: string) => ({
      username,
      joinedAt: new Date(now.getTime() - 30 * day),
      instances: [[{ status: "ACTIVE", vcpus: 4, ramMb: 4096, diskGb: 20, start: new Date(now.getTime() - 10 * day), end: null }]],
    });
    await insertUsers(db, pid, [busy("held"), busy("always"), busy("plain")]);
    const accounts = await db.select({ id: identities.id, name: identities.projectName }).from(identities).where(eq(identities.providerId, pid));
    const idOf = (n: string) => accounts.find((a) => a.name === n)!.id;
    for (const a of accounts) await db.update(identities).set({ projectId: `p-${a.name}` }).where(eq(identities.id, a.id));
    await savePolicy(db, pid, off, null);
    await setOverride(db, idOf("always"), "always", null);
    await db.insert(enforcementStates).values({ identityId: idOf("held"), providerId: pid, action: "zero_cores", enforcedAt: new Date(now.getTime() - day), coresBefore: 7, period: "x" });
    const cloud = fakeQuotaCloud({ projects: { "p-held": { limits: { cores: 0 } }, "p-always": { limits: { cores: 10 } }, "p-plain": { limits: { cores: 10 } } } });
    const mailer = { enabled: false, send: async () => ({ sent: false as const, error: "off" }) };
    const summary = await runEnforcement(db, cloud.client, pid, { mailer, providerName: "cloud-f", scheduled: true, now });
    expect(summary).toMatchObject({ enforced: 1, restored: 1, failed: 0 });
    expect(Object.keys(summary.outcomes).sort()).toEqual(["always", "held"]);
    const medium = SEED_TIERS.find((t) => t.isDefault)!.values;
    expect(cloud.limits.get("p-always")?.cores).toBe(0);
    expect(cloud.limits.get("p-held")?.cores).toBe(medium.cores);
    expect(cloud.limits.get("p-plain")?.cores).toBe(10);
    expect(await listEvents(db, idOf("plain"))).toEqual([]);
    const [restore] = (await listEvents(db, idOf("held"))).filter((e) => e.kind === "restore");
    expect(restore.message).toContain("the provider's enforcement is off");
    expect(await db.select().from(enforcementStates).where(eq(enforcementStates.identityId, idOf("held")))).toEqual([]);
    expect((await listAuditEntries(db, { action: "enforcement.restore" })).rows[0]).toMatchObject({ targetId: String(idOf("held")) });
  });
});
