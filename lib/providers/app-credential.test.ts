import { describe, expect, it } from "vitest";
import { credentialName, daysToExpiry, expiryNotice } from "./app-credential";

const now = new Date("2026-12-02T12:00:00Z");
const inDays = (d: number) => new Date(now.getTime() + d * 86_400_000);

describe("application credential expiry (issue 12 §6)", () => {
  it.each([
    [null, null, null],
    [inDays(90), 90, "neutral"],
    [inDays(30), 30, "neutral"],
    [inDays(29.5), 29, "warning"],
    [inDays(1), 1, "warning"],
    [inDays(-0.5), -1, "danger"],
  ])("expires %s → %s days, %s", (at, days, tone) => {
    expect(daysToExpiry(at, now)).toBe(days);
    expect(expiryNotice(at, now)?.tone ?? null).toBe(tone);
  });

  it("warns with the date and the days left", () => {
    expect(expiryNotice(inDays(10), now)?.text).toBe("The application credential expires on 2026-12-12 (in 10 days). Rotate it before then.");
  });

  it.each([
    ["lab", undefined, "cloudport-lab"],
    ["Research Cloud 2", undefined, "cloudport-Research-Cloud-2"],
    ["lab", now, "cloudport-lab-202612021200"],
  ])("names %s (%s) %s", (name, at, want) => {
    expect(credentialName(name, at)).toBe(want);
  });
});
