import { describe, expect, it } from "vitest";
import { groupsClaim, parseGroupList, passwordSignInRefused, rolesFromGroups } from "./sso-groups";

describe("parseGroupList", () => {
  it.each([
    [undefined, undefined],
    ["", undefined],
    [" , ,", undefined],
    ["cloudport-staff", ["cloudport-staff"]],
    [" a, b ,a,", ["a", "b"]],
  ])("%j → %j", (raw, expected) => expect(parseGroupList(raw)).toEqual(expected));
});

describe("groupsClaim", () => {
  it.each([
    [undefined, []],
    [{}, []],
    [{ groups: "staff" }, ["staff"]],
    [{ groups: ["a", 3, null, "", "b"] }, ["a", "b"]],
    [{ groups: { 0: "staff" } }, []],
    [{ groups: 7 }, []],
  ])("%j → %j", (profile, expected) => expect(groupsClaim(profile as never)).toEqual(expected));

  it("reads only the groups claim, never profile fields a person controls", () => {
    expect(groupsClaim({ name: "cloudport-staff", preferred_username: "cloudport-admins" } as never)).toEqual([]);
  });
});

describe("rolesFromGroups", () => {
  const both = { staffGroups: ["cloudport-staff"], superuserGroups: ["cloudport-admins"] };
  it.each([
    [["cloudport-staff"], both, { isStaff: true, isSuperuser: false }],
    [["cloudport-admins"], both, { isStaff: false, isSuperuser: true }],
    [[], both, { isStaff: false, isSuperuser: false }],
    [["Cloudport-Staff"], both, { isStaff: false, isSuperuser: false }],
    [["cloudport-staff"], {}, {}],
    [["cloudport-staff"], { staffGroups: ["x", "cloudport-staff"] }, { isStaff: true }],
    [["cloudport-admins"], { superuserGroups: ["cloudport-admins"] }, { isSuperuser: true }],
  ])("%j with %j → %j", (groups, config, expected) => expect(rolesFromGroups(groups, config)).toEqual(expected));
});

describe("passwordSignInRefused", () => {
  const groups = { staffGroups: ["s"], superuserGroups: ["a"] };
  it.each([
    { user: { oidcSubject: "x", isStaff: true, isSuperuser: false }, config: groups, refused: true },
    { user: { oidcSubject: "x", isStaff: false, isSuperuser: true }, config: { superuserGroups: ["a"] }, refused: true },
    { user: { oidcSubject: "x", isStaff: true, isSuperuser: false }, config: { superuserGroups: ["a"] }, refused: false },
    { user: { oidcSubject: "x", isStaff: false, isSuperuser: false }, config: groups, refused: false },
    { user: { oidcSubject: null, isStaff: true, isSuperuser: true }, config: groups, refused: false },
    { user: { oidcSubject: "x", isStaff: true, isSuperuser: true }, config: {}, refused: false },
  ])("$user with $config → $refused", ({ user, config, refused }) => {
    expect(passwordSignInRefused(user, config)).toBe(refused);
  });
});

