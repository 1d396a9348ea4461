import { describe, expect, it } from "vitest";
import { parseInventoryDownload } from "./files";

// The query of GET /providers/:id/inventory/download (the route returns `status` and `message`
// as text/plain before it reads anything); e2e/security.spec.ts checks the real route too.
describe("parseInventoryDownload", () => {
  const parse = (qs: string) => parseInventoryDownload(new URLSearchParams(qs));

  it.each([
    ["file=zone&origin=evil%0A%24INCLUDE%20%2Fetc%2Fpasswd", /line break/],
    ["file=zone&origin=example.org%0D%0Avm1%20IN%20A%206.6.6.6", /line break/],
    ["file=tar&origin=%24ORIGIN%20evil.", /not a DNS name/],
    ["file=zone&origin=a%3Bb", /not a DNS name/],
    ["file=zone&origin=" + "a".repeat(64), /longer than 63/],
  ])("refuses %s with 400 and the reason", (qs, message) => {
    const r = parse(qs);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.status).toBe(400);
      expect(r.message).toMatch(message);
      expect(r.message).toMatch(/cloud\.example\.org/);
    }
  });

  it("accepts a DNS origin and normalises it", () => {
    expect(parse("file=zone&origin=Example.ORG")).toEqual({ ok: true, file: "zone", origin: "example.org." });
    expect(parse("")).toEqual({ ok: true, file: "hosts", origin: undefined });
  });

  it("refuses an unknown file", () => expect(parse("file=passwd")).toMatchObject({ ok: false, status: 400 }));
});
