import { describe, expect, it } from "vitest";
import { deploySchema, importedSettingsSchema, networkSchema, parseJsonField, withoutSecretKeys } from "./schemas";

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

describe("deploy step / edit form: hostnames must be DNS names", () => {
  const deploy = (over: Record<string, unknown>) => deploySchema.safeParse({ name: "lab", platform: "KVM", isPublic: "on", hostnameFormat: "vm%(four)s.example.org", ...over });
  const messages = (r: ReturnType<typeof deploy>, field: string) => (r.success ? [] : r.error.issues.filter((i) => i.path[0] === field).map((i) => i.message));

  it.each([
    ["vm%(four)s ansible_ssh_common_args='-o ProxyCommand=touch /tmp/x'"],
    ["vm%(four)s.example.org\nevil ansible_host=6.6.6.6"],
    ["vm%(four)s\n$ORIGIN evil."],
    ["vm%(four)s;x"],
    [`${"a".repeat(62)}%(four)s.org`],
  ])("refuses the format %j with the rule and a valid example", (hostnameFormat) => {
    const r = deploy({ hostnameFormat });
    expect(r.success).toBe(false);
    expect(messages(r, "hostnameFormat").join(" ")).toContain("Hostnames must be DNS names, e.g. vm%(four)s.cloud.example.org");
  });

  it.each([["cloud example.org"], ["x\n$ORIGIN evil."], ["a;b"]])("refuses the %%(domain)s value %j", (instanceDomain) => {
    const r = deploy({ hostnameFormat: "vm%(four)s.%(domain)s", instanceDomain });
    expect(r.success).toBe(false);
    expect(messages(r, "instanceDomain").join(" ")).toMatch(/is not a DNS name/);
  });

  it("refuses a format and domain that are fine alone but too long together", () => {
    const r = deploy({ hostnameFormat: `${"a".repeat(50)}%(four)s.%(domain)s`, instanceDomain: Array.from({ length: 4 }, () => "b".repeat(50)).join(".") });
    expect(messages(r, "hostnameFormat").join(" ")).toMatch(/longer than 253/);
  });

  it("accepts DNS names", () => {
    expect(deploy({ hostnameFormat: "vm%(four)s.%(domain)s", instanceDomain: "cloud.example.org" }).success).toBe(true);
    expect(deploy({ hostnameFormat: "%(one)s.%(two)s.%(three)s.%(four)s" }).success).toBe(true);
  });
});
