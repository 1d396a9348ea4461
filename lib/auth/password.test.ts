import bcrypt from "bcryptjs";
import { describe, expect, it } from "vitest";
import { hashPassword, needsRehash, passwordProblem, verifyPassword } from "./password";

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

describe("argon2id with legacy bcrypt", () => {
  it("hashes with argon2id and still verifies bcrypt hashes, which need a re-hash", async () => {
    const hash = await hashPassword("Correct-Horse-9");
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(needsRehash(hash)).toBe(false);
    const legacy = await bcrypt.hash("Correct-Horse-9", 4);
    expect(await verifyPassword("Correct-Horse-9", legacy)).toBe(true);
    expect(await verifyPassword("Correct-Horse-8", legacy)).toBe(false);
    expect(needsRehash(legacy)).toBe(true);
    expect(needsRehash("$argon2id$v=19$m=4096,t=1,p=1$abc$def")).toBe(true);
    expect(await verifyPassword("x", "$argon2id$garbage")).toBe(false);
  });
});
