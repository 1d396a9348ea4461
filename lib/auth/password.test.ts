import { describe, expect, it } from "vitest";
import { hashPassword, passwordProblem, verifyPassword } from "./password";

describe("passwordProblem", () => {
  it.each([
    ["short1A!", "at least 12"],
    ["alllowercaseletters", "three of"],
    ["lowercase12345", "three of"],
    ["Admin-Password-1", "username"],
  ])("%s is refused (%s)", (pw, msg) => {
    expect(passwordProblem(pw, "admin")).toContain(msg);
  });

  it.each(["Correct-Horse-9", "abcdefghij1!", "ABCDEFGHIJK1a"])("%s is accepted", (pw) => {
    expect(passwordProblem(pw, "cmart")).toBeNull();
  });
});

describe("hashPassword", () => {
  it("verifies the right password only", async () => {
    const hash = await hashPassword("Correct-Horse-9");
    expect(hash).not.toContain("Correct-Horse-9");
    expect(await verifyPassword("Correct-Horse-9", hash)).toBe(true);
    expect(await verifyPassword("correct-horse-9", hash)).toBe(false);
    expect(await verifyPassword("x", null)).toBe(false);
  });
});
