import { describe, expect, it } from "vitest";
import { foreignMessage, leavesNetworkAlone, madeByCloudport } from "./adoption";

describe("Cloudport only adopts what it made (issue 12 §2)", () => {
  it.each([
    ["Cloudport account of ops", true],
    ["Cloudport account", true],
    ["made by hand", false],
    ["", false],
    [null, false],
    ["A Cloudport account", false],
  ])("description %j made by Cloudport: %s", (d, want) => {
    expect(madeByCloudport(d)).toBe(want);
  });

  it.each([
    [{ adoptedAt: null, adoptNetwork: false }, false],
    [{ adoptedAt: new Date(), adoptNetwork: false }, true],
    [{ adoptedAt: new Date(), adoptNetwork: true }, false],
  ])("%j leaves the network alone: %s", (i, want) => {
    expect(leavesNetworkAlone(i)).toBe(want);
  });

  it("says what to do", () => {
    expect(foreignMessage("project", "ops")).toBe("project ops exists and was not created by Cloudport; a superuser can adopt it explicitly.");
  });
});
