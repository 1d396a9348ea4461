import type { AccountsData, ConnectData, DeployData, NetworkData, PreflightReport } from "./schemas";
import { plural } from "@/lib/domain/format";

// Pure helpers over a provider's settings: no I/O, safe for tests and for client components.
// How a stored row becomes these settings (and a client) is lib/providers/connection.ts.

/** A provider's settings in the wizard's step shapes, so edit and create validate alike. */
export type ProviderSettings = {
  connect: ConnectData;
  network: NetworkData;
  accounts: AccountsData;
  deploy: DeployData;
};

/** The fields of the connection; changing any of them means verifying the cloud again. */
export const CONNECT_FIELDS = [
  "authUrl",
  "adminUrl",
  "region",
  "authMethod",
  "username",
  "projectName",
  "projectId",
  "userDomainName",
  "projectDomainName",
  "userDomainId",
  "projectDomainId",
  "applicationCredentialId",
  "caBundle",
] as const;
const NETWORK_FIELDS = ["topology", "publicRouters", "externalNetwork", "dnsNameservers", "securityRules"] as const;
const ACCOUNTS_FIELDS = ["adminRoleName", "userRoleName", "domain", "federationIdp", "federationProtocol"] as const;
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
