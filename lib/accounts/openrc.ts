import { singleLine } from "@/lib/domain/dns-name";
import { domainIsId } from "@/lib/providers/connection";
import { federationId, type FederationSetting } from "@/lib/domain/federation";

export type OpenrcInput = {
  authUrl: string;
  region: string;
  username: string;
  projectName: string;
  projectId: string | null;
  /** The provider's account domain, an id ("default") or a name. */
  domain: string;
  providerName?: string;
  /** Set for accounts of a federated provider: the file signs in with OIDC, not a password. */
  federation?: FederationSetting;
};

/** Double-quoted for sh: the characters that stay special inside double quotes are escaped. */
const q = (v: string) => `"${v.replace(/[\\"$`]/g, "\\$&")}"`;

/**
 * An openrc for one account in Horizon's v3 shape. The password is never in it: like the file
 * Horizon hands out, it asks for the password with `read -sr` when sourced.
 */
export function buildOpenrc(input: OpenrcInput): string {
  // A line break in any value would start a shell command of its own when the file is sourced
  // (the header comment is not quoted at all): refuse it, never write it.
  const i: OpenrcInput = {
    ...input,
    authUrl: singleLine(input.authUrl, "The auth URL"),
    region: singleLine(input.region, "The region"),
    username: singleLine(input.username, "The username"),
    projectName: singleLine(input.projectName, "The project name"),
    projectId: input.projectId === null ? null : singleLine(input.projectId, "The project id"),
    domain: singleLine(input.domain, "The domain"),
    providerName: input.providerName === undefined ? undefined : singleLine(input.providerName, "The provider name"),
  };
  const domainVar = domainIsId(i.domain) ? "DOMAIN_ID" : "DOMAIN_NAME";
  if (input.federation) return federatedOpenrc(i, input.federation, domainVar);
  const lines = [
    "#!/usr/bin/env bash",
    `# OpenStack credentials for ${i.username}${i.providerName ? ` on ${i.providerName}` : ""}, exported by Cloudport.`,
    "# Source it: . ./openrc — it asks for the password and never stores it.",
    `export OS_AUTH_URL=${q(i.authUrl)}`,
    ...(i.projectId ? [`export OS_PROJECT_ID=${q(i.projectId)}`] : []),
    `export OS_PROJECT_NAME=${q(i.projectName)}`,
    `export OS_USER_${domainVar}=${q(i.domain)}`,
    `export OS_PROJECT_${domainVar}=${q(i.domain)}`,
    `if [ -z "$OS_USER_${domainVar}" ]; then unset OS_USER_${domainVar}; fi`,
    `if [ -z "$OS_PROJECT_${domainVar}" ]; then unset OS_PROJECT_${domainVar}; fi`,
    "unset OS_TENANT_ID",
    "unset OS_TENANT_NAME",
    `export OS_USERNAME=${q(i.username)}`,
    'echo "Please enter your OpenStack Password for project $OS_PROJECT_NAME as user $OS_USERNAME: "',
    "read -sr OS_PASSWORD_INPUT",
    "export OS_PASSWORD=$OS_PASSWORD_INPUT",
    `export OS_REGION_NAME=${q(i.region)}`,
    'if [ -z "$OS_REGION_NAME" ]; then unset OS_REGION_NAME; fi',
    "export OS_INTERFACE=public",
    "export OS_IDENTITY_API_VERSION=3",
  ];
  return `${lines.join("\n")}\n`;
}

export function openrcFileName(username: string, providerName: string): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, "-");
  return `${safe(username)}-${safe(providerName)}-openrc.sh`;
}

/** Placeholders the user fills in: the IdP's discovery URL and the OIDC client are theirs, not Cloudport's. */
export const OIDC_PLACEHOLDERS = {
  discoveryEndpoint: "https://REPLACE-WITH-YOUR-IDP/.well-known/openid-configuration",
  clientId: "REPLACE-WITH-OIDC-CLIENT-ID",
} as const;

/** The ids of a federation setting, checked again before they are written into a file. */
function checkedFederation(f: FederationSetting): FederationSetting {
  return { idp: federationId(f.idp, "The identity provider id"), protocol: federationId(f.protocol, "The protocol id") };
}

function federatedOpenrc(i: OpenrcInput, federation: FederationSetting, domainVar: string): string {
  const f = checkedFederation(federation);
  const lines = [
    "#!/usr/bin/env bash",
    `# OpenStack credentials for ${i.username}${i.providerName ? ` on ${i.providerName}` : ""}, exported by Cloudport.`,
    "# This cloud signs users in through Keystone federation (OpenID Connect): there is no OpenStack",
    "# password. Fill in your identity provider's discovery endpoint and OIDC client, then source it:",
    "# it asks for your identity provider password and never stores it.",
    `export OS_AUTH_URL=${q(i.authUrl)}`,
    "export OS_AUTH_TYPE=v3oidcpassword",
    `export OS_IDENTITY_PROVIDER=${q(f.idp)}`,
    `export OS_PROTOCOL=${q(f.protocol)}`,
    `export OS_DISCOVERY_ENDPOINT=${q(OIDC_PLACEHOLDERS.discoveryEndpoint)}`,
    `export OS_CLIENT_ID=${q(OIDC_PLACEHOLDERS.clientId)}`,
    'echo "Please enter your OIDC client secret (empty for a public client): "',
    "read -sr OS_CLIENT_SECRET_INPUT",
    "export OS_CLIENT_SECRET=$OS_CLIENT_SECRET_INPUT",
    ...(i.projectId ? [`export OS_PROJECT_ID=${q(i.projectId)}`] : []),
    `export OS_PROJECT_NAME=${q(i.projectName)}`,
    `export OS_PROJECT_${domainVar}=${q(i.domain)}`,
    "unset OS_TENANT_ID",
    "unset OS_TENANT_NAME",
    "unset OS_PASSWORD",
    `export OS_USERNAME=${q(i.username)}`,
    'echo "Please enter your identity provider password as user $OS_USERNAME: "',
    "read -sr OS_PASSWORD_INPUT",
    "export OS_PASSWORD=$OS_PASSWORD_INPUT",
    `export OS_REGION_NAME=${q(i.region)}`,
    'if [ -z "$OS_REGION_NAME" ]; then unset OS_REGION_NAME; fi',
    "export OS_INTERFACE=public",
    "export OS_IDENTITY_API_VERSION=3",
  ];
  return `${lines.join("\n")}\n`;
}

/** A YAML double-quoted scalar (JSON strings are valid YAML double-quoted scalars). */
const y = (v: string) => JSON.stringify(v);

/**
 * A clouds.yaml for one account of a federated provider: auth_type v3oidcpassword with the
 * identity provider and protocol, the discovery endpoint and client as placeholders, and no
 * password (the openstack client asks for it, or the user adds it to secure.yaml).
 */
export function buildFederatedCloudsYaml(input: OpenrcInput & { federation: FederationSetting }): string {
  const f = checkedFederation(input.federation);
  const cloud = singleLine(input.providerName ?? "cloudport", "The provider name").replace(/[^A-Za-z0-9._-]+/g, "-");
  const projectDomainKey = domainIsId(input.domain) ? "project_domain_id" : "project_domain_name";
  const lines = [
    "# Exported by Cloudport. Keystone federation (OpenID Connect): there is no OpenStack password.",
    "# Fill in discovery_endpoint and client_id for your identity provider; put password (and",
    "# client_secret, if any) in secure.yaml or let the client ask.",
    "clouds:",
    `  ${cloud}:`,
    "    auth_type: v3oidcpassword",
    "    auth:",
    `      auth_url: ${y(singleLine(input.authUrl, "The auth URL"))}`,
    `      identity_provider: ${y(f.idp)}`,
    `      protocol: ${y(f.protocol)}`,
    `      discovery_endpoint: ${y(OIDC_PLACEHOLDERS.discoveryEndpoint)}`,
    `      client_id: ${y(OIDC_PLACEHOLDERS.clientId)}`,
    `      username: ${y(singleLine(input.username, "The username"))}`,
    ...(input.projectId ? [`      project_id: ${y(singleLine(input.projectId, "The project id"))}`] : []),
    `      project_name: ${y(singleLine(input.projectName, "The project name"))}`,
    `      ${projectDomainKey}: ${y(singleLine(input.domain, "The domain"))}`,
    `    region_name: ${y(singleLine(input.region, "The region"))}`,
    "    interface: public",
    "    identity_api_version: 3",
  ];
  return `${lines.join("\n")}\n`;
}
