import { describe, expect, it } from "vitest";
import { can, roleOf } from "./permissions";

const u = (isStaff: boolean, isSuperuser: boolean, isActive = true) => ({ isStaff, isSuperuser, isActive });

describe("permissions", () => {
  it("gives portal users nothing", () => {
    expect(roleOf(u(false, false))).toBe("none");
    expect(can(u(false, false), "console.view")).toBe(false);
  });
  it("lets staff run the console but not grant roles", () => {
    expect(can(u(true, false), "providers.manage")).toBe(true);
    expect(can(u(true, false), "users.grant_roles")).toBe(false);
    expect(can(u(true, false), "ldap.manage")).toBe(false);
    expect(can(u(true, false), "accounts.manage")).toBe(true);
  });
  it("lets superusers grant roles, even without the staff flag", () => {
    expect(can(u(false, true), "users.grant_roles")).toBe(true);
    expect(can(u(false, true), "ldap.manage")).toBe(true);
  });
  it("gives inactive users nothing", () => {
    expect(can(u(true, true, false), "console.view")).toBe(false);
  });
});
