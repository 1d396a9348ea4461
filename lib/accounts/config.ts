import { DEFAULT_SECURITY_RULES, normalizeRule, securityRuleSchema, type SecurityRule } from "@/lib/domain/security-rules";
import type { Provider } from "@/lib/db/schema";
import type { ClientOptions } from "@/lib/openstack/client";
import { deriveAccountPassword } from "@/lib/domain/account-password";

export const TOPOLOGY_ROUTER = "External Router Topology";
export const TOPOLOGY_NETWORK = "External Network Topology";
export type AccountTopology = typeof TOPOLOGY_ROUTER | typeof TOPOLOGY_NETWORK;

/** What account provisioning needs from a provider's settings. */
export type AccountSettings = {
  topology: AccountTopology;
  dnsNameservers: string[];
  securityRules: SecurityRule[];
  adminRoleName: string;
  userRoleName: string;
  /** Keystone domain of user projects and users, as configured: an id ("default") or a name. */
  domain: string;
  publicRouters: string[];
  externalNetwork: string | null;
};

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v.trim() : undefined);

/**
 * Reads the account settings from a provider row (cloud_config in add_new_provider's shape).
 * A cloud_config without `default_security_rules` gets Atmosphere's DEFAULT_RULES, as the
 * original script did; an empty list means no rules.
 */
export function accountSettingsOf(provider: Pick<Provider, "cloudConfig" | "publicRouters" | "networkName">): AccountSettings {
  const cc = obj(provider.cloudConfig);
  const network = obj(cc.network);
  const user = obj(cc.user);
  let securityRules: SecurityRule[] = DEFAULT_SECURITY_RULES;
  if (Array.isArray(network.default_security_rules)) {
    securityRules = [];
    for (const raw of network.default_security_rules) {
      const parsed = securityRuleSchema.safeParse(normalizeRule(raw));
      if (parsed.success) securityRules.push(parsed.data);
    }
  }
  return {
    topology: network.topology === TOPOLOGY_NETWORK ? TOPOLOGY_NETWORK : TOPOLOGY_ROUTER,
    dnsNameservers: Array.isArray(network.dns_nameservers) ? network.dns_nameservers.map(String).filter(Boolean) : [],
    securityRules,
    adminRoleName: str(user.admin_role_name) ?? "admin",
    userRoleName: str(user.user_role_name) ?? "_member_",
    domain: str(user.domain) ?? "default",
    publicRouters: [...provider.publicRouters],
    externalNetwork: provider.networkName ?? null,
  };
}

/**
 * Whether a configured domain names Keystone's domain by id: the Default domain's id is the
 * literal "default" (what add_new_provider's example uses), other ids are 32 hex digits.
 */
export function domainIsId(domain: string): boolean {
  return domain === "default" || /^[0-9a-f]{32}$/.test(domain);
}

export type IdentityRef = { projectName: string; projectId?: string | null; username?: string };

/**
 * Client options that authenticate AS an account (not as the provider's admin): its username,
 * the password derived from the provider's account secret, scoped to its project in the
 * provider's domain. The password is derived here and kept only in the returned options.
 */
export function identityClientOptions(
  provider: Pick<Provider, "authUrl" | "region" | "caBundle" | "cloudConfig">,
  identity: IdentityRef,
  accountSecret: string,
  overrides: Partial<Omit<ClientOptions, "auth">> = {},
): ClientOptions {
  const username = identity.username ?? identity.projectName;
  const domain = str(obj(obj(provider.cloudConfig).user).domain) ?? "default";
  const byId = domainIsId(domain);
  return {
    authUrl: provider.authUrl,
    region: provider.region,
    interface: "public",
    caBundle: provider.caBundle ?? undefined,
    ...overrides,
    auth: {
      type: "password",
      username,
      password: deriveAccountPassword(username, accountSecret),
      ...(byId ? { userDomainId: domain } : { userDomainName: domain }),
      ...(identity.projectId
        ? { projectId: identity.projectId }
        : { projectName: identity.projectName, ...(byId ? { projectDomainId: domain } : { projectDomainName: domain }) }),
    },
  };
}
