import { eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { importSchedules, jobs, providers } from "@/lib/db/schema";
import { finishJob } from "@/lib/jobs/queue";
import { makeUser, testDb, truncateAll } from "@/test/db";
import { enqueueImports, importStatus, listImportRuns } from "./runs";
import { claimDueSchedules, ensureDefaultSchedules, intervalProblem, listSchedules, pruneImportRuns, runSchedulerTick, updateSchedule } from "./schedules";

describe("import schedules", async () => {
  const db = await testDb();
  let providerId: number;
  beforeEach(async () => {
    await truncateAll(db);
    [{ id: providerId }] = await db.insert(providers).values({ name: "lab", authUrl: "http://keystone.test/v3" }).returning({ id: providers.id });
  });

  it("creates Atmosphere's default intervals once per provider", async () => {
    await ensureDefaultSchedules(db);
    await ensureDefaultSchedules(db);
    await Promise.all([ensureDefaultSchedules(db, providerId), ensureDefaultSchedules(db, providerId)]);
    const rows = await listSchedules(db, providerId);
    expect(rows.map((r) => [r.resource, r.intervalSeconds, r.enabled])).toEqual([
      ["sizes", 1800, true],
      ["machines", 86400, true],
      ["members", 3600, true],
      ["instances", 900, true],
      ["volumes", 1800, true],
    ]);
  });

  it("gives each due schedule to exactly one of several ticking instances", async () => {
    const [{ id: second }] = await db.insert(providers).values({ name: "two", authUrl: "http://two.test/v3" }).returning({ id: providers.id });
    await ensureDefaultSchedules(db);
    // Ten app instances claim at the same moment.
    const claims = (await Promise.all(Array.from({ length: 10 }, () => claimDueSchedules(db)))).flat();
    expect(claims).toHaveLength(10);
    expect(new Set(claims.map((c) => c.scheduleId)).size).toBe(10);
    expect(new Set(claims.map((c) => c.providerId))).toEqual(new Set([providerId, second]));
    // Claimed schedules moved one interval on; nothing is due now.
    expect(await claimDueSchedules(db)).toEqual([]);
    const [next] = await db
      .select({ inSeconds: sql<number>`extract(epoch from ${importSchedules.nextRunAt} - now())::int` })
      .from(importSchedules)
      .where(eq(importSchedules.resource, "instances"))
      .limit(1);
    expect(next.inSeconds).toBeGreaterThan(880);
    expect(next.inSeconds).toBeLessThanOrEqual(900);
  });

  it("skips inactive providers and disabled schedules", async () => {
    await ensureDefaultSchedules(db);
    await db.update(providers).set({ isActive: false }).where(eq(providers.id, providerId));
    expect(await claimDueSchedules(db)).toEqual([]);
    await db.update(providers).set({ isActive: true }).where(eq(providers.id, providerId));
    await db.update(importSchedules).set({ enabled: false }).where(eq(importSchedules.resource, "machines"));
    expect((await claimDueSchedules(db)).map((c) => c.resource).sort()).toEqual(["instances", "members", "sizes", "volumes"]);
  });

  it("enqueues scheduled imports with the dedupe key, never twice while one is live", async () => {
    const first = await runSchedulerTick(db);
    expect(first.map((d) => [d.resource, d.created])).toEqual([
      ["sizes", true],
      ["machines", true],
      ["members", true],
      ["instances", true],
      ["volumes", true],
    ]);
    const queued = await db.select().from(jobs);
    expect(queued.map((j) => j.dedupeKey).sort()).toEqual(
      ["instances", "machines", "members", "sizes", "volumes"].map((r) => `import:${r}:${providerId}`),
    );
    expect(queued.every((j) => (j.params as { trigger: string }).trigger === "schedule" && j.createdBy === null)).toBe(true);

    // Due again while the first run is still queued: the live job is reused.
    await db.update(importSchedules).set({ nextRunAt: new Date(Date.now() - 1000) }).where(eq(importSchedules.resource, "sizes"));
    const again = await runSchedulerTick(db);
    expect(again).toEqual([expect.objectContaining({ resource: "sizes", created: false, jobId: first[0].jobId })]);
    expect(await db.$count(jobs)).toBe(5);
  });

  it("counts a run a person started as the scheduled one: the scheduler does not repeat it", async () => {
    await ensureDefaultSchedules(db, providerId);
    // A far-off next run is never brought forward.
    await db.update(importSchedules).set({ nextRunAt: sql`now() + interval '2 days'` }).where(eq(importSchedules.resource, "machines"));
    await enqueueImports(db, { providerId, resources: ["sizes", "machines", "members"], userId: null });
    const rows = await db
      .select({ resource: importSchedules.resource, inSeconds: sql<number>`extract(epoch from ${importSchedules.nextRunAt} - now())::int` })
      .from(importSchedules)
      .where(eq(importSchedules.providerId, providerId));
    const inSeconds = Object.fromEntries(rows.map((r) => [r.resource, r.inSeconds]));
    expect(inSeconds.sizes).toBeGreaterThan(1780);
    expect(inSeconds.members).toBeGreaterThan(3580);
    expect(inSeconds.machines).toBeGreaterThan(2 * 86400 - 30);
    // Only the resources nobody started are due.
    expect((await runSchedulerTick(db)).map((d) => d.resource)).toEqual(["instances", "volumes"]);
  });

  it("prunes finished runs past the retention, keeping the newest success of each resource and anything live", async () => {
    const day = 86_400_000;
    const now = new Date("2026-06-01T00:00:00Z");
    const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * day);
    const [other] = await db.insert(providers).values({ name: "other", authUrl: "http://keystone.test/v3" }).returning({ id: providers.id });
    const job = (kind: string, state: "succeeded" | "failed" | "queued", daysAgo: number, provider = providerId) => ({
      kind,
      providerId: provider,
      state,
      createdAt: at(daysAgo),
      finishedAt: state === "queued" ? null : at(daysAgo),
    });
    const rows = await db
      .insert(jobs)
      .values([
        job("import.sizes", "succeeded", 200), // old, a newer success exists: pruned
        job("import.sizes", "failed", 150), // old failure: pruned
        job("import.sizes", "succeeded", 100), // old, a newer success exists: pruned
        job("import.sizes", "succeeded", 10), // recent: kept
        job("import.machines", "succeeded", 300), // old, but the newest success of images: kept
        job("import.machines", "failed", 200), // pruned
        job("import.machines", "queued", 120), // live: kept
        job("import.sizes", "succeeded", 400, other.id), // the other provider's only success: kept
        job("accounts.provision", "succeeded", 400), // not an import: kept
      ])
      .returning({ id: jobs.id });
    expect(await pruneImportRuns(db, { now })).toBe(4);
    const left = new Set((await db.select({ id: jobs.id }).from(jobs)).map((r) => r.id));
    expect(rows.map((r) => left.has(r.id))).toEqual([false, false, false, true, true, false, true, true, true]);
    expect(await pruneImportRuns(db, { now })).toBe(0);
  });

  it("validates and applies a new interval, moving the next run", async () => {
    expect(intervalProblem(299)).toMatch(/5 minutes/);
    expect(intervalProblem(7 * 86400 + 1)).toMatch(/7 days/);
    expect(intervalProblem(300)).toBeNull();
    await expect(updateSchedule(db, providerId, "instances", { intervalSeconds: 60, enabled: true })).rejects.toThrow(/5 minutes/);
    const before = Date.now();
    const row = await updateSchedule(db, providerId, "instances", { intervalSeconds: 3600, enabled: false });
    expect(row).toMatchObject({ intervalSeconds: 3600, enabled: false, resource: "instances" });
    expect(row.nextRunAt.getTime()).toBeGreaterThanOrEqual(before + 3600_000 - 5000);
  });
});

describe("import runs", async () => {
  const db = await testDb();
  let providerId: number;
  beforeEach(async () => {
    await truncateAll(db);
    [{ id: providerId }] = await db.insert(providers).values({ name: "lab", authUrl: "http://keystone.test/v3" }).returning({ id: providers.id });
  });

  it("queues sizes, images and instances in that order, once each, and lists them with who and what", async () => {
    const user = await makeUser(db, { username: "op", isStaff: true });
    const queued = await enqueueImports(db, { providerId, resources: ["instances", "machines", "sizes"], userId: user.id });
    expect(queued.map((q) => [q.resource, q.created])).toEqual([
      ["sizes", true],
      ["machines", true],
      ["instances", true],
    ]);
    const twice = await enqueueImports(db, { providerId, resources: ["sizes"], userId: user.id });
    expect(twice).toEqual([{ resource: "sizes", jobId: queued[0].jobId, created: false }]);

    await finishJob(db, queued[0].jobId, { state: "succeeded", result: { counts: { added: 5 } } });
    await db.update(jobs).set({ counts: { added: 5, listed: 5 } }).where(eq(jobs.id, queued[0].jobId));
    await finishJob(db, queued[1].jobId, { state: "failed", error: "Glance said 503" });

    const { rows, total } = await listImportRuns(db, { providerId });
    expect(total).toBe(3);
    expect(rows.find((r) => r.resource === "sizes")).toMatchObject({ state: "succeeded", createdBy: "op", trigger: "manual", counts: { added: 5 } });
    expect((await listImportRuns(db, { providerId, resource: "machines" })).rows).toMatchObject([{ state: "failed", error: "Glance said 503" }]);

    const status = await importStatus(db, providerId);
    expect(status.map((s) => [s.resource, s.live?.state ?? null, s.last?.state ?? null, s.lastSuccess?.state ?? null])).toEqual([
      ["sizes", null, "succeeded", "succeeded"],
      ["machines", null, "failed", null],
      ["members", null, null, null],
      ["instances", "queued", null, null],
      ["volumes", null, null, null],
    ]);
  });
});
