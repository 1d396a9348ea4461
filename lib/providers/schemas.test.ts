import { describe, expect, it } from "vitest";
import { importedSettingsSchema, networkSchema, parseJsonField, withoutSecretKeys } from "./schemas";

describe("imported settings", () => {
  it("keep the cloud_config but never its account secret (it travels sealed, as importedAccountSecret)", () => {
    const secret = "0123456789abcdef0123456789abcdef";
    const parsed = importedSettingsSchema.parse({
      name: "lab",
      cloudConfig: {
        network: { topology: "External Router Topology", dns_nameservers: ["8.8.8.8"] },
        user: { admin_role_name: "admin", user_role_name: "member", domain: "default", secret },
        deploy: { hostname_format: "vm%(four)s.example.org" },
        group_vars: { DB_PASSWORD: "hunter22", TIMEZONE: "UTC" },
      },
    });
    expect(parsed.cloudConfig).toEqual({
      network: { topology: "External Router Topology", dns_nameservers: ["8.8.8.8"] },
      user: { admin_role_name: "admin", user_role_name: "member", domain: "default" },
      deploy: { hostname_format: "vm%(four)s.example.org" },
      group_vars: { TIMEZONE: "UTC" },
    });
    expect(JSON.stringify(parsed)).not.toContain(secret);
    expect(JSON.stringify(parsed)).not.toContain("hunter22");
  });

  it("strips secret-looking keys at any depth, in arrays too", () => {
    expect(withoutSecretKeys({ a: [{ token: "t", ok: 1 }], Password: "p", application_credential_secret: "s", keep: "k" })).toEqual({
      a: [{ ok: 1 }],
      keep: "k",
    });
  });
});

describe("JSON form fields", () => {
  it("parse JSON, and leave anything else for the schema to refuse (never throw)", () => {
    expect(parseJsonField('[["TCP", 22, 22]]')).toEqual([["TCP", 22, 22]]);
    expect(parseJsonField("{not json")).toBe("{not json");
    const r = networkSchema.safeParse({ topology: "External Network Topology", externalNetwork: "public", dnsNameservers: "8.8.8.8", securityRules: "{not json" });
    expect(r.success).toBe(false);
  });
});
