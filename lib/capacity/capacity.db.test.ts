import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { insertProvider, insertUsers } from "@/lib/allocation/fixtures";
import { capacitySnapshots, identities, importSchedules, jobs } from "@/lib/db/schema";
import { claimDueSchedules, ensureDefaultSchedules } from "@/lib/imports/schedules";
import { createClient, type OpenStackClient } from "@/lib/openstack";
import { FakeCloud } from "@/lib/openstack/testing/fake-cloud";
import { testDb, truncateAll } from "@/test/db";
import { allocationWatch } from "./allocation-watch";
import { insertSnapshot, latestAttempt, latestSnapshot, pruneSnapshots, snapshotTrend } from "./queries";
import { accountProjectIds } from "./quota";
import { CAPACITY_SNAPSHOT_JOB, claimDueCapacity, ensureCapacitySchedules, getCapacitySchedule, runCapacitySchedulerTick } from "./schedule";
import { takeSnapshot } from "./service";

const RP = "11111111-2222-3333-4444-555555555555";
const STRATEGY = {
  countingBehavior: "1 Month - Calendar Window",
  refreshBehaviors: ["First of the Month"],
  rulesBehaviors: [] as string[],
  threshold: 100,
};

describe("capacity", async () => {
  const db = await testDb();
  let providerId: number;
  beforeEach(async () => {
    await truncateAll(db);
    providerId = await insertProvider(db, "cap", STRATEGY);
  });

  describe("schedule", () => {
    it("one 15-minute capacity row per provider, claimed by exactly one of several instances", async () => {
      const second = await insertProvider(db, "cap2");
      await Promise.all([ensureCapacitySchedules(db), ensureCapacitySchedules(db)]);
      expect((await getCapacitySchedule(db, providerId))?.intervalSeconds).toBe(900);
      const claims = (await Promise.all(Array.from({ length: 8 }, () => claimDueCapacity(db)))).flat();
      expect(claims.map((c) => c.providerId).sort()).toEqual([providerId, second].sort());
      expect(await claimDueCapacity(db)).toEqual([]);
    });

    it("imports and capacity never claim each other's rows", async () => {
      await ensureDefaultSchedules(db);
      await ensureCapacitySchedules(db);
      const imports = await claimDueSchedules(db);
      expect(imports.map((c) => c.resource).sort()).toEqual(["instances", "machines", "members", "sizes", "volumes"]);
      const capacity = await claimDueCapacity(db);
      expect(capacity).toHaveLength(1);
    });

    it("the tick queues one snapshot job per due provider and never a second live one", async () => {
      const first = await runCapacitySchedulerTick(db);
      expect(first).toHaveLength(1);
      await db.update(importSchedules).set({ nextRunAt: new Date(Date.now() - 1000) }).where(eq(importSchedules.resource, "capacity"));
      const again = await runCapacitySchedulerTick(db);
      expect(again[0]).toMatchObject({ jobId: first[0].jobId, created: false });
      const queued = await db.select().from(jobs).where(eq(jobs.kind, CAPACITY_SNAPSHOT_JOB));
      expect(queued).toHaveLength(1);
      expect(queued[0]).toMatchObject({ providerId, maxAttempts: 1, params: { trigger: "schedule" } });
    });
  });

  describe("snapshot", () => {
    let fake: FakeCloud;
    let client: OpenStackClient;
    beforeEach(async () => {
      fake = await FakeCloud.start();
      client = await createClient(fake.clientOptions());
      fake.on("GET", "/placement/resource_providers", { json: { resource_providers: [{ uuid: RP, name: "compute-1", generation: 3 }] } });
      fake.on("GET", `/placement/resource_providers/${RP}/inventories`, {
        json: {
          resource_provider_generation: 3,
          inventories: {
            VCPU: { total: 8, reserved: 0, min_unit: 1, max_unit: 8, step_size: 1, allocation_ratio: 4 },
            MEMORY_MB: { total: 16384, reserved: 512, min_unit: 1, max_unit: 16384, step_size: 1, allocation_ratio: 1 },
          },
        },
      });
      fake.on("GET", `/placement/resource_providers/${RP}/usages`, { json: { resource_provider_generation: 3, usages: { VCPU: 6, MEMORY_MB: 4096 } } });
      fake.on("GET", `/placement/resource_providers/${RP}/aggregates`, { json: { aggregates: ["agg-b", "agg-a"], resource_provider_generation: 3 } });
      fake.on("GET", `/placement/resource_providers/${RP}/traits`, { json: { traits: ["COMPUTE_NODE"], resource_provider_generation: 3 } });
      fake.on("GET", /^\/compute\/v2\.1\/os-quota-sets\/proj-1$/, { json: { quota_set: { cores: 20, ram: 51200 } } });
      fake.on("GET", /^\/compute\/v2\.1\/os-quota-sets\/proj-2$/, { json: { quota_set: { cores: -1, ram: 10240 } } });
      fake.on("GET", /^\/compute\/v2\.1\/os-quota-sets\/proj-3$/, { status: 404, json: { itemNotFound: { code: 404, message: "gone" } } });
    });
    afterEach(async () => {
      await client.close();
      await fake.close();
    });

    it("stores hosts, totals, the account projects' quota and the allocation watch", async () => {
      const ids = await insertUsers(db, providerId, [
        { username: "heavy", joinedAt: new Date("2024-01-01T00:00:00Z"), instances: [] },
        { username: "light", joinedAt: new Date("2024-01-01T00:00:00Z"), instances: [] },
        { username: "gone", joinedAt: new Date("2024-01-01T00:00:00Z"), instances: [], removed: true },
      ]);
      const projects = ["proj-1", "proj-2", "proj-3"];
      for (const [k, id] of ids.entries()) await db.update(identities).set({ projectId: projects[k] }).where(eq(identities.userId, id));
      expect(await accountProjectIds(db, providerId)).toEqual(["proj-1", "proj-2"]);
      await db.update(identities).set({ endDate: null }).where(eq(identities.projectId, "proj-3"));

      const snap = await takeSnapshot(db, client, providerId);
      expect(snap.error).toBeNull();
      expect(snap.hosts).toEqual([
        {
          uuid: RP,
          name: "compute-1",
          inventories: {
            VCPU: { total: 8, reserved: 0, minUnit: 1, maxUnit: 8, stepSize: 1, allocationRatio: 4 },
            MEMORY_MB: { total: 16384, reserved: 512, minUnit: 1, maxUnit: 16384, stepSize: 1, allocationRatio: 1 },
          },
          usages: { VCPU: 6, MEMORY_MB: 4096 },
          aggregates: ["agg-a", "agg-b"],
          traits: ["COMPUTE_NODE"],
        },
      ]);
      expect(snap.totals.map((t) => [t.resourceClass, t.usable, t.used, t.free])).toEqual([
        ["VCPU", 32, 6, 26],
        ["MEMORY_MB", 15872, 4096, 11776],
      ]);
      expect(snap.quota).toMatchObject({
        source: "nova-quota-sets",
        projects: 3,
        read: 2,
        failed: 1,
        granted: [
          { resourceClass: "VCPU", granted: 20, unlimited: 1 },
          { resourceClass: "MEMORY_MB", granted: 61440, unlimited: 0 },
        ],
      });
      expect(snap.quota?.errors[0]).toMatch(/^proj-3: /);
      expect(snap.allocation).toMatchObject({ over80: 0, over100: 0, checked: 3 });
      expect((await latestSnapshot(db, providerId))?.id).toBe(snap.id);
    });

    it("a cloud that cannot be read leaves an error row, and the latest good snapshot stays the one shown", async () => {
      const good = await takeSnapshot(db, client, providerId);
      fake.on("GET", "/placement/resource_providers", { status: 503, json: { errors: [{ status: 503, title: "down" }] } });
      await expect(takeSnapshot(db, client, providerId)).rejects.toThrow();
      const attempt = await latestAttempt(db, providerId);
      expect(attempt?.error).toMatch(/503|Placement/);
      expect(attempt?.allocation).not.toBeNull();
      expect((await latestSnapshot(db, providerId))?.id).toBe(good.id);
      expect((await snapshotTrend(db, providerId, new Date(0))).length).toBe(1);
      expect(await db.select().from(capacitySnapshots)).toHaveLength(2);
    });
  });

  it("allocation watch: users at or over 80 % and 100 % of their credit, heaviest first", async () => {
    const now = new Date("2026-11-20T00:00:00Z");
    const monthStart = new Date("2026-11-01T00:00:00Z");
    // Instance-hours since the month began: 100 credits each (one override of 1000).
    const seg = (hours: number) => [[{ status: "ACTIVE", vcpus: 1, ramMb: 1024, diskGb: 1, start: monthStart, end: new Date(monthStart.getTime() + hours * 3_600_000) }]];
    await insertUsers(db, providerId, [
      { username: "over", joinedAt: new Date("2024-01-01T00:00:00Z"), instances: seg(130) },
      { username: "near", joinedAt: new Date("2024-01-01T00:00:00Z"), instances: seg(85) },
      { username: "fine", joinedAt: new Date("2024-01-01T00:00:00Z"), instances: seg(10) },
      { username: "big", joinedAt: new Date("2024-01-01T00:00:00Z"), instances: seg(120), override: 1000 },
    ]);
    const w = await allocationWatch(db, providerId, now);
    expect(w).toMatchObject({ over80: 2, over100: 1, checked: 4 });
    expect(w?.top.map((t) => [t.username, t.percent])).toEqual([
      ["over", 130],
      ["near", 85],
    ]);
    expect(await allocationWatch(db, await insertProvider(db, "none"))).toBeNull();
  });

  describe("retention", () => {
    const now = new Date("2026-11-20T12:00:00Z");
    const at = (daysAgo: number, time: string) => new Date(`${new Date(now.getTime() - daysAgo * 86_400_000).toISOString().slice(0, 10)}T${time}:00Z`);
    const snap = (pid: number, takenAt: Date, error: string | null = null) =>
      insertSnapshot(db, pid, { hosts: [{ uuid: RP }] as never, totals: [], quota: null, allocation: null, error }, { takenAt });
    const takenOf = async (pid: number) =>
      (await db.select({ t: capacitySnapshots.takenAt }).from(capacitySnapshots).where(eq(capacitySnapshots.providerId, pid)))
        .map((r) => r.t.toISOString())
        .sort();

    it("keeps every snapshot of the last 35 days, then the last good one of each UTC day; never the latest", async () => {
      const other = await insertProvider(db, "cap-other");
      for (const t of ["00:00", "08:15", "23:45"]) await snap(providerId, at(40, t));
      await snap(providerId, at(40, "23:50"), "Placement said 503"); // a failed attempt after the day's last good one
      await snap(providerId, at(38, "10:00"), "Placement said 503"); // a day with only failures
      for (const t of ["00:00", "12:00", "23:45"]) await snap(providerId, at(10, t));
      await snap(providerId, at(0, "11:45"));
      await snap(other, at(40, "01:00"));
      await snap(other, at(40, "02:00"));

      const retention = { fullDays: 35, retentionDays: 0 };
      expect(await pruneSnapshots(db, providerId, now, retention)).toBe(4);
      expect(await takenOf(providerId)).toEqual(
        [at(40, "23:45"), at(10, "00:00"), at(10, "12:00"), at(10, "23:45"), at(0, "11:45")].map((d) => d.toISOString()),
      );
      // Another provider's rows are its own job's business; a second run deletes nothing.
      expect(await takenOf(other)).toHaveLength(2);
      expect(await pruneSnapshots(db, providerId, now, retention)).toBe(0);

      // With a retention of 30 days even the daily one older than that goes.
      expect(await pruneSnapshots(db, providerId, now, { fullDays: 35, retentionDays: 30 })).toBe(1);
      expect(await takenOf(providerId)).toHaveLength(4);
    });

    it("a cloud down for months keeps its last good snapshot and its last attempt", async () => {
      const good = await snap(providerId, at(90, "10:00"));
      await snap(providerId, at(80, "10:00"), "down");
      const failed = await snap(providerId, at(50, "10:00"), "down");
      expect(await pruneSnapshots(db, providerId, now, { fullDays: 35, retentionDays: 40 })).toBe(1);
      expect((await latestSnapshot(db, providerId))?.id).toBe(good.id);
      expect((await latestAttempt(db, providerId))?.id).toBe(failed.id);
    });
  });
});

