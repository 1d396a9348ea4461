import { describe, expect, it } from "vitest";
import { passwordProblem } from "@/lib/auth/password";
import { generatePassword } from "./generate-password";
import {
  createUserSchema,
  emailSchema,
  setActiveSchema,
  setPasswordProblems,
  setPasswordSchema,
  setRoleSchema,
  userListParamsSchema,
  usernameSchema,
} from "./schemas";

const errorsOf = (r: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) =>
  r.success ? {} : Object.fromEntries(r.error!.issues.map((i) => [i.path.join("."), i.message]));

describe("usernameSchema", () => {
  it.each([
    ["cmart", "cmart"],
    ["  cmart  ", "cmart"],
    ["C.Mart_2-x", "C.Mart_2-x"],
    ["a", "a"],
    ["9", "9"],
    ["x".repeat(150), "x".repeat(150)],
    ["...", "..."],
  ])("accepts %j", (input, out) => {
    expect(usernameSchema.parse(input)).toBe(out);
  });

  it.each([
    ["", "Enter a username."],
    ["   ", "Enter a username."],
    ["x".repeat(151), "Usernames are at most 150 characters; this one has 151."],
    // Pasted, never cut to 150 by the browser: refused with both lengths.
    ["x".repeat(300), "Usernames are at most 150 characters; this one has 300."],
    ["c mart", "Use only letters"],
    ["cmart@example.org", "Use only letters"],
    ["c+mart", "Use only letters"],
    ["cmärt", "Use only letters"],
    ["c/mart", "Use only letters"],
    ["drop;table", "Use only letters"],
  ])("refuses %j", (input, message) => {
    const r = usernameSchema.safeParse(input);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toContain(message);
  });

  it("refuses a missing username with the same message", () => {
    expect(usernameSchema.safeParse(undefined).error?.issues[0].message).toBe("Enter a username.");
  });
});

describe("emailSchema", () => {
  it.each([
    ["", undefined],
    ["   ", undefined],
    [undefined, undefined],
    ["a@example.org", "a@example.org"],
    [" A.B@Example.org ", "A.B@Example.org"],
  ])("accepts %j", (input, out) => {
    expect(emailSchema.parse(input)).toBe(out);
  });

  it.each(["not-an-email", "a@", "@example.org", "a b@example.org", `${"a".repeat(250)}@example.org`])("refuses %j", (input) => {
    expect(emailSchema.safeParse(input).success).toBe(false);
  });
});

describe("createUserSchema", () => {
  it("defaults to a generated password and drops blank optional fields", () => {
    expect(createUserSchema.parse({ username: "cmart", email: "", displayName: " ", password: "" })).toEqual({
      username: "cmart",
      passwordMode: "generate",
    });
  });

  it("keeps a display name and email", () => {
    expect(createUserSchema.parse({ username: "cmart", email: "c@example.org", displayName: " C. Mart " })).toMatchObject({
      email: "c@example.org",
      displayName: "C. Mart",
    });
  });

  it.each([
    [{ passwordMode: "set" }, { password: "Type a password, or choose to generate one." }],
    [{ passwordMode: "set", password: "short" }, { password: "Use at least 12 characters." }],
    [{ passwordMode: "set", password: "alllowercaseletters" }, { password: "Mix at least three of: lower case, upper case, digits, symbols." }],
    [{ passwordMode: "set", password: "Cmart-is-9-long" }, { password: "Do not include the username." }],
    [{ passwordMode: "set", password: "Strong-Pass-123", confirmPassword: "Strong-Pass-124" }, { confirmPassword: "The two passwords differ." }],
    [{ passwordMode: "bogus" }, { passwordMode: "Choose how to set the password." }],
  ])("refuses password input %j", (extra, errors) => {
    expect(errorsOf(createUserSchema.safeParse({ username: "cmart", ...extra }))).toEqual(errors);
  });

  it("accepts a strong typed password, repeated or not, and no password at all", () => {
    expect(createUserSchema.safeParse({ username: "cmart", passwordMode: "set", password: "Strong-Pass-123" }).success).toBe(true);
    expect(
      createUserSchema.safeParse({ username: "cmart", passwordMode: "set", password: "Strong-Pass-123", confirmPassword: "Strong-Pass-123" }).success,
    ).toBe(true);
    // A password typed while "generate" or "none" is chosen is ignored, not checked.
    expect(createUserSchema.safeParse({ username: "cmart", passwordMode: "none", password: "x" }).success).toBe(true);
  });

  it("reports every bad field at once", () => {
    expect(Object.keys(errorsOf(createUserSchema.safeParse({ username: "no spaces", email: "nope" })))).toEqual(["username", "email"]);
  });
});

describe("setPasswordSchema and setPasswordProblems", () => {
  it("coerces the user id from a form and defaults to generate", () => {
    expect(setPasswordSchema.parse({ userId: "42" })).toEqual({ userId: 42, passwordMode: "generate" });
  });

  it.each(["", "0", "-1", "1.5", "abc"])("refuses the user id %j", (userId) => {
    expect(setPasswordSchema.safeParse({ userId }).success).toBe(false);
  });

  it("refuses 'none': removing a password is not a password change", () => {
    expect(setPasswordSchema.safeParse({ userId: 1, passwordMode: "none" }).success).toBe(false);
  });

  it("checks a typed password against the target's username", () => {
    const input = setPasswordSchema.parse({ userId: 1, passwordMode: "set", password: "Jdoe-Password-1" });
    expect(setPasswordProblems(input, "jdoe")).toEqual({ password: ["Do not include the username."] });
    expect(setPasswordProblems(input, "cmart")).toBeNull();
    expect(setPasswordProblems(setPasswordSchema.parse({ userId: 1 }), "cmart")).toBeNull();
  });
});

describe("setActiveSchema and setRoleSchema", () => {
  it.each([
    [{ userId: "3", active: "true" }, { userId: 3, active: true }],
    [{ userId: 3, active: false }, { userId: 3, active: false }],
  ])("parses %j", (input, out) => {
    expect(setActiveSchema.parse(input)).toEqual(out);
  });

  it.each([
    [{ userId: "3", role: "staff", grant: "true" }, { userId: 3, role: "staff", grant: true }],
    [{ userId: "3", role: "superuser", grant: "false" }, { userId: 3, role: "superuser", grant: false }],
  ])("parses %j", (input, out) => {
    expect(setRoleSchema.parse(input)).toEqual(out);
  });

  it.each([{ userId: 3, role: "admin", grant: true }, { userId: 3, role: "staff", grant: "yes" }, { userId: 3, role: "staff" }])(
    "refuses %j",
    (input) => {
      expect(setRoleSchema.safeParse(input).success).toBe(false);
    },
  );
});

describe("userListParamsSchema", () => {
  it.each([
    [{}, { page: 1 }],
    [{ q: "  smi ", page: "3" }, { q: "smi", page: 3 }],
    [{ q: "", page: "0" }, { page: 1 }],
    [{ q: ["a", "b"], page: "x" }, { page: 1 }],
    [{ role: "staff", status: "inactive" }, { role: "staff", status: "inactive", page: 1 }],
    [{ role: "root", status: "gone" }, { page: 1 }],
  ])("reads %j", (input, out) => {
    const parsed = userListParamsSchema.parse(input);
    expect(Object.fromEntries(Object.entries(parsed).filter(([, v]) => v !== undefined))).toEqual(out);
  });
});

describe("generatePassword", () => {
  it("makes distinct passwords that pass the strength rules", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const p = generatePassword("ab");
      expect(p).toHaveLength(20);
      expect(passwordProblem(p, "ab")).toBeNull();
      expect(p).toMatch(/^[A-Za-z0-9\-_.!@#%+=]+$/);
      seen.add(p);
    }
    expect(seen.size).toBe(200);
  });

  it("never contains the username, even a one-letter one", () => {
    for (let i = 0; i < 100; i++) expect(generatePassword("a").toLowerCase()).not.toContain("a");
  });
});
