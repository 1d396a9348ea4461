import { DEFAULT_HOSTNAME_FORMAT } from "@/lib/domain/hostname-format";
import { normalizeRule, securityRuleSchema, type SecurityRule } from "@/lib/domain/security-rules";
import type { Provider } from "@/lib/db/schema";
import {
  TOPOLOGIES,
  type AccountsData,
  type CloudConfig,
  type ConnectData,
  type DeployData,
  type NetworkData,
  type PreflightReport,
  type Topology,
} from "./schemas";
import { plural } from "@/lib/domain/format";

// Pure helpers over a stored provider row: no I/O, safe for tests and for client components.

/** The provider columns that hold settings (everything but ids, timestamps and state). */
export type ProviderSettingsRow = Pick<
  Provider,
  | "name"
  | "platform"
  | "isPublic"
  | "authUrl"
  | "adminUrl"
  | "region"
  | "authMethod"
  | "adminUsername"
  | "adminProjectName"
  | "userDomainName"
  | "projectDomainName"
  | "applicationCredentialId"
  | "networkName"
  | "publicRouters"
  | "cloudConfig"
  | "caBundle"
>;

/** A provider's settings in the wizard's step shapes, so edit and create validate alike. */
export type ProviderSettings = {
  connect: ConnectData;
  network: NetworkData;
  accounts: AccountsData;
  deploy: DeployData;
};

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v : undefined);

/** Rules as stored (tuples or objects); ones that no longer validate are dropped, not guessed at. */
export function readSecurityRules(raw: unknown): SecurityRule[] {
  if (!Array.isArray(raw)) return [];
  const out: SecurityRule[] = [];
  for (const r of raw) {
    const parsed = securityRuleSchema.safeParse(normalizeRule(r));
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

/** Reads a stored cloud_config JSON into its typed shape, tolerating keys older versions left out. */
export function readCloudConfig(raw: unknown): CloudConfig {
  const root = obj(raw);
  const network = obj(root.network);
  const user = obj(root.user);
  const deploy = obj(root.deploy);
  const topology = TOPOLOGIES.includes(network.topology as Topology) ? (network.topology as Topology) : TOPOLOGIES[0];
  const domain = str(deploy.domain);
  return {
    network: {
      topology,
      dns_nameservers: Array.isArray(network.dns_nameservers) ? network.dns_nameservers.map(String) : [],
      default_security_rules: readSecurityRules(network.default_security_rules).map((r) =>
        r.cidr ? [r.protocol, r.fromPort, r.toPort, r.cidr] : [r.protocol, r.fromPort, r.toPort],
      ),
    },
    user: {
      admin_role_name: str(user.admin_role_name) ?? "admin",
      user_role_name: str(user.user_role_name) ?? "_member_",
      domain: str(user.domain) ?? "default",
    },
    deploy: { hostname_format: str(deploy.hostname_format) ?? DEFAULT_HOSTNAME_FORMAT, ...(domain ? { domain } : {}) },
  };
}

/** A stored provider's settings in the wizard's shapes (secrets are not part of them). */
export function settingsOf(p: ProviderSettingsRow): ProviderSettings {
  const cc = readCloudConfig(p.cloudConfig);
  return {
    connect: {
      authUrl: p.authUrl,
      adminUrl: p.adminUrl ?? undefined,
      region: p.region,
      authMethod: p.authMethod,
      username: p.adminUsername ?? undefined,
      projectName: p.adminProjectName ?? undefined,
      projectId: undefined,
      userDomainName: p.userDomainName,
      projectDomainName: p.projectDomainName,
      applicationCredentialId: p.applicationCredentialId ?? undefined,
      // Trimmed as the form's schema trims it, so an untouched bundle never reads as a change.
      caBundle: p.caBundle?.trim() || undefined,
    },
    network: {
      topology: cc.network.topology,
      publicRouters: [...p.publicRouters],
      externalNetwork: p.networkName ?? undefined,
      dnsNameservers: cc.network.dns_nameservers,
      securityRules: readSecurityRules(cc.network.default_security_rules),
    },
    accounts: {
      adminRoleName: cc.user.admin_role_name,
      userRoleName: cc.user.user_role_name,
      domain: cc.user.domain,
    },
    deploy: {
      name: p.name,
      platform: p.platform,
      isPublic: p.isPublic,
      hostnameFormat: cc.deploy.hostname_format,
      instanceDomain: cc.deploy.domain,
    },
  };
}

/** The fields of the connection; changing any of them means verifying the cloud again. */
export const CONNECT_FIELDS = [
  "authUrl",
  "adminUrl",
  "region",
  "authMethod",
  "username",
  "projectName",
  "userDomainName",
  "projectDomainName",
  "applicationCredentialId",
  "caBundle",
] as const;
const NETWORK_FIELDS = ["topology", "publicRouters", "externalNetwork", "dnsNameservers", "securityRules"] as const;
const ACCOUNTS_FIELDS = ["adminRoleName", "userRoleName", "domain"] as const;
const DEPLOY_FIELDS = ["name", "platform", "isPublic", "hostnameFormat", "instanceDomain"] as const;

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Names of the settings that differ between two versions, in form order. */
export function changedSettings(before: ProviderSettings, after: ProviderSettings): string[] {
  const out: string[] = [];
  for (const k of CONNECT_FIELDS) if (!same(before.connect[k], after.connect[k])) out.push(k);
  for (const k of NETWORK_FIELDS) if (!same(before.network[k], after.network[k])) out.push(k);
  for (const k of ACCOUNTS_FIELDS) if (!same(before.accounts[k], after.accounts[k])) out.push(k);
  for (const k of DEPLOY_FIELDS) if (!same(before.deploy[k], after.deploy[k])) out.push(k);
  return out;
}

export type PreflightSummary = { tone: "success" | "warning" | "danger" | "neutral"; label: string };

/** The one-word verdict the providers list shows for a stored report. */
export function preflightSummary(report: PreflightReport | null | undefined): PreflightSummary {
  if (!report || !Array.isArray(report.checks)) return { tone: "neutral", label: "never run" };
  const failed = report.checks.filter((c) => c.status === "fail").length;
  if (failed) return { tone: "danger", label: "failed" };
  const warnings = report.checks.filter((c) => c.status === "warn").length;
  if (warnings) return { tone: "warning", label: plural(warnings, "warning") };
  return { tone: "success", label: "pass" };
}

/** The host (and port) of a URL, or the text itself when it is not one. */
export function urlHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

const IPV4_HOST = /^\d{1,3}(\.\d{1,3}){3}$/;

/** What the seed asks endpoints not to be: plain HTTP, or a bare IP instead of a host name. */
export function endpointFlags(url: string): { http: boolean; ipHost: boolean } {
  try {
    const u = new URL(url);
    return { http: u.protocol === "http:", ipHost: IPV4_HOST.test(u.hostname) || u.hostname.startsWith("[") };
  } catch {
    return { http: false, ipHost: false };
  }
}
