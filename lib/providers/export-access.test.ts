import { describe, expect, it } from "vitest";
import { checkExportRequest } from "./export-access";

const STAFF = { isStaff: true, isSuperuser: false, isActive: true };
const NOW = Date.parse("2026-11-01T12:00:00Z");
// Signed in two minutes ago: fresh enough for a secrets export.
const SUPER = { isStaff: true, isSuperuser: true, isActive: true, authTime: NOW - 2 * 60_000 };
const PORTAL_USER = { isStaff: false, isSuperuser: false, isActive: true };
const q = (s: string) => new URLSearchParams(s);

describe("checkExportRequest", () => {
  it("lets staff download the plain files", () => {
    expect(checkExportRequest(STAFF, "4", q(""), null)).toEqual({ ok: true, id: 4, format: "json", withSecrets: false });
    expect(checkExportRequest(STAFF, "4", q("format=clouds.yaml"), null)).toMatchObject({ ok: true, format: "clouds.yaml" });
    expect(checkExportRequest(STAFF, "4", q("format=ca.pem&secrets=1"), null)).toMatchObject({ ok: true, withSecrets: false });
  });

  it.each([
    ["no session", null, "4", "", 401],
    ["a portal user", PORTAL_USER, "4", "", 403],
    ["an inactive superuser", { ...SUPER, isActive: false }, "4", "", 403],
    ["a bad id", STAFF, "4x", "", 404],
    ["a huge id", STAFF, "99999999999999999999", "", 404],
    ["an unknown format", STAFF, "4", "format=xml", 400],
  ])("refuses %s", (_what, user, id, query, status) => {
    expect(checkExportRequest(user, id, q(query), null)).toMatchObject({ ok: false, status });
  });

  it("keeps secrets to superusers who confirm, from the same site", () => {
    expect(checkExportRequest(STAFF, "4", q("secrets=1&confirm=1"), null)).toMatchObject({
      ok: false,
      status: 403,
      message: "Only a superuser can export a provider with its secrets.",
    });
    expect(checkExportRequest(SUPER, "4", q("secrets=1"), null)).toMatchObject({ ok: false, status: 400 });
    expect(checkExportRequest(SUPER, "4", q("secrets=1&confirm=yes"), null)).toMatchObject({ ok: false, status: 400 });
    expect(checkExportRequest(SUPER, "4", q("secrets=1&confirm=1"), "cross-site")).toMatchObject({ ok: false, status: 403 });
    expect(checkExportRequest(SUPER, "4", q("secrets=1&confirm=1"), "same-site")).toMatchObject({ ok: false, status: 403 });
    for (const site of [null, "same-origin", "none"]) {
      expect(checkExportRequest(SUPER, "4", q("format=clouds.yaml&secrets=1&confirm=1"), site, NOW)).toEqual({
        ok: true,
        id: 4,
        format: "clouds.yaml",
        withSecrets: true,
      });
    }
  });

  it("asks for the password again when the sign-in is older than 10 minutes", () => {
    const stale = { ...SUPER, authTime: NOW - 11 * 60_000 };
    for (const who of [stale, { ...SUPER, authTime: null }, { ...SUPER, authTime: undefined }]) {
      expect(checkExportRequest(who, "4", q("secrets=1&confirm=1"), "same-origin", NOW)).toMatchObject({
        ok: false,
        status: 403,
        message: expect.stringMatching(/^Confirm your password to continue/),
      });
    }
    // A plain export needs no fresh sign-in.
    expect(checkExportRequest(stale, "4", q(""), null, NOW)).toMatchObject({ ok: true, withSecrets: false });
  });
});
