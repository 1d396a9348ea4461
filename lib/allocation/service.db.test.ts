import { beforeEach, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/dal";
import { runAction } from "@/lib/actions/safe-action";
import { listAuditEntries } from "@/lib/db/queries/audit";
import { identities } from "@/lib/db/schema";
import { computeAllocation, describeStrategy, type AllocationStrategy, type UsageSegment } from "@/lib/domain/allocation";
import { makeUser, testDb, truncateAll } from "@/test/db";
import { eq } from "drizzle-orm";
import { saveStrategyDef, setOverrideDef, previewStrategyDef } from "./actions";
import { insertProvider, insertUsers, syntheticUsers, type FixtureUser } from "./fixtures";
import { getStrategy, listProviderStrategies, loadSegments, rankUsersByUsage } from "./queries";
import { getUsagePage, getUserUsage, previewStrategyChange } from "./service";

// Outside a Next request there is no cache to revalidate.
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

const d = (iso: string) => new Date(`${iso}Z`);
const NOW = d("2024-03-15T12:00");
const SEED: AllocationStrategy = {
  countingBehavior: "1 Month - Calendar Window",
  refreshBehaviors: ["First of the Month"],
  rulesBehaviors: ["Ignore non-active status", "Multiply by Size CPU"],
  threshold: 168,
};

function seg(status: string, vcpus: number, start: string, end: string | null, ramMb = 2048, diskGb = 20): UsageSegment {
  return { status, vcpus, ramMb, diskGb, start: d(start), end: end ? d(end) : null };
}

/** Seven users with known usage under SEED at NOW (CPU-hours in the comments). */
const PEOPLE: FixtureUser[] = [
  // 2 vCPU ACTIVE since Mar 10 → 132 h × 2 = 264; flipped SHUTOFF earlier (0).
  {
    username: "alice",
    joinedAt: d("2023-01-31T10:00"),
    instances: [[seg("SHUTOFF", 2, "2024-03-01T00:00", "2024-03-10T00:00"), seg("ACTIVE", 2, "2024-03-10T00:00", null)]],
  },
  // Straddles the window start: Feb 28 → Mar 2 at 4 vCPU = 24 h × 4 = 96 inside March.
  { username: "bob", joinedAt: d("2022-06-15T00:00"), instances: [[seg("ACTIVE", 4, "2024-02-28T00:00", "2024-03-02T00:00")]] },
  // Resize: 1 vCPU Mar 1–Mar 5 (96), 8 vCPU Mar 5 → Mar 6 (192), then SHUTOFF open.
  {
    username: "carol",
    joinedAt: d("2024-02-29T12:00"),
    instances: [
      [
        seg("ACTIVE", 1, "2024-03-01T00:00", "2024-03-05T00:00"),
        seg("ACTIVE", 8, "2024-03-05T00:00", "2024-03-06T00:00"),
        seg("SHUTOFF", 8, "2024-03-06T00:00", null),
      ],
    ],
    override: 500,
  },
  // Two instances: 10 h × 1 + 10 h × 3 = 40.
  {
    username: "dave",
    joinedAt: d("2024-03-10T00:00"),
    instances: [[seg("ACTIVE", 1, "2024-03-12T00:00", "2024-03-12T10:00")], [seg("active", 3, "2024-03-13T00:00", "2024-03-13T10:00")]],
  },
  // Only February: 0 in March (but counts for all-time).
  { username: "erin", joinedAt: d("2023-11-30T00:00"), instances: [[seg("ACTIVE", 2, "2024-02-01T00:00", "2024-02-11T00:00")]] },
  // Account removed, usage still counts: 5 h × 2 = 10.
  { username: "frank", joinedAt: d("2021-01-01T00:00"), instances: [[seg("ACTIVE", 2, "2024-03-03T00:00", "2024-03-03T05:00")]], removed: true },
  // Nothing at all.
  { username: "grace", joinedAt: d("2024-01-01T00:00"), instances: [] },
];
const EXPECTED_SEED: Record<string, number> = { alice: 264, bob: 96, carol: 288, dave: 40, erin: 0, frank: 10, grace: 0 };

const VARIANTS: AllocationStrategy[] = [
  SEED,
  { ...SEED, rulesBehaviors: [] },
  { ...SEED, rulesBehaviors: ["Ignore non-active status", "Multiply by Size RAM", "Multiply by Size Disk"] },
  { ...SEED, countingBehavior: "1 Month - Calendar Window - Anniversary", refreshBehaviors: ["Anniversary Date"] },
  { ...SEED, countingBehavior: "Count all time", refreshBehaviors: ["No Refresh"], rulesBehaviors: ["Multiply by Size CPU"] },
];

describe("allocation usage and strategy", async () => {
  const db = await testDb();
  let providerId: number;
  let otherProviderId: number;
  let ids: Record<string, number>;

  beforeEach(async () => {
    await truncateAll(db);
    providerId = await insertProvider(db, "cloud-a", SEED);
    otherProviderId = await insertProvider(db, "cloud-b");
    const made = await insertUsers(db, providerId, PEOPLE);
    ids = Object.fromEntries(PEOPLE.map((p, i) => [p.username, made[i]]));
    // A stranger on another provider, and an instance of alice's on that provider: neither counts here.
    await insertUsers(db, otherProviderId, [
      { username: "stranger", joinedAt: d("2020-01-01T00:00"), instances: [[seg("ACTIVE", 64, "2024-03-01T00:00", null)]] },
    ]);
  });

  it("SQL usage equals the engine's for every user and strategy variant", async () => {
    for (const strategy of VARIANTS) {
      const ranked = await rankUsersByUsage(db, { providerId, strategy, now: NOW, limit: 100 });
      expect(ranked.map((r) => r.username).sort()).toEqual(PEOPLE.map((p) => p.username).sort());
      const segments = await loadSegments(db, providerId, ranked.map((r) => r.userId), new Date(0), NOW);
      for (const r of ranked) {
        const mine = segments.filter((s) => s.userId === r.userId);
        const engine = computeAllocation({ strategy, joinedAt: r.joinedAt, segments: mine, now: NOW });
        expect(r.usage, `${r.username} under ${JSON.stringify(strategy)}`).toBeCloseTo(engine.usage, 6);
      }
      // Sorted heaviest first.
      for (let i = 1; i < ranked.length; i++) expect(ranked[i - 1].usage).toBeGreaterThanOrEqual(ranked[i].usage);
    }
  });

  it("known usage under the seed strategy, credits, remaining, override, removed accounts", async () => {
    const { rows, total } = await getUsagePage(db, providerId, SEED, { now: NOW, pageSize: 50 });
    expect(total).toBe(7);
    const by = Object.fromEntries(rows.map((r) => [r.username, r]));
    for (const [name, usage] of Object.entries(EXPECTED_SEED)) expect(by[name].result.usage, name).toBeCloseTo(usage, 9);
    expect(rows.map((r) => r.username)).toEqual(["carol", "alice", "bob", "dave", "frank", "erin", "grace"]);
    expect(by.alice.result).toMatchObject({ credits: 168, remaining: 168 - 264, exhausted: true, burnRatePerHour: 2 });
    expect(by.carol.result).toMatchObject({ credits: 500, remaining: 212, burnRatePerHour: 0, runsOutAt: null });
    expect(by.bob.result.remaining).toBe(72);
    expect(by.frank.live).toBe(false);
    expect(by.alice.live).toBe(true);
  });

  it("pages, sorts by name and searches on the server", async () => {
    const p1 = await getUsagePage(db, providerId, SEED, { now: NOW, pageSize: 3 });
    const p3 = await getUsagePage(db, providerId, SEED, { now: NOW, pageSize: 3, page: 3 });
    expect(p1.rows.map((r) => r.username)).toEqual(["carol", "alice", "bob"]);
    expect(p3.rows.map((r) => r.username)).toEqual(["grace"]);
    const byName = await getUsagePage(db, providerId, SEED, { now: NOW, pageSize: 2, sort: "username" });
    expect(byName.rows.map((r) => r.username)).toEqual(["alice", "bob"]);
    const found = await getUsagePage(db, providerId, SEED, { now: NOW, search: "AR" });
    expect(found.rows.map((r) => r.username)).toEqual(["carol"]);
    expect(found.total).toBe(1);
    const none = await getUsagePage(db, providerId, SEED, { now: NOW, search: "%" });
    expect(none.total).toBe(0);
  });

  it("a user's usage: series for the chart, instances, burn rate", async () => {
    const detail = await getUserUsage(db, providerId, ids.alice, NOW);
    expect(detail).toBeDefined();
    expect(detail!.result.usage).toBe(264);
    expect(detail!.series[0].usage).toBe(0);
    expect(detail!.series.at(-1)!.usage).toBeCloseTo(264, 9);
    expect(detail!.instances).toHaveLength(1);
    expect(detail!.instances[0].name).toBe("alice-vm0");
    expect(await getUserUsage(db, providerId, 999_999, NOW)).toBeUndefined();
  });

  it("previews the five heaviest users this period, before → after", async () => {
    const proposed: AllocationStrategy = { ...SEED, rulesBehaviors: ["Ignore non-active status"] };
    const preview = await previewStrategyChange(db, providerId, proposed, NOW);
    expect(preview.rankedBy).toBe("saved");
    expect(preview.rows.map((r) => r.username)).toEqual(["carol", "alice", "bob", "dave", "frank"]);
    const carol = preview.rows[0];
    expect(carol.before).toEqual({ usage: 288, credits: 500, remaining: 212 });
    // Instance-hours: 96 + 24 ACTIVE hours.
    expect(carol.after.usage).toBe(120);
    expect(preview.rows[1].after.usage).toBe(132);
    expect(preview.beforeUnit).toBe("CPU-hours");
    expect(preview.afterUnit).toBe("instance-hours");
    expect(preview.summary).toBe(describeStrategy(proposed));

    // Without a saved strategy the proposed one ranks, and there is no "before".
    const other = await previewStrategyChange(db, otherProviderId, SEED, NOW);
    expect(other.rankedBy).toBe("proposed");
    expect(other.rows).toHaveLength(1);
    expect(other.rows[0]).toMatchObject({ username: "stranger", before: null });
  });

  it("lists every provider with its strategy and user count", async () => {
    const list = await listProviderStrategies(db);
    expect(list.map((p) => [p.name, p.users, p.strategy?.countingBehavior ?? null])).toEqual([
      ["cloud-a", 7, "1 Month - Calendar Window"],
      ["cloud-b", 1, null],
    ]);
  });

  describe("actions", () => {
    async function as(flags: Partial<SessionUser>) {
      const user = await makeUser(db, { username: "op", ...flags });
      return { getUser: async () => user as SessionUser, getDb: async () => db, getIp: async () => "10.0.0.9" };
    }

    it("saves a strategy, returns the summary and audits before/after", async () => {
      const deps = await as({ isStaff: true });
      const form = new FormData();
      form.set("providerId", String(otherProviderId));
      form.set("countingBehavior", "1 Month - Calendar Window");
      form.append("refreshBehaviors", "First of the Month");
      form.append("rulesBehaviors", "Multiply by Size CPU");
      form.append("rulesBehaviors", "Ignore non-active status");
      form.set("threshold", "168");
      const created = await runAction(deps, saveStrategyDef, form);
      expect(created).toMatchObject({
        ok: true,
        data: { before: null, summary: "Counts the calendar month (UTC); recharges 168 CPU-hours on the 1st; ignores time not ACTIVE; multiplies by vCPUs" },
      });
      // Stored in the editor's order, whatever order the form sent.
      expect((await getStrategy(db, otherProviderId))?.rulesBehaviors).toEqual(["Ignore non-active status", "Multiply by Size CPU"]);

      const updated = await runAction(deps, saveStrategyDef, {
        providerId,
        countingBehavior: "Count all time",
        refreshBehaviors: ["No Refresh"],
        rulesBehaviors: [],
        threshold: 1000,
      });
      expect(updated.ok).toBe(true);
      expect((await getStrategy(db, providerId))?.threshold).toBe(1000);

      const { rows } = await listAuditEntries(db, { action: "allocation.update" });
      expect(rows).toHaveLength(2);
      const latest = rows.find((r) => r.targetId === String(providerId))!;
      expect(latest).toMatchObject({ actorUsername: "op", targetType: "provider", ip: "10.0.0.9" });
      expect(latest.details).toMatchObject({
        provider: "cloud-a",
        before: SEED,
        after: { countingBehavior: "Count all time", refreshBehaviors: ["No Refresh"], rulesBehaviors: [], threshold: 1000 },
      });
    });

    it.each([
      ["two counting behaviours", { countingBehavior: ["Count all time", "1 Month - Calendar Window"] }, "countingBehavior", "exactly one counting"],
      ["no counting behaviour", { countingBehavior: undefined }, "countingBehavior", "exactly one counting"],
      ["an unknown counting behaviour", { countingBehavior: "1 Week" }, "countingBehavior", 'Unknown counting behaviour "1 Week"'],
      ["an unknown refresh behaviour", { refreshBehaviors: ["Every Tuesday"] }, "refreshBehaviors", "Unknown refresh behaviour"],
      ["an unknown rule", { rulesBehaviors: ["Multiply by Size GPU"] }, "rulesBehaviors", "Unknown rules behaviour"],
      ["no refresh behaviour", { refreshBehaviors: [] }, "refreshBehaviors", "at least one refresh"],
      ["No Refresh with another", { refreshBehaviors: ["No Refresh", "First of the Month"] }, "refreshBehaviors", "cannot be combined"],
      ["a zero threshold", { threshold: 0 }, "threshold", "more than 0"],
      ["a negative threshold", { threshold: "-5" }, "threshold", "more than 0"],
      ["a huge threshold", { threshold: 5_000_000 }, "threshold", "at most 1,000,000"],
      ["a non-number threshold", { threshold: "lots" }, "threshold", "as a number"],
    ])("refuses %s and writes nothing", async (_name, change, field, message) => {
      const deps = await as({ isStaff: true });
      const r = await runAction(deps, saveStrategyDef, { providerId, ...SEED, ...change });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe("invalid_input");
        expect(r.error.fieldErrors?.[field]?.join(" ")).toContain(message);
      }
      expect((await listAuditEntries(db, { action: "allocation." })).total).toBe(0);
      expect((await getStrategy(db, providerId))?.threshold).toBe(168);
    });

    it("refuses a missing provider and non-staff", async () => {
      expect(await runAction(await as({ isStaff: true }), saveStrategyDef, { providerId: 4242, ...SEED })).toMatchObject({
        ok: false,
        error: { code: "not_found" },
      });
      await truncateAll(db);
      expect(await runAction(await as({ isStaff: false }), saveStrategyDef, { providerId: 1, ...SEED })).toMatchObject({
        ok: false,
        error: { code: "forbidden" },
      });
    });

    it("previews through the action without writing anything", async () => {
      const r = await runAction(await as({ isStaff: true }), previewStrategyDef, { providerId, ...SEED, threshold: 100 });
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.data.rows.length).toBe(5);
      expect((await listAuditEntries(db)).total).toBe(0);
    });

    it("sets and clears a per-user override, audited; refuses removed accounts", async () => {
      const deps = await as({ isStaff: true });
      const set = await runAction(deps, setOverrideDef, { providerId, userId: ids.alice, override: "336" });
      expect(set).toMatchObject({ ok: true, data: { override: 336, message: "alice now gets 336 per refresh." } });
      const [row] = await db.select().from(identities).where(eq(identities.userId, ids.alice));
      expect(row.allocationOverride).toBe(336);
      const page = await getUsagePage(db, providerId, SEED, { now: NOW, search: "alice" });
      expect(page.rows[0].result.credits).toBe(336);

      const cleared = await runAction(deps, setOverrideDef, { providerId, userId: ids.alice, override: "" });
      expect(cleared).toMatchObject({ ok: true, data: { override: null } });
      const audit = await listAuditEntries(db, { action: "allocation.override" });
      expect(audit.rows.map((r) => r.details)).toEqual([
        expect.objectContaining({ before: 336, after: null }),
        expect.objectContaining({ before: null, after: 336, username: "alice" }),
      ]);

      expect(await runAction(deps, setOverrideDef, { providerId, userId: ids.frank, override: "10" })).toMatchObject({
        ok: false,
        error: { code: "not_found" },
      });
      expect(await runAction(deps, setOverrideDef, { providerId, userId: ids.alice, override: "0" })).toMatchObject({
        ok: false,
        error: { code: "invalid_input" },
      });
    });
  });

  it("ranks 1,000 synthetic users consistently with the engine", { timeout: 60_000 }, async () => {
    const people = syntheticUsers(1000, NOW, 5, 7, "syn");
    await insertUsers(db, otherProviderId, people);
    const ranked = await rankUsersByUsage(db, { providerId: otherProviderId, strategy: SEED, now: NOW, limit: 1001 });
    expect(ranked).toHaveLength(1001);
    const page = await getUsagePage(db, otherProviderId, SEED, { now: NOW, pageSize: 200 });
    for (const row of page.rows) {
      expect(row.result.usage).toBeCloseTo(ranked.find((r) => r.userId === row.userId)!.usage, 6);
    }
  });
});
