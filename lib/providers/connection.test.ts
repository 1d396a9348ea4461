import { describe, expect, it } from "vitest";
import { deriveAccountPassword } from "@/lib/domain/account-password";
import { DEFAULT_SECURITY_RULES } from "@/lib/domain/security-rules";
import {
  accountClientOptions,
  accountSettings,
  clientOptions,
  CLOUD_CONFIG_DEFAULTS,
  credentialSecretOf,
  credentialSecrets,
  importedStepValues,
  providerColumns,
  readCloudConfig,
  settingsOf,
  storedClientOptions,
  type ProviderSettingsRow,
} from "./connection";
import { connectSchema } from "./schemas";

const SECRET = "0123456789abcdef0123456789abcdef";

const ROW: ProviderSettingsRow = {
  name: "cloud-a",
  platform: "KVM",
  isPublic: true,
  authUrl: "https://keystone.example.org:5000/v3",
  adminUrl: null,
  region: "RegionOne",
  authMethod: "password",
  adminUsername: "admin",
  adminProjectName: null,
  adminProjectId: "6f1e0d9c8b7a",
  userDomainName: "Default",
  projectDomainName: "Default",
  userDomainId: "default",
  projectDomainId: null,
  applicationCredentialId: null,
  networkName: "public",
  publicRouters: ["r1"],
  cloudConfig: {
    network: { topology: "External Router Topology", dns_nameservers: ["8.8.8.8"], default_security_rules: [["tcp", 22, 22]] },
    user: { admin_role_name: "admin", user_role_name: "member", domain: "default" },
    deploy: { hostname_format: "vm%(four)s.example.org" },
    group_vars: { TIMEZONE: "UTC" },
  },
  caBundle: null,
};

const DEFAULT_TUPLES = DEFAULT_SECURITY_RULES.map((r) => [r.protocol, r.fromPort, r.toPort]);

describe("importedStepValues: the wizard's steps pre-filled from an imported file, through the one reader", () => {
  it("an explicit empty rule list stays empty; a missing one gets the 14 defaults; missing DNS gets none", () => {
    expect(importedStepValues({ cloudConfig: { network: { default_security_rules: [] } } }).network.securityRules).toEqual([]);
    const missing = importedStepValues({ cloudConfig: { network: {} } }).network;
    expect(missing.securityRules).toEqual(DEFAULT_SECURITY_RULES);
    expect(missing.dnsNameservers).toEqual(CLOUD_CONFIG_DEFAULTS.dnsNameservers);
    expect(missing.dnsNameservers).toEqual([]);
  });

  it("reads every step as readCloudConfig reads a stored provider", () => {
    const imported = {
      name: "cloud-a",
      platform: "Xen" as const,
      isPublic: false,
      networkName: "public",
      publicRouters: ["r1"],
      cloudConfig: {
        network: { topology: "External Network Topology", dns_nameservers: ["9.9.9.9"], default_security_rules: [["tcp", 22, 22]] },
        user: { admin_role_name: "cloud_admin", user_role_name: "member", domain: "users", federation: { idp: "sso", protocol: "openid" } },
        deploy: { hostname_format: "vm%(four)s.example.org", domain: "example.org" },
      },
    };
    expect(importedStepValues(imported)).toEqual({
      network: {
        topology: "External Network Topology",
        publicRouters: ["r1"],
        externalNetwork: "public",
        dnsNameservers: ["9.9.9.9"],
        securityRules: [{ protocol: "TCP", fromPort: 22, toPort: 22 }],
      },
      accounts: { adminRoleName: "cloud_admin", userRoleName: "member", domain: "users", federationIdp: "sso", federationProtocol: "openid" },
      deploy: { name: "cloud-a", platform: "Xen", isPublic: false, hostnameFormat: "vm%(four)s.example.org", instanceDomain: "example.org" },
    });
  });

  it("no imported file: the reader's defaults", () => {
    const cc = readCloudConfig({});
    expect(importedStepValues(undefined)).toEqual({
      network: { topology: cc.network.topology, publicRouters: [], externalNetwork: undefined, dnsNameservers: [], securityRules: DEFAULT_SECURITY_RULES },
      accounts: { adminRoleName: "admin", userRoleName: "_member_", domain: "default" },
      deploy: { name: "", platform: "KVM", isPublic: true, hostnameFormat: cc.deploy.hostname_format, instanceDomain: undefined },
    });
  });
});

describe("readCloudConfig: the one reader, with one set of defaults", () => {
  it.each([
    ["null", null],
    ["an empty object", {}],
    ["empty sections", { network: {}, user: {}, deploy: {} }],
    ["blank strings", { user: { admin_role_name: " ", user_role_name: "", domain: "  " }, deploy: { hostname_format: "" } }],
    ["wrong types", { network: { topology: 7, dns_nameservers: "8.8.8.8", default_security_rules: "tcp" }, user: [] }],
    ["a JSON string of an empty object", "{}"],
    ["text that is not JSON", "{not json"],
  ])("fills what %s leaves out", (_what, raw) => {
    expect(readCloudConfig(raw)).toEqual({
      network: { topology: "External Router Topology", dns_nameservers: [], default_security_rules: DEFAULT_TUPLES },
      user: { admin_role_name: "admin", user_role_name: "_member_", domain: "default" },
      deploy: { hostname_format: "%(one)s.%(two)s.%(three)s.%(four)s" },
    });
  });

  it("missing security rules are Atmosphere's 14 defaults; an explicit empty list means none", () => {
    expect(CLOUD_CONFIG_DEFAULTS.securityRules).toHaveLength(14);
    expect(readCloudConfig({ network: {} }).network.default_security_rules).toHaveLength(14);
    expect(readCloudConfig({ network: { default_security_rules: [] } }).network.default_security_rules).toEqual([]);
  });

  it("normalizes rules and drops ones that no longer validate", () => {
    const cc = readCloudConfig({
      network: { default_security_rules: [["tcp", 22, 23], ["TCP", 0, 99999], { protocol: "udp", fromPort: 53, toPort: 53 }, ["icmp", -1, -1, "10.0.0.0/8"], ["BAD", 1, 2]] },
    });
    expect(cc.network.default_security_rules).toEqual([
      ["TCP", 22, 23],
      ["UDP", 53, 53],
      ["ICMP", -1, -1, "10.0.0.0/8"],
    ]);
  });

  it("reads a cloud_config stored as a JSON string, and trims values", () => {
    const cc = readCloudConfig(JSON.stringify({ network: { topology: "External Network Topology", dns_nameservers: [" 1.1.1.1 ", ""] }, user: { domain: " Research " } }));
    expect(cc.network.topology).toBe("External Network Topology");
    expect(cc.network.dns_nameservers).toEqual(["1.1.1.1"]);
    expect(cc.user.domain).toBe("Research");
  });

  it("the account settings and the wizard's settings read the same defaults", () => {
    const row = { ...ROW, cloudConfig: {} };
    const a = accountSettings(row);
    const s = settingsOf(row);
    expect(a.securityRules).toEqual(DEFAULT_SECURITY_RULES);
    expect(s.network.securityRules).toEqual(a.securityRules);
    expect([s.accounts.adminRoleName, s.accounts.userRoleName, s.accounts.domain]).toEqual([a.adminRoleName, a.userRoleName, a.domain]);
    expect(s.network.topology).toBe(a.topology);
  });
});

describe("columns ↔ settings", () => {
  it("settingsOf then providerColumns gives the row back (ids included), keeping unedited cloud_config keys", () => {
    const cols = providerColumns(settingsOf(ROW), ROW.cloudConfig);
    expect(cols).toMatchObject({
      name: ROW.name,
      authUrl: ROW.authUrl,
      adminUsername: "admin",
      adminProjectName: null,
      adminProjectId: "6f1e0d9c8b7a",
      userDomainId: "default",
      projectDomainId: null,
      publicRouters: ["r1"],
      networkName: "public",
    });
    expect((cols.cloudConfig as Record<string, unknown>).group_vars).toEqual({ TIMEZONE: "UTC" });
    expect(settingsOf({ ...ROW, ...cols })).toEqual(settingsOf(ROW));
  });

  it("an application credential keeps no admin project and a password none of the credential id", () => {
    const s = settingsOf(ROW);
    const app = providerColumns({ ...s, connect: { ...s.connect, authMethod: "application_credential", applicationCredentialId: "ac-1", projectName: "p" } });
    expect(app).toMatchObject({ authMethod: "application_credential", applicationCredentialId: "ac-1", adminProjectId: null, adminProjectName: null });
    const pw = providerColumns({ ...s, connect: { ...s.connect, applicationCredentialId: "stale" } });
    expect(pw.applicationCredentialId).toBeNull();
  });

  it("the External Network Topology stores no public routers", () => {
    const s = settingsOf(ROW);
    expect(providerColumns({ ...s, network: { ...s.network, topology: "External Network Topology" } }).publicRouters).toEqual([]);
  });
});

describe("client options", () => {
  it("a stored provider with only a project id is scoped by that id (not unscoped)", () => {
    const o = storedClientOptions(ROW, "pw");
    expect(o.auth).toEqual({ type: "password", username: "admin", password: "pw", userDomainId: "default", projectId: "6f1e0d9c8b7a" });
  });

  it.each([
    ["names only", {}, { userDomainName: "Default", projectName: "admin", projectDomainName: "Default" }],
    ["domain ids win over names", { userDomainId: "d-u", projectDomainId: "d-p" }, { userDomainId: "d-u", projectName: "admin", projectDomainId: "d-p" }],
    ["a project id wins over the name and needs no domain", { projectId: "p-1", projectDomainId: "d-p" }, { userDomainName: "Default", projectId: "p-1" }],
  ])("the connect form's fields: %s", (_what, extra, expected) => {
    const conn = connectSchema.parse({ authUrl: "https://k.example.org:5000/v3", region: "RegionOne", authMethod: "password", username: "admin", projectName: "admin", ...extra });
    expect(clientOptions(conn, { password: "pw" }).auth).toEqual({ type: "password", username: "admin", password: "pw", ...expected });
  });

  it("chooses the secret by sign-in method, both ways", () => {
    expect(credentialSecrets("password", "x")).toEqual({ password: "x" });
    expect(credentialSecrets("application_credential", "x")).toEqual({ applicationCredentialSecret: "x" });
    expect(credentialSecretOf("password", { password: "a", applicationCredentialSecret: "b" })).toBe("a");
    expect(credentialSecretOf("application_credential", { password: "a", applicationCredentialSecret: "b" })).toBe("b");
    const app = storedClientOptions({ ...ROW, authMethod: "application_credential", applicationCredentialId: "ac-1" }, "sec");
    expect(app.auth).toEqual({ type: "applicationCredential", id: "ac-1", secret: "sec" });
  });
});

describe("accountClientOptions", () => {
  const provider = { authUrl: "https://cloud.example.org:5000/v3", region: "RegionOne", caBundle: null, cloudConfig: { user: { domain: "default" } } };
  it("authenticates as the account with the derived password, scoped to its project", () => {
    const o = accountClientOptions(provider, { projectName: "cmart", projectId: "p-123" }, SECRET);
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
    const o = accountClientOptions({ ...provider, cloudConfig: { user: { domain: "Research" } } }, { projectName: "bob", username: "bob" }, SECRET);
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

describe("the Keystone federation setting lives in cloud_config.user.federation", () => {
  const fedRow: ProviderSettingsRow = {
    ...ROW,
    cloudConfig: { ...(ROW.cloudConfig as object), user: { admin_role_name: "admin", user_role_name: "member", domain: "default", federation: { idp: "egi.eu", protocol: "openid" } } },
  };

  it("reads it into the settings and the account settings, and writes it back", () => {
    expect(readCloudConfig(fedRow.cloudConfig).user.federation).toEqual({ idp: "egi.eu", protocol: "openid" });
    const s = settingsOf(fedRow);
    expect(s.accounts).toMatchObject({ federationIdp: "egi.eu", federationProtocol: "openid" });
    expect(accountSettings({ cloudConfig: fedRow.cloudConfig, publicRouters: [], networkName: null }).federation).toEqual({ idp: "egi.eu", protocol: "openid" });
    expect(providerColumns(s, fedRow.cloudConfig).cloudConfig.user).toEqual({ admin_role_name: "admin", user_role_name: "member", domain: "default", federation: { idp: "egi.eu", protocol: "openid" } });
  });

  it("clearing it in the settings removes it; an unvalidated stored id reads as not federated", () => {
    const s = settingsOf(fedRow);
    const cleared = { ...s, accounts: { ...s.accounts, federationIdp: undefined, federationProtocol: undefined } };
    expect(providerColumns(cleared, fedRow.cloudConfig).cloudConfig.user).not.toHaveProperty("federation");
    const bad = { ...ROW.cloudConfig as object, user: { domain: "default", federation: { idp: "../users", protocol: "openid" } } };
    expect(readCloudConfig(bad).user.federation).toBeUndefined();
    expect(settingsOf(ROW).accounts.federationIdp).toBeUndefined();
  });
});
