import { singleLine } from "@/lib/domain/dns-name";
import { domainIsId } from "@/lib/providers/connection";

export type OpenrcInput = {
  authUrl: string;
  region: string;
  username: string;
  projectName: string;
  projectId: string | null;
  /** The provider's account domain, an id ("default") or a name. */
  domain: string;
  providerName?: string;
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
