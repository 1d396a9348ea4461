import { describe, expect, it } from "vitest";
import {
  anniversaryInMonth,
  anniversaryStartsByDay,
  anniversaryWindowStart,
  compileStrategy,
  computeAllocation,
  countingWindow,
  daysInMonth,
  describeStrategy,
  NON_ACTIVE_STATUSES,
  segmentMultiplier,
  seriesValueAt,
  usageSeries,
  usageUnit,
  windowGrants,
  type AllocationStrategy,
  type UsageSegment,
} from "./allocation";

const d = (iso: string) => new Date(iso.endsWith("Z") ? iso : `${iso}Z`);
const iso = (x: Date | null) => (x ? x.toISOString() : null);

const CAL = "1 Month - Calendar Window";
const ANNIV = "1 Month - Calendar Window - Anniversary";
const ALL = "Count all time";
const FIRST = "First of the Month";
const ANNIV_REFRESH = "Anniversary Date";
const NO_REFRESH = "No Refresh";
const IGNORE = "Ignore non-active status";
const CPU = "Multiply by Size CPU";
const RAM = "Multiply by Size RAM";
const DISK = "Multiply by Size Disk";

/** The seed's strategy. */
const SEED: AllocationStrategy = { countingBehavior: CAL, refreshBehaviors: [FIRST], rulesBehaviors: [IGNORE, CPU], threshold: 168 };
const strat = (p: Partial<AllocationStrategy>): AllocationStrategy => ({ ...SEED, ...p });

function seg(status: string, vcpus: number, start: string, end: string | null, more: Partial<UsageSegment> = {}): UsageSegment {
  return { status, vcpus, ramMb: 2048, diskGb: 20, start: d(start), end: end ? d(end) : null, ...more };
}

describe("calendar helpers", () => {
  it.each([
    [2023, 1, 28],
    [2024, 1, 29],
    [2100, 1, 28],
    [2000, 1, 29],
    [2024, 0, 31],
    [2024, 3, 30],
    [2024, 11, 31],
  ])("daysInMonth(%i, %i) = %i", (y, m, n) => expect(daysInMonth(y, m)).toBe(n));

  it.each([
    [2024, 1, 31, "2024-02-29T00:00:00.000Z"],
    [2023, 1, 31, "2023-02-28T00:00:00.000Z"],
    [2023, 1, 29, "2023-02-28T00:00:00.000Z"],
    [2024, 3, 31, "2024-04-30T00:00:00.000Z"],
    [2024, 2, 31, "2024-03-31T00:00:00.000Z"],
    [2024, 12, 15, "2025-01-15T00:00:00.000Z"], // month 12 rolls into the next year
    [2024, -1, 31, "2023-12-31T00:00:00.000Z"],
  ])("anniversaryInMonth(%i, %i, %i) = %s", (y, m, day, expected) => {
    expect(anniversaryInMonth(y, m, day).toISOString()).toBe(expected);
  });
});

describe("countingWindow", () => {
  it.each([
    // [behaviour, joined, now, start, resetsAt]
    [CAL, "2020-05-05T10:00", "2024-03-15T12:00", "2024-03-01T00:00", "2024-04-01T00:00"],
    [CAL, "2020-05-05T10:00", "2024-03-01T00:00", "2024-03-01T00:00", "2024-04-01T00:00"],
    [CAL, "2020-05-05T10:00", "2024-02-29T23:59:59", "2024-02-01T00:00", "2024-03-01T00:00"],
    [CAL, "2020-05-05T10:00", "2024-12-31T23:59:59", "2024-12-01T00:00", "2025-01-01T00:00"],
    [CAL, "2024-03-20T10:00", "2024-03-25T00:00", "2024-03-01T00:00", "2024-04-01T00:00"],
    // Anniversary, ordinary day
    [ANNIV, "2024-01-15T09:30", "2024-03-20T00:00", "2024-03-15T00:00", "2024-04-15T00:00"],
    [ANNIV, "2024-01-15T09:30", "2024-03-10T00:00", "2024-02-15T00:00", "2024-03-15T00:00"],
    [ANNIV, "2024-01-15T09:30", "2024-03-15T00:00", "2024-03-15T00:00", "2024-04-15T00:00"],
    [ANNIV, "2024-01-15T09:30", "2024-03-14T23:59:59", "2024-02-15T00:00", "2024-03-15T00:00"],
    [ANNIV, "2024-03-20T10:00", "2024-03-25T00:00", "2024-03-20T00:00", "2024-04-20T00:00"],
    // Joined Jan 31: Jan 31, Feb 28/29, Mar 31, Apr 30, May 31 (the anchor never drifts to 28/29/30)
    [ANNIV, "2024-01-31T10:00", "2024-01-31T12:00", "2024-01-31T00:00", "2024-02-29T00:00"],
    [ANNIV, "2024-01-31T10:00", "2024-02-28T12:00", "2024-01-31T00:00", "2024-02-29T00:00"],
    [ANNIV, "2024-01-31T10:00", "2024-02-29T12:00", "2024-02-29T00:00", "2024-03-31T00:00"],
    [ANNIV, "2024-01-31T10:00", "2024-03-30T12:00", "2024-02-29T00:00", "2024-03-31T00:00"],
    [ANNIV, "2024-01-31T10:00", "2024-03-31T00:00", "2024-03-31T00:00", "2024-04-30T00:00"],
    [ANNIV, "2024-01-31T10:00", "2024-04-29T12:00", "2024-03-31T00:00", "2024-04-30T00:00"],
    [ANNIV, "2024-01-31T10:00", "2024-04-30T05:00", "2024-04-30T00:00", "2024-05-31T00:00"],
    [ANNIV, "2023-01-31T10:00", "2023-02-28T12:00", "2023-02-28T00:00", "2023-03-31T00:00"],
    [ANNIV, "2023-01-31T10:00", "2023-02-27T12:00", "2023-01-31T00:00", "2023-02-28T00:00"],
    // Joined on the 30th and the 29th, in a non-leap February
    [ANNIV, "2022-12-30T08:00", "2023-02-28T12:00", "2023-02-28T00:00", "2023-03-30T00:00"],
    [ANNIV, "2022-12-30T08:00", "2023-03-29T12:00", "2023-02-28T00:00", "2023-03-30T00:00"],
    [ANNIV, "2022-12-29T08:00", "2023-02-28T12:00", "2023-02-28T00:00", "2023-03-29T00:00"],
    [ANNIV, "2022-12-29T08:00", "2024-02-28T12:00", "2024-01-29T00:00", "2024-02-29T00:00"],
    // Joined Feb 29: Feb 28 in non-leap years, the 29th everywhere else
    [ANNIV, "2024-02-29T08:00", "2025-02-28T01:00", "2025-02-28T00:00", "2025-03-29T00:00"],
    [ANNIV, "2024-02-29T08:00", "2025-03-28T23:00", "2025-02-28T00:00", "2025-03-29T00:00"],
    [ANNIV, "2024-02-29T08:00", "2025-03-29T00:00", "2025-03-29T00:00", "2025-04-29T00:00"],
    // Across a year end
    [ANNIV, "2023-12-31T08:00", "2024-01-05T00:00", "2023-12-31T00:00", "2024-01-31T00:00"],
    [ANNIV, "2024-03-31T08:00", "2025-01-10T00:00", "2024-12-31T00:00", "2025-01-31T00:00"],
    // All time
    [ALL, "2021-06-10T08:00", "2024-03-15T12:00", "2021-06-10T08:00", null],
    [ALL, "2024-03-15T12:00", "2024-03-15T12:00", "2024-03-15T12:00", null],
  ])("%s, joined %s, now %s → [%s, reset %s)", (behaviour, joined, now, start, resets) => {
    const w = countingWindow(behaviour, d(joined), d(now));
    expect(iso(w.start)).toBe(d(start).toISOString());
    expect(iso(w.resetsAt)).toBe(resets ? d(resets).toISOString() : null);
    expect(iso(w.end)).toBe(d(now).toISOString());
  });

  it("clamps a join date in the future to now", () => {
    const w = countingWindow(ALL, d("2030-01-01T00:00"), d("2024-03-15T12:00"));
    expect(iso(w.start)).toBe("2024-03-15T12:00:00.000Z");
  });

  it("refuses an unknown counting behaviour", () => {
    expect(() => countingWindow("1 Week", d("2024-01-01"), d("2024-02-01"))).toThrow('Unknown counting behaviour "1 Week"');
  });

  it("anniversary windows tile time for every join day: start ≤ now < reset, next window starts at the reset, day clamped", () => {
    for (let day = 1; day <= 31; day++) {
      const joined = new Date(Date.UTC(2023, 0, day, 13, 45));
      for (let t = Date.UTC(2023, 0, day, 13, 45); t < Date.UTC(2025, 2, 1); t += 86_400_000) {
        const now = new Date(t + 3_600_000 * (day % 24));
        const w = countingWindow(ANNIV, joined, now);
        expect(w.start.getTime()).toBeLessThanOrEqual(now.getTime());
        expect(w.resetsAt!.getTime()).toBeGreaterThan(now.getTime());
        expect(w.start.getUTCDate()).toBe(Math.min(day, daysInMonth(w.start.getUTCFullYear(), w.start.getUTCMonth())));
        expect(countingWindow(ANNIV, joined, w.resetsAt!).start.getTime()).toBe(w.resetsAt!.getTime());
      }
    }
  });

  it("anniversaryStartsByDay agrees with anniversaryWindowStart (SQL uses the former)", () => {
    for (const now of ["2024-02-29T12:00", "2023-02-28T00:00", "2024-03-30T00:00", "2025-01-01T00:00"]) {
      const byDay = anniversaryStartsByDay(d(now));
      for (let day = 1; day <= 31; day++) {
        expect(byDay[day].toISOString()).toBe(anniversaryWindowStart(new Date(Date.UTC(2019, 6, day, 18)), d(now)).toISOString());
      }
    }
  });
});

describe("credits", () => {
  it.each([
    // [name, counting, refresh, joined, now, number of credits, grant instants]
    ["seed, joined long ago", CAL, [FIRST], "2020-05-05T10:00", "2024-03-15T12:00", 1, ["2024-03-01T00:00"]],
    ["seed, joined this month", CAL, [FIRST], "2024-03-10T10:00", "2024-03-15T12:00", 1, ["2024-03-10T10:00"]],
    ["seed, on the 1st exactly", CAL, [FIRST], "2020-05-05T10:00", "2024-03-01T00:00", 1, ["2024-03-01T00:00"]],
    ["calendar + anniversary, before the join day", CAL, [ANNIV_REFRESH], "2023-01-15T10:00", "2024-03-10T00:00", 1, ["2024-03-01T00:00"]],
    ["calendar + anniversary, after the join day", CAL, [ANNIV_REFRESH], "2023-01-15T10:00", "2024-03-20T00:00", 2, ["2024-03-01T00:00", "2024-03-15T00:00"]],
    ["calendar + both, joined on the 1st: one instant, one credit", CAL, [FIRST, ANNIV_REFRESH], "2023-01-01T10:00", "2024-03-20T00:00", 1, ["2024-03-01T00:00"]],
    ["calendar + both, joined on the 15th", CAL, [FIRST, ANNIV_REFRESH], "2023-01-15T10:00", "2024-03-20T00:00", 2, ["2024-03-01T00:00", "2024-03-15T00:00"]],
    ["anniversary + anniversary", ANNIV, [ANNIV_REFRESH], "2023-01-15T10:00", "2024-03-20T00:00", 1, ["2024-03-15T00:00"]],
    ["anniversary + first, before the 1st", ANNIV, [FIRST], "2023-01-15T10:00", "2024-03-20T00:00", 1, ["2024-03-15T00:00"]],
    ["anniversary + first, after the 1st", ANNIV, [FIRST], "2023-01-15T10:00", "2024-04-05T00:00", 2, ["2024-03-15T00:00", "2024-04-01T00:00"]],
    ["anniversary + anniversary, joined Jan 31, in leap Feb", ANNIV, [ANNIV_REFRESH], "2024-01-31T10:00", "2024-03-01T00:00", 1, ["2024-02-29T00:00"]],
    ["all time + first, several refreshes", ALL, [FIRST], "2024-01-15T10:00", "2024-03-20T00:00", 3, ["2024-01-15T10:00", "2024-02-01T00:00", "2024-03-01T00:00"]],
    ["all time + first, joined at 00:00 on a 1st", ALL, [FIRST], "2024-01-01T00:00", "2024-01-15T00:00", 1, ["2024-01-01T00:00"]],
    ["all time + first, next 1st reached exactly", ALL, [FIRST], "2024-01-01T00:00", "2024-02-01T00:00", 2, ["2024-01-01T00:00", "2024-02-01T00:00"]],
    ["all time + anniversary, joined Jan 31", ALL, [ANNIV_REFRESH], "2024-01-31T10:00", "2024-05-01T00:00", 4, ["2024-01-31T10:00", "2024-02-29T00:00", "2024-03-31T00:00", "2024-04-30T00:00"]],
    ["all time + no refresh", ALL, [NO_REFRESH], "2021-01-31T10:00", "2024-05-01T00:00", 1, ["2021-01-31T10:00"]],
    ["calendar + no refresh, joined this month", CAL, [NO_REFRESH], "2024-03-10T10:00", "2024-03-15T00:00", 1, ["2024-03-10T10:00"]],
    ["calendar + no refresh, joined last month", CAL, [NO_REFRESH], "2024-02-10T10:00", "2024-03-15T00:00", 0, []],
    ["anniversary + no refresh, join window", ANNIV, [NO_REFRESH], "2024-01-15T10:00", "2024-01-20T00:00", 1, ["2024-01-15T10:00"]],
    ["anniversary + no refresh, later window", ANNIV, [NO_REFRESH], "2024-01-15T10:00", "2024-02-20T00:00", 0, []],
    ["no refresh behaviour at all", CAL, [], "2024-01-15T10:00", "2024-02-20T00:00", 0, []],
  ] as const)("%s", (_name, counting, refresh, joined, now, n, instants) => {
    const s = strat({ countingBehavior: counting, refreshBehaviors: [...refresh] });
    const grants = windowGrants(s, 168, d(joined), d(now));
    expect(grants.map((g) => g.at.toISOString())).toEqual(instants.map((x) => d(x).toISOString()));
    const r = computeAllocation({ strategy: s, joinedAt: d(joined), segments: [], now: d(now) });
    expect(r.credits).toBe(168 * n);
  });

  it("counts refreshes across years with Count all time", () => {
    const s = strat({ countingBehavior: ALL, refreshBehaviors: [FIRST] });
    // Opening credit in Nov 2022, then every 1st from Dec 2022 to Feb 2024: 15.
    expect(computeAllocation({ strategy: s, joinedAt: d("2022-11-20T00:00"), segments: [], now: d("2024-02-10T00:00") }).credits).toBe(168 * 16);
  });

  it("uses the user's override instead of the strategy threshold", () => {
    const r = computeAllocation({ strategy: SEED, thresholdOverride: 500, joinedAt: d("2020-01-01"), segments: [], now: d("2024-03-15T12:00") });
    expect(r.threshold).toBe(500);
    expect(r.credits).toBe(500);
    expect(r.grants[0].amount).toBe(500);
  });
});

describe("usage", () => {
  const NOW = "2024-03-15T12:00";
  const JOINED = "2020-01-01T00:00";
  const usageOf = (s: AllocationStrategy, segments: UsageSegment[], joined = JOINED, now = NOW) =>
    computeAllocation({ strategy: s, joinedAt: d(joined), segments, now: d(now) });

  it.each([
    ["one closed ACTIVE day at 2 vCPUs", SEED, [seg("ACTIVE", 2, "2024-03-02T00:00", "2024-03-03T00:00")], 48],
    ["crossing the window start counts only the part inside", SEED, [seg("ACTIVE", 4, "2024-02-28T00:00", "2024-03-01T06:00")], 24],
    ["entirely before the window", SEED, [seg("ACTIVE", 4, "2024-02-01T00:00", "2024-02-20T00:00")], 0],
    ["after now (clock skew) counts nothing", SEED, [seg("ACTIVE", 4, "2024-03-16T00:00", null)], 0],
    ["a closed end after now is cut at now", SEED, [seg("ACTIVE", 1, "2024-03-15T00:00", "2024-03-20T00:00")], 12],
    ["end before start counts nothing", SEED, [seg("ACTIVE", 1, "2024-03-10T00:00", "2024-03-09T00:00")], 0],
    ["an open segment runs to now", SEED, [seg("ACTIVE", 1, "2024-03-15T00:00", null)], 12],
    ["open and started before the window", SEED, [seg("ACTIVE", 1, "2024-02-20T00:00", null)], 14 * 24 + 12],
    ["SHUTOFF counts zero", SEED, [seg("SHUTOFF", 8, "2024-03-05T00:00", "2024-03-06T00:00")], 0],
    [
      "ACTIVE → SHUTOFF → ACTIVE",
      SEED,
      [
        seg("ACTIVE", 2, "2024-03-02T00:00", "2024-03-02T10:00"),
        seg("SHUTOFF", 2, "2024-03-02T10:00", "2024-03-02T20:00"),
        seg("ACTIVE", 2, "2024-03-02T20:00", null),
      ],
      (10 + 304) * 2,
    ],
    [
      "resize mid-window: 2 then 4 vCPUs, with RESIZE and VERIFY_RESIZE in between",
      SEED,
      [
        seg("ACTIVE", 2, "2024-03-01T00:00", "2024-03-11T00:00"),
        seg("RESIZE", 2, "2024-03-11T00:00", "2024-03-11T00:30"),
        seg("VERIFY_RESIZE", 4, "2024-03-11T00:30", "2024-03-11T01:00"),
        seg("ACTIVE", 4, "2024-03-11T01:00", null),
      ],
      240 * 2 + 107 * 4,
    ],
    ["status compared case-insensitively", SEED, [seg("active", 2, "2024-03-02T00:00", "2024-03-02T01:00"), seg(" Active ", 2, "2024-03-03T00:00", "2024-03-03T01:00")], 4],
    ["without the ignore rule, SHUTOFF counts", strat({ rulesBehaviors: [CPU] }), [seg("SHUTOFF", 8, "2024-03-05T00:00", "2024-03-06T00:00")], 192],
    ["no multiply rule: instance-hours", strat({ rulesBehaviors: [IGNORE] }), [seg("ACTIVE", 8, "2024-03-05T00:00", "2024-03-06T00:00")], 24],
    ["no rules at all: every hour of every status", strat({ rulesBehaviors: [] }), [seg("ERROR", 8, "2024-03-05T00:00", "2024-03-05T05:00")], 5],
    ["RAM per GB", strat({ rulesBehaviors: [RAM] }), [seg("ACTIVE", 2, "2024-03-05T00:00", "2024-03-05T10:00", { ramMb: 4096 })], 40],
    ["RAM in MiB, fractional GB", strat({ rulesBehaviors: [RAM] }), [seg("ACTIVE", 2, "2024-03-05T00:00", "2024-03-05T10:00", { ramMb: 512 })], 5],
    ["disk per GB", strat({ rulesBehaviors: [DISK] }), [seg("ACTIVE", 2, "2024-03-05T00:00", "2024-03-05T10:00", { diskGb: 20 })], 200],
    ["CPU × RAM", strat({ rulesBehaviors: [CPU, RAM] }), [seg("ACTIVE", 2, "2024-03-05T00:00", "2024-03-05T10:00", { ramMb: 4096 })], 80],
    ["all rules", strat({ rulesBehaviors: [IGNORE, CPU, RAM, DISK] }), [seg("ACTIVE", 2, "2024-03-05T00:00", "2024-03-05T01:00", { ramMb: 4096, diskGb: 20 }), seg("SHUTOFF", 2, "2024-03-05T01:00", "2024-03-05T09:00", { ramMb: 4096, diskGb: 20 })], 160],
    ["zero vCPUs with the CPU rule", SEED, [seg("ACTIVE", 0, "2024-03-05T00:00", "2024-03-05T10:00")], 0],
    ["several instances add up", SEED, [seg("ACTIVE", 1, "2024-03-05T00:00", "2024-03-05T10:00"), seg("ACTIVE", 2, "2024-03-05T00:00", "2024-03-05T10:00")], 30],
  ])("%s", (_name, s, segments, expected) => {
    expect(usageOf(s, segments).usage).toBeCloseTo(expected, 9);
  });

  it.each([...NON_ACTIVE_STATUSES, ...NON_ACTIVE_STATUSES.map((s) => s.toUpperCase()), "PAUSED", "SHELVED_OFFLOADED"])(
    "ignores %s time with the ignore rule",
    (status) => {
      expect(usageOf(SEED, [seg(status, 4, "2024-03-05T00:00", "2024-03-05T10:00")]).usage).toBe(0);
      expect(usageOf(strat({ rulesBehaviors: [CPU] }), [seg(status, 4, "2024-03-05T00:00", "2024-03-05T10:00")]).usage).toBe(40);
    },
  );

  it("Count all time starts at the join: earlier history does not count", () => {
    const s = strat({ countingBehavior: ALL });
    const r = usageOf(s, [seg("ACTIVE", 1, "2023-12-31T00:00", "2024-01-02T00:00")], "2024-01-01T00:00");
    expect(r.usage).toBe(24);
  });

  it("Count all time across years", () => {
    const s = strat({ countingBehavior: ALL, rulesBehaviors: [IGNORE] });
    const r = usageOf(s, [seg("ACTIVE", 1, "2022-03-15T12:00", null)], "2022-01-01T00:00");
    expect(r.usage).toBe((365 + 366) * 24);
  });

  it("the anniversary window counts from the anniversary", () => {
    const s = strat({ countingBehavior: ANNIV, refreshBehaviors: [ANNIV_REFRESH] });
    // Joined Jan 31 2024; on 2024-03-01 the window started on Feb 29.
    const r = usageOf(s, [seg("ACTIVE", 1, "2024-02-28T00:00", "2024-03-01T00:00")], "2024-01-31T09:00", "2024-03-01T00:00");
    expect(r.usage).toBe(24);
    expect(r.window.start.toISOString()).toBe("2024-02-29T00:00:00.000Z");
  });
});

describe("computeAllocation: balance, burn rate and run-out", () => {
  const NOW = d("2024-03-15T12:00");
  it("remaining, burn rate and projected run-out", () => {
    const r = computeAllocation({
      strategy: SEED,
      joinedAt: d("2020-01-01"),
      segments: [seg("ACTIVE", 2, "2024-03-14T12:00", null), seg("SHUTOFF", 8, "2024-03-01T00:00", null)],
      now: NOW,
    });
    expect(r.usage).toBe(48);
    expect(r.credits).toBe(168);
    expect(r.remaining).toBe(120);
    // The open SHUTOFF segment does not count under the ignore rule.
    expect(r.burnRatePerHour).toBe(2);
    expect(r.runsOutAt?.toISOString()).toBe("2024-03-18T00:00:00.000Z");
    expect(r.exhausted).toBe(false);
    expect(r.unit).toBe("CPU-hours");
  });

  it("nothing running: no run-out date", () => {
    const r = computeAllocation({ strategy: SEED, joinedAt: d("2020-01-01"), segments: [seg("ACTIVE", 2, "2024-03-02T00:00", "2024-03-03T00:00")], now: NOW });
    expect(r.burnRatePerHour).toBe(0);
    expect(r.runsOutAt).toBeNull();
    expect(r.remaining).toBe(120);
  });

  it("overspent: exhausted, run-out is now, remaining negative", () => {
    const r = computeAllocation({ strategy: SEED, joinedAt: d("2020-01-01"), segments: [seg("ACTIVE", 4, "2024-03-10T00:00", null)], now: NOW });
    expect(r.usage).toBe(132 * 4);
    expect(r.remaining).toBe(168 - 528);
    expect(r.exhausted).toBe(true);
    expect(r.runsOutAt?.toISOString()).toBe(NOW.toISOString());
  });

  it("a segment that has not started yet does not burn", () => {
    const r = computeAllocation({ strategy: SEED, joinedAt: d("2020-01-01"), segments: [seg("ACTIVE", 4, "2024-03-16T00:00", null)], now: NOW });
    expect(r.burnRatePerHour).toBe(0);
  });

  it("burn rate multiplies by the size rules", () => {
    const s = strat({ rulesBehaviors: [IGNORE, CPU, RAM] });
    const r = computeAllocation({ strategy: s, joinedAt: d("2020-01-01"), segments: [seg("ACTIVE", 2, "2024-03-15T00:00", null, { ramMb: 8192 })], now: NOW });
    expect(r.burnRatePerHour).toBe(16);
    expect(r.unit).toBe("CPU·GB RAM-hours");
  });
});

describe("usageSeries", () => {
  const NOW = d("2024-03-15T12:00");
  const START = d("2024-03-01T00:00");
  const segments = [
    seg("ACTIVE", 2, "2024-02-28T00:00", "2024-03-02T00:00"),
    seg("SHUTOFF", 2, "2024-03-02T00:00", "2024-03-05T00:00"),
    seg("ACTIVE", 4, "2024-03-05T00:00", null),
    seg("ACTIVE", 1, "2024-03-10T00:00", "2024-03-11T00:00"),
  ];

  it("starts at 0 at the window start, ends at the usage at now, never decreases", () => {
    const pts = usageSeries(SEED, segments, START, NOW);
    const r = computeAllocation({ strategy: SEED, joinedAt: d("2020-01-01"), segments, now: NOW });
    expect(pts[0]).toEqual({ at: START, usage: 0 });
    expect(pts.at(-1)!.at.toISOString()).toBe(NOW.toISOString());
    expect(pts.at(-1)!.usage).toBeCloseTo(r.usage, 9);
    for (let i = 1; i < pts.length; i++) {
      expect(pts[i].usage).toBeGreaterThanOrEqual(pts[i - 1].usage);
      expect(pts[i].at.getTime()).toBeGreaterThan(pts[i - 1].at.getTime());
    }
  });

  it("is exact at the breakpoints and in between", () => {
    const pts = usageSeries(SEED, segments, START, NOW);
    expect(seriesValueAt(pts, d("2024-03-02T00:00"))).toBe(48);
    expect(seriesValueAt(pts, d("2024-03-05T00:00"))).toBe(48);
    expect(seriesValueAt(pts, d("2024-03-06T00:00"))).toBe(48 + 96);
    expect(seriesValueAt(pts, d("2024-03-10T12:00"))).toBe(48 + 5.5 * 96 + 12);
    expect(seriesValueAt(pts, d("2024-02-01T00:00"))).toBe(0);
  });

  it("is flat at zero with nothing counting", () => {
    const pts = usageSeries(SEED, [seg("SHUTOFF", 2, "2024-03-02T00:00", null)], START, NOW);
    expect(pts.map((p) => p.usage)).toEqual([0, 0]);
  });
});

describe("strategy checks and words", () => {
  it("refuses unknown behaviour names", () => {
    expect(() => compileStrategy(strat({ refreshBehaviors: ["Every Tuesday"] }))).toThrow('Unknown refresh behaviour "Every Tuesday"');
    expect(() => compileStrategy(strat({ rulesBehaviors: ["Multiply by Size GPU"] }))).toThrow("Unknown rules behaviour");
    expect(() => compileStrategy(strat({ countingBehavior: "Forever" }))).toThrow("Unknown counting behaviour");
  });

  it.each([
    [[], "instance-hours"],
    [[IGNORE], "instance-hours"],
    [[CPU], "CPU-hours"],
    [[RAM], "GB RAM-hours"],
    [[DISK], "GB disk-hours"],
    [[DISK, CPU], "CPU·GB disk-hours"],
  ])("usageUnit(%j) = %s", (rules, unit) => expect(usageUnit(rules)).toBe(unit));

  it("multiplier of one segment", () => {
    expect(segmentMultiplier(strat({ rulesBehaviors: [CPU, RAM, DISK] }), { status: "ACTIVE", vcpus: 2, ramMb: 1536, diskGb: 10 })).toBe(30);
  });

  it.each([
    [SEED, "Counts the calendar month (UTC); recharges 168 CPU-hours on the 1st; ignores time not ACTIVE; multiplies by vCPUs"],
    [
      strat({ countingBehavior: ANNIV, refreshBehaviors: [ANNIV_REFRESH], rulesBehaviors: [CPU, RAM], threshold: 1000 }),
      "Counts the month from each user's join day (UTC); recharges 1,000 CPU·GB RAM-hours on each user's monthly join day; counts time in every status; multiplies by vCPUs and GB of RAM",
    ],
    [
      strat({ countingBehavior: ALL, refreshBehaviors: [NO_REFRESH], rulesBehaviors: [IGNORE], threshold: 72.5 }),
      "Counts all time since each user joined; grants 72.5 instance-hours once, when the user joins; ignores time not ACTIVE; counts instance-hours",
    ],
    [
      strat({ refreshBehaviors: [FIRST, ANNIV_REFRESH], rulesBehaviors: [CPU, RAM, DISK] }),
      "Counts the calendar month (UTC); recharges 168 CPU·GB RAM·GB disk-hours on the 1st and on each user's monthly join day; counts time in every status; multiplies by vCPUs, GB of RAM and GB of disk",
    ],
    [strat({ refreshBehaviors: [] }), "Counts the calendar month (UTC); grants no allocation (no refresh behaviour); ignores time not ACTIVE; multiplies by vCPUs"],
  ])("describes %j", (s, words) => expect(describeStrategy(s)).toBe(words));
});
