import { describe, expect, it } from "vitest";
import { z } from "zod";
import { accountsSchema, connectSchema, deploySchema } from "@/lib/providers/schemas";
import { fieldLabel, invalidInputMessage } from "./form-message";

const messageOf = (schema: z.ZodType, input: unknown) => {
  const r = schema.safeParse(input);
  if (r.success) throw new Error("expected a refusal");
  return invalidInputMessage(r.error.issues);
};

describe("invalid input messages name fields by label, never by key", () => {
  it.each([
    [
      "account secret too short",
      accountsSchema,
      { adminRoleName: "admin", userRoleName: "member", domain: "default", accountSecret: "short" },
      "Check the form: the account secret must be at least 32 characters.",
    ],
    [
      "a message that does not name its field gets the label",
      deploySchema,
      { name: "has/slash", platform: "KVM", isPublic: "on", hostnameFormat: "vm%(four)s.example.org" },
      "Check the form: name — use letters, digits, spaces, dots, dashes and underscores.",
    ],
    [
      "a port out of range",
      connectSchema,
      { authUrl: "https://k.example.org:70000/v3", region: "R", authMethod: "password", username: "a", projectName: "p" },
      "Check the form: the auth URL has port 70000, outside 1–65535.",
    ],
    [
      "two fields wrong",
      connectSchema,
      { authUrl: "ftp://k/v3", region: "", authMethod: "password", username: "a", projectName: "p" },
      "Check the form: the auth URL uses ftp://; only http:// and https:// are supported. (1 more field to fix below.)",
    ],
    [
      "a v2.0 URL",
      connectSchema,
      { authUrl: "https://k.example.org:5000/v2.0", region: "R", authMethod: "password", username: "a", projectName: "p" },
      "Check the form: auth URL — Keystone v2.0 was removed in Queens; this cloud needs its v3 URL: try https://k.example.org:5000/v3.",
    ],
  ])("%s", (_what, schema, input, expected) => {
    const message = messageOf(schema as z.ZodType, input);
    expect(message).toBe(expected);
    expect(message).not.toMatch(/accountSecret|authUrl|[a-z][A-Z]\w*:/);
  });

  it("zod's own messages get the label too", () => {
    const m = messageOf(z.object({ applicationCredentialId: z.string() }), {});
    expect(m).toMatch(/^Check the form: application credential ID — invalid input/i);
  });

  it.each([
    [["accountSecret"], "account secret"],
    [["securityRules", 2, "cidr"], "cidr, item 3"],
    [["usernamesText"], "usernames"],
    [["someNewField"], "some new field"],
    [[], "form"],
  ])("label of %j is %s", (path, label) => {
    expect(fieldLabel(path)).toBe(label);
  });

  it("a form's own labels win", () => {
    expect(fieldLabel(["name"], { name: "provider name" })).toBe("provider name");
  });
});
