import { describe, expect, it } from "vitest";
import { formatCounts, formatInterval, importDedupeKey, resourceOfKind } from "./resources";
import { splitInterval } from "./resources";
import { runImportsSchema, updateScheduleSchema } from "./schemas";

describe("schedule form", () => {
  const base = { providerId: "4", resource: "instances", unit: "minutes" };
  it.each([
    [{ every: "15" }, { intervalSeconds: 900, enabled: false }],
    [{ every: "5", enabled: "on" }, { intervalSeconds: 300, enabled: true }],
    [{ every: "2", unit: "hours", enabled: "on" }, { intervalSeconds: 7200, enabled: true }],
    [{ every: "7", unit: "days" }, { intervalSeconds: 604_800, enabled: false }],
    [{ every: "1.5", unit: "hours" }, { intervalSeconds: 5400, enabled: false }],
  ])("accepts %j", (input, expected) => {
    expect(updateScheduleSchema.parse({ ...base, ...input })).toEqual({ providerId: 4, resource: "instances", ...expected });
  });

  it.each([
    [{ every: "4" }, "at most every 5 minutes"],
    [{ every: "8", unit: "days" }, "at least every 7 days"],
    [{ every: "169", unit: "hours" }, "at least every 7 days"],
    [{ every: "abc" }, "Enter a number"],
    [{ every: "0" }, "above 0"],
    [{ every: "10", unit: "weeks" }, "minutes, hours or days"],
    [{ every: "10", resource: "snapshots" }, "sizes, images, image members, instances or volumes"],
  ])("refuses %j", (input, message) => {
    const r = updateScheduleSchema.safeParse({ ...base, ...input });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toContain(message);
  });

  it("splits intervals into the largest exact unit", () => {
    expect(splitInterval(900)).toEqual({ every: 15, unit: "minutes" });
    expect(splitInterval(1800)).toEqual({ every: 30, unit: "minutes" });
    expect(splitInterval(7200)).toEqual({ every: 2, unit: "hours" });
    expect(splitInterval(86_400)).toEqual({ every: 1, unit: "days" });
  });
});

describe("resources", () => {
  it("names kinds, keys and intervals", () => {
    expect(importDedupeKey("sizes", 4)).toBe("import:sizes:4");
    expect(resourceOfKind("import.machines")).toBe("machines");
    expect(resourceOfKind("noop")).toBeUndefined();
    expect(formatInterval(900)).toBe("15 min");
    expect(formatInterval(86_400)).toBe("1 day");
    expect(formatInterval(7200)).toBe("2 hours");
    expect(runImportsSchema.parse({ providerId: "2", resource: "all" })).toEqual({ providerId: 2, resource: "all" });
  });

  it("says what changed, or that nothing did", () => {
    expect(formatCounts({ added: 5, updated: 0, endDated: 1, unchanged: 3 })).toBe("5 added · 1 end-dated · 3 unchanged");
    expect(formatCounts({})).toBe("no changes");
    expect(formatCounts(null)).toBe("—");
  });
});
