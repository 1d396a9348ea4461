import { beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { SessionUser } from "@/lib/auth/dal";
import { runAction } from "@/lib/actions/safe-action";
import type { Db } from "@/lib/db/client";
import { listAuditEntries } from "@/lib/db/queries/audit";
import { driftFindings, driftSettings, identities, jobs, providers } from "@/lib/db/schema";
import { makeUser, testDb, truncateAll } from "@/test/db";
import { driftBulkDef, driftRowDef } from "./actions";
import { storeFindings } from "./check";
import { DRIFT_APPLY_JOB, DRIFT_CHECK_JOB, runDriftSchedulerTick } from "./jobs";

let db: Db;
let providerId: number;
let identityId: number;

async function as() {
  const user = await makeUser(db, { username: `op${Math.random().toString(36).slice(2, 6)}`, isStaff: true });
  return { getUser: async () => user as SessionUser, getDb: async () => db, getIp: async () => "10.0.0.9" };
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

  it("the schedule queues a check per provider once per interval", async () => {
    expect(await runDriftSchedulerTick(db)).toBe(1);
    expect(await runDriftSchedulerTick(db)).toBe(0);
    const [s] = await db.select().from(driftSettings);
    expect(s.nextRunAt.getTime()).toBeGreaterThan(Date.now() + 3_500_000);
    expect((await db.select().from(jobs).where(eq(jobs.kind, DRIFT_CHECK_JOB))).length).toBe(1);
  });
});
