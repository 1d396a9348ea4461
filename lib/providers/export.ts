import { Document } from "yaml";
import { readCloudConfig, type ProviderSettingsRow } from "./connection";

// Pure builders for the two export formats. They never see a secret unless the caller
// passes one, and a caller passes one only for a confirmed superuser export.

/** The decrypted secrets, present only in a with-secrets export. */
export type ExportSecrets = { credentialSecret: string; accountSecret: string };

export const EXPORT_FORMATS = ["json", "clouds.yaml", "ca.pem"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The add_new_provider JSON of seed 000 (plus the domains and CA bundle Keystone v3 needs). */
export type ProviderJson = {
  admin: Record<string, string>;
  credential: Record<string, string>;
  provider: { name: string; platform: string; public: boolean };
  cloud_config: {
    network: { dns_nameservers: string[]; topology: string; default_security_rules: unknown[] };
    user: { admin_role_name: string; user_role_name: string; domain: string; secret?: string };
    deploy: { hostname_format: string; domain?: string };
  };
};

const defined = <T extends Record<string, unknown>>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as { [K in keyof T]: Exclude<T[K], null> };

/** Builds the add_new_provider JSON of a provider; secrets are left out unless given. */
export function buildProviderJson(p: ProviderSettingsRow, secrets?: ExportSecrets | null): ProviderJson {
  const cc = readCloudConfig(p.cloudConfig);
  const appCred = p.authMethod === "application_credential";
  const admin = defined({
    username: p.adminUsername,
    password: !appCred ? secrets?.credentialSecret : undefined,
    tenant: p.adminProjectName,
    project_id: p.adminProjectId,
    user_domain_name: p.userDomainName,
    project_domain_name: p.projectDomainName,
    user_domain_id: p.userDomainId,
    project_domain_id: p.projectDomainId,
    application_credential_id: appCred ? p.applicationCredentialId : undefined,
    application_credential_secret: appCred ? secrets?.credentialSecret : undefined,
  });
  const credential = defined({
    admin_url: p.adminUrl,
    auth_url: p.authUrl,
    public_routers: p.publicRouters.join(","),
    network_name: p.networkName,
    region_name: p.region,
    ex_force_auth_version: "3.x_password",
    ca_bundle: p.caBundle,
  });
  return {
    admin: admin as Record<string, string>,
    credential: credential as Record<string, string>,
    provider: { name: p.name, platform: p.platform, public: p.isPublic },
    cloud_config: {
      network: {
        dns_nameservers: cc.network.dns_nameservers,
        topology: cc.network.topology,
        default_security_rules: cc.network.default_security_rules,
      },
      user: { ...cc.user, ...(secrets ? { secret: secrets.accountSecret } : {}) },
      deploy: cc.deploy,
    },
  };
}

/** The JSON file's text. */
export function providerJsonText(p: ProviderSettingsRow, secrets?: ExportSecrets | null): string {
  return `${JSON.stringify(buildProviderJson(p, secrets), null, 2)}\n`;
}

/** A file-name-safe form of the provider name. */
export function exportSlug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, "-")
      .replace(/^-+|-+$/g, "") || "provider"
  );
}

export function exportFileName(name: string, format: ExportFormat, withSecrets = false): string {
  const slug = exportSlug(name);
  if (format === "ca.pem") return `${slug}-ca.pem`;
  const suffix = withSecrets ? "-with-secrets" : "";
  return format === "json" ? `${slug}${suffix}.json` : `${slug}${suffix}-clouds.yaml`;
}

/** A clouds.yaml with one cloud named after the provider; the password is left out unless given. */
export function buildCloudsYaml(p: ProviderSettingsRow, secrets?: ExportSecrets | null): string {
  const appCred = p.authMethod === "application_credential";
  const auth = appCred
    ? defined({ auth_url: p.authUrl, application_credential_id: p.applicationCredentialId, application_credential_secret: secrets?.credentialSecret })
    : defined({
        auth_url: p.authUrl,
        username: p.adminUsername,
        password: secrets?.credentialSecret,
        project_name: p.adminProjectName,
        project_id: p.adminProjectId,
        user_domain_name: p.userDomainName,
        project_domain_name: p.projectDomainName,
        user_domain_id: p.userDomainId,
        project_domain_id: p.projectDomainId,
      });
  const cloud = defined({
    auth_type: appCred ? "v3applicationcredential" : "password",
    auth,
    region_name: p.region,
    interface: "public",
    identity_api_version: 3,
    cacert: p.caBundle ? exportFileName(p.name, "ca.pem") : undefined,
  });
  const doc = new Document({ clouds: { [p.name]: cloud } });
  const notes = [` Cloudport export of provider "${p.name}".`];
  if (!secrets) {
    notes.push(
      appCred
        ? " The application credential secret is left out: add application_credential_secret under auth."
        : " The password is left out: add password under auth, or let the client prompt for it.",
    );
  }
  if (p.caBundle) notes.push(` Save the provider's CA bundle (its ca.pem export) as ${exportFileName(p.name, "ca.pem")} beside this file.`);
  doc.commentBefore = notes.join("\n");
  return doc.toString();
}
