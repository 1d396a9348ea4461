import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { computeAllocation, usageSeries, type AllocationStrategy, type UsageSegment } from "@/lib/domain/allocation";
import { UsageChart } from "./usage-chart";
import { formatShare, usedShare } from "./usage-bar";

const SEED: AllocationStrategy = {
  countingBehavior: "1 Month - Calendar Window",
  refreshBehaviors: ["First of the Month"],
  rulesBehaviors: ["Ignore non-active status", "Multiply by Size CPU"],
  threshold: 168,
};

function render(segments: UsageSegment[], now: Date) {
  const r = computeAllocation({ strategy: SEED, joinedAt: new Date("2020-01-01T00:00:00Z"), segments, now });
  const series = usageSeries(SEED, segments, r.window.start, now);
  return renderToStaticMarkup(
    createElement(UsageChart, {
      username: "alice",
      unit: r.unit,
      window: r.window,
      series,
      grants: r.grants,
      credits: r.credits,
      usage: r.usage,
      burnRatePerHour: r.burnRatePerHour,
      runsOutAt: r.runsOutAt,
    }),
  );
}

describe("UsageChart", () => {
  const now = new Date("2024-03-15T12:00:00Z");

  it("is an image labelled with the numbers, with a table of readings for screen readers", () => {
    const html = render([{ status: "ACTIVE", vcpus: 2, ramMb: 2048, diskGb: 20, start: new Date("2024-03-14T12:00:00Z"), end: null }], now);
    expect(html).toContain('role="img"');
    expect(html).toContain(
      "aria-label=\"Cumulative usage of alice from 2024-03-01 00:00 UTC to now (2024-03-15 12:00 UTC): 48 of 168 CPU-hours of credit used (29%); burning 2 CPU-hours per hour; runs out 2024-03-18 00:00 UTC.\"",
    );
    expect(html).toContain('data-testid="credit-line"');
    expect(html).toContain('data-testid="projection-line"');
    expect(html).toContain("runs out");
    // One reading a day from Mar 1 to Mar 15, plus now.
    expect(html.match(/<tr>/g)?.length).toBe(1 + 15 + 1);
    expect(html).toContain("<td>2024-03-15 00:00 UTC</td><td>24</td><td>168</td>");
  });

  it("says when the credit is used up and draws no projection without a burn", () => {
    const html = render([{ status: "ACTIVE", vcpus: 8, ramMb: 2048, diskGb: 20, start: new Date("2024-03-01T00:00:00Z"), end: new Date("2024-03-02T00:00:00Z") }], now);
    expect(html).toContain("192 of 168 CPU-hours of credit used (114%)");
    expect(html).toContain("the credit is used up.");
    expect(html).not.toContain('data-testid="projection-line"');
  });
});

describe("usage bar share", () => {
  it.each([
    [0, 168, "0%"],
    [84, 168, "50%"],
    [200, 168, "119%"],
    [5, 0, "no credit"],
    [0, 0, "0%"],
  ])("%d of %d → %s", (usage, credits, text) => expect(formatShare(usedShare(usage, credits))).toBe(text));
});
