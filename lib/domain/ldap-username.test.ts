import { describe, expect, it } from "vitest";
import { ldapUsernameProblem } from "./ldap-username";

describe("ldapUsernameProblem", () => {
  it.each([
    ["alice", null],
    ["a.b_c-d@uni", null],
    ["9lives", null],
    ["", "empty"],
    ["bad/ name", expect.stringContaining("only letters")],
    ["-dash", expect.stringContaining("only letters")],
    ["x\u0000y", expect.stringContaining("only letters")],
    ["é", expect.stringContaining("only letters")],
    ["a".repeat(65), "longer than 64 characters"],
  ])("%j → %j", (name, expected) => expect(ldapUsernameProblem(name)).toEqual(expected));
});
