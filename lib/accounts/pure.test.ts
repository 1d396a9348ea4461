import { describe, expect, it } from "vitest";
import { parseOpenrc } from "@/lib/openstack/testing/env";
import { deriveAccountPassword } from "@/lib/domain/account-password";
import { DEFAULT_SECURITY_RULES } from "@/lib/domain/security-rules";
import { accountSettingsOf, identityClientOptions } from "./config";
import { buildOpenrc, openrcFileName } from "./openrc";
import { parseUsernameList } from "./usernames";

const SECRET = "0123456789abcdef0123456789abcdef";

describe("parseUsernameList", () => {
  it("splits on commas, new lines, spaces and semicolons, keeps order, drops duplicates", () => {
    expect(parseUsernameList("cmart, alice\nbob;; carol\r\n  Alice ,cmart\n")).toEqual({
      usernames: ["cmart", "alice", "bob", "carol"],
      invalid: [],
    });
  });
  it("refuses names Keystone should not get", () => {
    expect(parseUsernameList("ok.user, -dash, bad/slash, émile, x@lab.org")).toEqual({
      usernames: ["ok.user", "x@lab.org"],
      invalid: ["-dash", "bad/slash", "émile"],
    });
    expect(parseUsernameList("  \n, ")).toEqual({ usernames: [], invalid: [] });
    expect(parseUsernameList("a".repeat(65)).invalid).toHaveLength(1);
  });
});

describe("accountSettingsOf", () => {
  const base = { publicRouters: ["public_router"], networkName: "public" };
  it("reads add_new_provider's cloud_config, with tuple rules", () => {
    const s = accountSettingsOf({
      ...base,
      cloudConfig: {
        network: { topology: "External Network Topology", dns_nameservers: ["8.8.8.8"], default_security_rules: [["TCP", 22, 22], ["icmp", -1, -1, "10.0.0.0/8"], ["BAD", 1, 2]] },
        user: { admin_role_name: "admin", user_role_name: "member", domain: "Default" },
      },
    });
    expect(s).toMatchObject({ topology: "External Network Topology", dnsNameservers: ["8.8.8.8"], userRoleName: "member", domain: "Default", externalNetwork: "public" });
    expect(s.securityRules).toEqual([
      { protocol: "TCP", fromPort: 22, toPort: 22 },
      { protocol: "ICMP", fromPort: -1, toPort: -1, cidr: "10.0.0.0/8" },
    ]);
  });
  it("falls back to Atmosphere's defaults", () => {
    const s = accountSettingsOf({ ...base, cloudConfig: {} });
    expect(s).toMatchObject({ topology: "External Router Topology", adminRoleName: "admin", userRoleName: "_member_", domain: "default" });
    expect(s.securityRules).toEqual(DEFAULT_SECURITY_RULES);
    expect(accountSettingsOf({ ...base, cloudConfig: { network: { default_security_rules: [] } } }).securityRules).toEqual([]);
  });
});

describe("identityClientOptions", () => {
  const provider = { authUrl: "https://cloud.example.org:5000/v3", region: "RegionOne", caBundle: null, cloudConfig: { user: { domain: "default" } } };
  it("authenticates as the account with the derived password, scoped to its project", () => {
    const o = identityClientOptions(provider, { projectName: "cmart", projectId: "p-123" }, SECRET);
    expect(o).toMatchObject({ authUrl: provider.authUrl, region: "RegionOne", interface: "public" });
    expect(o.auth).toEqual({
      type: "password",
      username: "cmart",
      password: "d1d2d62228378ac354cc0bed758f348a50832847444fc21dcd276c3768fcd5c0",
      userDomainId: "default",
      projectId: "p-123",
    });
  });
  it("scopes by project name in a named domain when no project id is known", () => {
    const o = identityClientOptions({ ...provider, cloudConfig: { user: { domain: "Research" } } }, { projectName: "bob", username: "bob" }, SECRET);
    expect(o.auth).toEqual({
      type: "password",
      username: "bob",
      password: deriveAccountPassword("bob", SECRET),
      userDomainName: "Research",
      projectName: "bob",
      projectDomainName: "Research",
    });
  });
});

describe("buildOpenrc", () => {
  const input = { authUrl: "https://cloud.example.org:5000/v3", region: "RegionOne", username: "cmart", projectName: "cmart", projectId: "090a144b", domain: "Default", providerName: "lab" };
  it("has what the CLI needs and prompts for the password", () => {
    const text = buildOpenrc(input);
    expect(parseOpenrc(text)).toMatchObject({
      OS_AUTH_URL: input.authUrl,
      OS_PROJECT_ID: "090a144b",
      OS_PROJECT_NAME: "cmart",
      OS_USER_DOMAIN_NAME: "Default",
      OS_PROJECT_DOMAIN_NAME: "Default",
      OS_USERNAME: "cmart",
      OS_REGION_NAME: "RegionOne",
      OS_INTERFACE: "public",
      OS_IDENTITY_API_VERSION: "3",
    });
    expect(text).toContain("read -sr OS_PASSWORD_INPUT\nexport OS_PASSWORD=$OS_PASSWORD_INPUT");
    expect(text).not.toContain(deriveAccountPassword("cmart", SECRET));
  });
  it("uses domain ids for the default domain and quotes shell characters", () => {
    const text = buildOpenrc({ ...input, domain: "default", projectId: null, projectName: 'we"ird$`x' });
    expect(text).toContain('export OS_USER_DOMAIN_ID="default"');
    expect(text).not.toContain("OS_PROJECT_ID");
    expect(text).toContain('export OS_PROJECT_NAME="we\\"ird\\$\\`x"');
  });
  it("names the file safely", () => {
    expect(openrcFileName("cmart", "My Cloud")).toBe("cmart-My-Cloud-openrc.sh");
  });
});
