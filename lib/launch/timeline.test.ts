import { describe, expect, it } from "vitest";
import { chartRows, formatDuration, phaseDurations, phaseLabel } from "./timeline";
import type { Step } from "./types";

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
const step = (id: string, from: number, to: number | null, extra: Partial<Step> = {}): Step => ({
  id,
  group: "setup",
  label: id,
  status: to === null ? "running" : "pass",
  startedAt: at(from),
  endedAt: to === null ? null : at(to),
  ...extra,
});

describe("chartRows", () => {
  it("places steps on one axis from the first start to the last end", () => {
    const { rows, totalMs } = chartRows([step("auth", 0, 2), step("boot", 2, 3), step("BUILD", 3, 10)]);
    expect(totalMs).toBe(10_000);
    expect(rows.map((r) => [r.id, r.left, r.width])).toEqual([
      ["auth", 0, 20],
      ["boot", 20, 10],
      ["BUILD", 30, 70],
    ]);
  });

  it("runs open steps up to now", () => {
    const { rows, totalMs } = chartRows([step("auth", 0, 1), step("wait", 1, null)], new Date(at(5)));
    expect(totalMs).toBe(5000);
    expect(rows[1]).toMatchObject({ open: true, durationMs: 4000, left: 20, width: 80 });
  });

  it("handles nothing and zero-length markers", () => {
    expect(chartRows([])).toEqual({ rows: [], totalMs: 0 });
    const { rows } = chartRows([step("ACTIVE", 0, 0)]);
    expect(rows[0]).toMatchObject({ width: 0, durationMs: 0 });
  });
});

describe("formatDuration", () => {
  it.each([
    [850, "850 ms"],
    [12_345, "12.3 s"],
    [125_000, "2 min 05 s"],
    [119_700, "2 min 00 s"],
    [null, "—"],
  ])("%s → %s", (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe("phases", () => {
  it("sums time per status and task state", () => {
    const steps = [
      step("s1", 0, 2, { group: "server", serverStatus: "BUILD", taskState: "scheduling" }),
      step("s2", 2, 3, { group: "server", serverStatus: "BUILD", taskState: "networking" }),
      step("s3", 3, 8, { group: "server", serverStatus: "BUILD", taskState: "spawning" }),
      step("s4", 8, 8, { group: "server", serverStatus: "ACTIVE", taskState: null }),
      step("fip", 8, 9),
    ];
    expect(phaseDurations(steps)).toEqual([
      { label: "BUILD · scheduling", ms: 2000 },
      { label: "BUILD · networking", ms: 1000 },
      { label: "BUILD · spawning", ms: 5000 },
      { label: "ACTIVE", ms: 0 },
    ]);
    expect(phaseLabel("ERROR", null)).toBe("ERROR");
  });
});
