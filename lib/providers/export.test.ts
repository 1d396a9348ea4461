import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { parseCloudsYaml, parseProviderJson, type ProviderDraft } from "@/lib/domain/credentials-import";
import { buildCloudsYaml, buildProviderJson, exportFileName, providerJsonText, type ExportSecrets } from "./export";
import { accountsSchema, connectSchema, deploySchema, networkSchema } from "./schemas";
import { settingsOf, type ProviderSettingsRow } from "./connection";
import type { ProviderSettings } from "./settings";

const CA = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2xvdWRwb3J0\n-----END CERTIFICATE-----";

const SEEDLIKE: ProviderSettingsRow = {
  name: "my-awesome-cloud",
  platform: "KVM",
  isPublic: true,
  authUrl: "https://myawesomecloud.org:5000/v3",
  adminUrl: "https://myawesomecloud.org:35357/v3",
  region: "RegionOne",
  authMethod: "password",
  adminUsername: "atmoadmin",
  adminProjectName: "atmoadmin",
  adminProjectId: null,
  userDomainName: "Default",
  projectDomainName: "Default",
  userDomainId: null,
  projectDomainId: null,
  applicationCredentialId: null,
  networkName: "public",
  publicRouters: ["public_router", "public_router_2"],
  cloudConfig: {
    network: {
      topology: "External Router Topology",
      dns_nameservers: ["8.8.8.8", "8.8.4.4"],
      default_security_rules: [
        ["ICMP", -1, -1],
        ["TCP", 22, 23],
        ["TCP", 1024, 65535, "10.0.0.0/8"],
      ],
    },
    user: { admin_role_name: "admin", user_role_name: "_member_", domain: "default" },
    deploy: { hostname_format: "vm%(four)s.mysuperspecialcloud.org" },
  },
  caBundle: null,
};

const VARIANTS: Array<[string, ProviderSettingsRow]> = [
  ["the seed's shape (password, External Router Topology)", SEEDLIKE],
  [
    "a project and domains by id (Horizon's openrc)",
    { ...SEEDLIKE, adminProjectName: null, adminProjectId: "0f3c2a9b8d7e4f6a", userDomainId: "default", projectDomainId: "3d2c1b0a" },
  ],
  [
    "an application credential, Xen, private, External Network Topology, CA bundle, instance domain, odd name",
    {
      ...SEEDLIKE,
      name: "Lab B 2.0",
      platform: "Xen",
      isPublic: false,
      adminUrl: null,
      authMethod: "application_credential",
      adminUsername: null,
      adminProjectName: null,
      userDomainName: "research",
      projectDomainName: "research",
      applicationCredentialId: "4f0c2b1e9d",
      networkName: "ext-net",
      publicRouters: [],
      caBundle: CA,
      cloudConfig: {
        network: { topology: "External Network Topology", dns_nameservers: ["1.1.1.1"], default_security_rules: [["UDP", 53, 53]] },
        user: { admin_role_name: "admin", user_role_name: "member", domain: "research" },
        deploy: { hostname_format: "%(one)s-%(two)s-%(three)s-%(four)s.%(domain)s", domain: "cloud.example.org" },
      },
    },
  ],
];

const SECRETS: ExportSecrets = {
  credentialSecret: "s3cret-pa$$word \"quoted\" #not-a-comment",
  accountSecret: "0123456789abcdef0123456789abcdef-extra",
};

/** What the wizard would hold after importing the file: the draft run through its own step schemas. */
function wizardSettingsOf(d: ProviderDraft): { settings: ProviderSettings; accountSecret?: string } {
  const cc = (d.cloudConfig ?? {}) as Record<string, Record<string, unknown>>;
  const connect = connectSchema.parse({
    authUrl: d.authUrl,
    adminUrl: d.adminUrl,
    region: d.region,
    authMethod: d.authMethod,
    username: d.username,
    projectName: d.projectName,
    projectId: d.projectId,
    userDomainName: d.userDomainName,
    projectDomainName: d.projectDomainName,
    userDomainId: d.userDomainId,
    projectDomainId: d.projectDomainId,
    applicationCredentialId: d.applicationCredentialId,
    caBundle: d.caBundle,
  });
  const network = networkSchema.parse({
    topology: cc.network.topology,
    publicRouters: d.publicRouters ?? [],
    externalNetwork: d.networkName,
    dnsNameservers: cc.network.dns_nameservers,
    securityRules: cc.network.default_security_rules,
  });
  const { accountSecret, ...accounts } = accountsSchema.parse({
    adminRoleName: cc.user.admin_role_name,
    userRoleName: cc.user.user_role_name,
    domain: cc.user.domain,
    accountSecret: cc.user.secret,
  });
  const deploy = deploySchema.parse({
    name: d.name,
    platform: d.platform,
    isPublic: d.isPublic,
    hostnameFormat: cc.deploy.hostname_format,
    instanceDomain: cc.deploy.domain,
  });
  return { settings: { connect, network, accounts, deploy }, accountSecret };
}

describe("add_new_provider JSON export", () => {
  it.each(VARIANTS)("round-trips with secrets through parseProviderJson: %s", (_name, row) => {
    const draft = parseProviderJson(providerJsonText(row, SECRETS));
    expect(draft.warnings).toEqual([]);
    expect(draft.needsPassword).toBe(false);
    const { settings, accountSecret } = wizardSettingsOf(draft);
    expect(settings).toEqual(settingsOf(row));
    expect(accountSecret).toBe(SECRETS.accountSecret);
    if (row.authMethod === "password") expect(draft.password).toBe(SECRETS.credentialSecret);
    else expect(draft.applicationCredentialSecret).toBe(SECRETS.credentialSecret);
  });

  it.each(VARIANTS)("leaves every secret out by default, and still imports: %s", (_name, row) => {
    const text = providerJsonText(row);
    expect(text).not.toContain(SECRETS.credentialSecret);
    expect(text).not.toMatch(/"(password|secret|application_credential_secret)"/);
    const draft = parseProviderJson(text);
    expect(draft.password).toBeUndefined();
    expect(draft.applicationCredentialSecret).toBeUndefined();
    expect(draft.needsPassword).toBe(row.authMethod === "password");
    const { settings, accountSecret } = wizardSettingsOf(draft);
    expect(accountSecret).toBeUndefined();
    expect(settings).toEqual(settingsOf(row));
  });

  it("has the seed's shape", () => {
    expect(buildProviderJson(SEEDLIKE, SECRETS)).toEqual({
      admin: {
        username: "atmoadmin",
        password: SECRETS.credentialSecret,
        tenant: "atmoadmin",
        user_domain_name: "Default",
        project_domain_name: "Default",
      },
      credential: {
        admin_url: "https://myawesomecloud.org:35357/v3",
        auth_url: "https://myawesomecloud.org:5000/v3",
        public_routers: "public_router,public_router_2",
        network_name: "public",
        region_name: "RegionOne",
        ex_force_auth_version: "3.x_password",
      },
      provider: { name: "my-awesome-cloud", platform: "KVM", public: true },
      cloud_config: {
        network: {
          dns_nameservers: ["8.8.8.8", "8.8.4.4"],
          topology: "External Router Topology",
          default_security_rules: [
            ["ICMP", -1, -1],
            ["TCP", 22, 23],
            ["TCP", 1024, 65535, "10.0.0.0/8"],
          ],
        },
        user: { admin_role_name: "admin", user_role_name: "_member_", domain: "default", secret: SECRETS.accountSecret },
        deploy: { hostname_format: "vm%(four)s.mysuperspecialcloud.org" },
      },
    });
  });

  it("names files after the provider", () => {
    expect(exportFileName('Lab "B" 2.0', "json")).toBe("lab-b-2.0.json");
    expect(exportFileName("Lab", "json", true)).toBe("lab-with-secrets.json");
    expect(exportFileName("Lab", "clouds.yaml")).toBe("lab-clouds.yaml");
    expect(exportFileName("Lab", "ca.pem")).toBe("lab-ca.pem");
    expect(exportFileName("***", "json")).toBe("provider.json");
  });
});

describe("clouds.yaml export", () => {
  it.each(VARIANTS)("round-trips through parseCloudsYaml: %s", (_name, row) => {
    const d = parseCloudsYaml(buildCloudsYaml(row, SECRETS), row.name);
    expect(d).toMatchObject({
      name: row.name,
      authUrl: row.authUrl,
      region: row.region,
      interface: "public",
      authMethod: row.authMethod,
      needsPassword: false,
    });
    if (row.authMethod === "password") {
      expect(d).toMatchObject({
        username: row.adminUsername,
        password: SECRETS.credentialSecret,
        projectName: row.adminProjectName ?? undefined,
        projectId: row.adminProjectId ?? undefined,
        userDomainName: row.userDomainName,
        projectDomainName: row.projectDomainName,
        userDomainId: row.userDomainId ?? undefined,
        projectDomainId: row.projectDomainId ?? undefined,
      });
    } else {
      expect(d).toMatchObject({ applicationCredentialId: row.applicationCredentialId, applicationCredentialSecret: SECRETS.credentialSecret });
    }
    expect(d.caCertPath).toBe(row.caBundle ? exportFileName(row.name, "ca.pem") : undefined);
  });

  it("leaves the password out by default and says so", () => {
    const text = buildCloudsYaml(SEEDLIKE);
    expect(text).not.toMatch(/^\s*password:/m);
    expect(text).toMatch(/# .*password is left out/);
    const d = parseCloudsYaml(text);
    expect(d.needsPassword).toBe(true);
    expect(parseYaml(text).clouds["my-awesome-cloud"]).toEqual({
      auth_type: "password",
      auth: {
        auth_url: "https://myawesomecloud.org:5000/v3",
        username: "atmoadmin",
        project_name: "atmoadmin",
        user_domain_name: "Default",
        project_domain_name: "Default",
      },
      region_name: "RegionOne",
      interface: "public",
      identity_api_version: 3,
    });
  });
});
