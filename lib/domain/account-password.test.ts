import { describe, expect, it } from "vitest";
import { deriveAccountPassword, generateAccountSecret } from "./account-password";

const SECRET = "0123456789abcdef0123456789abcdef";

describe("deriveAccountPassword", () => {
  it("matches Atmosphere's sha_v2 test vector", () => {
    expect(deriveAccountPassword("cmart", SECRET)).toBe("d1d2d62228378ac354cc0bed758f348a50832847444fc21dcd276c3768fcd5c0");
  });
  it("matches the legacy sha_v1 test vector", () => {
    expect(deriveAccountPassword("cmart", SECRET, "sha_v1")).toBe(
      "d60a9e1d92f9201b46697e795f17f0588eb9e590f7e23601ab40ac6fe59c9f47",
    );
  });
  it.each([
    ["", SECRET, /empty username/],
    ["cmart", "short", /at least 32/],
    ["cmart", "", /at least 32/],
  ])("refuses username=%j secret=%j", (u, s, msg) => {
    expect(() => deriveAccountPassword(u, s)).toThrow(msg);
  });
  it("generates secrets long enough to use", () => {
    const s = generateAccountSecret();
    expect(s.length).toBeGreaterThanOrEqual(32);
    expect(deriveAccountPassword("x", s)).toMatch(/^[0-9a-f]{64}$/);
    expect(generateAccountSecret()).not.toBe(s);
  });
});
