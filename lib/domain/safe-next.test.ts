import { describe, expect, it } from "vitest";
import { safeNextPath } from "./safe-next";

describe("safeNextPath (post-login redirect)", () => {
  it.each([
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "https://evil.example",
    "http:evil.example",
    "/%2F%2Fevil.example",
    "/%2f/evil.example",
    "/%5Cevil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "/\t/evil.example",
    "/\n/evil.example",
    "%2F%2Fevil.example",
    "evil.example",
    "",
    "/%E0%A4%A",
  ])("refuses %j (falls back to /)", (next) => {
    expect(safeNextPath(next)).toBe("/");
  });

  it("refuses what is not a string", () => {
    expect(safeNextPath(null)).toBe("/");
    expect(safeNextPath(undefined)).toBe("/");
    expect(safeNextPath(["/providers"])).toBe("/");
  });

  it.each([
    ["/providers", "/providers"],
    ["/providers/3/inventory?origin=example.org", "/providers/3/inventory?origin=example.org"],
    ["/audit#top", "/audit#top"],
    ["/users?q=a%20b", "/users?q=a%20b"],
  ])("keeps %j", (next, expected) => {
    expect(safeNextPath(next)).toBe(expected);
  });
});
