import { generateAccountSecret } from "@/lib/domain/account-password";
import { DEFAULT_SECURITY_RULES } from "@/lib/domain/security-rules";
import type { Db } from "@/lib/db/client";
import { providers, providerSecrets, type Provider } from "@/lib/db/schema";
import { labEnv } from "@/lib/openstack/testing/env";
import { encryptSecret } from "@/lib/secrets";
import type { Topology } from "@/lib/providers/schemas";

/** The lab's public router and external network (scripts/openstack-lab). */
export const LAB_PUBLIC_ROUTER = "public_router";
export const LAB_EXTERNAL_NETWORK = "public";

/**
 * Stores a provider for the lab (or the OS_* cloud) with the admin credentials of its openrc
 * and a fresh account secret, as the provider wizard would.
 */
export async function insertLabProvider(
  db: Db,
  opts: { name: string; topology?: Topology; userRole?: string; accountSecret?: string; key?: Buffer; federation?: { idp: string; protocol: string } },
): Promise<{ provider: Provider; accountSecret: string }> {
  const env = labEnv();
  const accountSecret = opts.accountSecret ?? generateAccountSecret();
  const topology = opts.topology ?? "External Router Topology";
  const [provider] = await db
    .insert(providers)
    .values({
      name: opts.name,
      authUrl: env.OS_AUTH_URL!,
      region: env.OS_REGION_NAME ?? "RegionOne",
      authMethod: "password",
      adminUsername: env.OS_USERNAME!,
      adminProjectName: env.OS_PROJECT_NAME!,
      userDomainName: env.OS_USER_DOMAIN_NAME ?? "Default",
      projectDomainName: env.OS_PROJECT_DOMAIN_NAME ?? "Default",
      networkName: LAB_EXTERNAL_NETWORK,
      publicRouters: topology === "External Router Topology" ? [LAB_PUBLIC_ROUTER] : [],
      cloudConfig: {
        network: {
          topology,
          dns_nameservers: ["8.8.8.8", "8.8.4.4"],
          default_security_rules: DEFAULT_SECURITY_RULES.map((r) => [r.protocol, r.fromPort, r.toPort]),
        },
        user: {
          admin_role_name: "admin",
          user_role_name: opts.userRole ?? "member",
          domain: "default",
          ...(opts.federation ? { federation: opts.federation } : {}),
        },
        deploy: { hostname_format: "%(one)s.%(two)s.%(three)s.%(four)s" },
      },
    })
    .returning();
  await db.insert(providerSecrets).values({
    providerId: provider.id,
    credentialSecret: encryptSecret(env.OS_PASSWORD!, opts.key),
    accountSecret: encryptSecret(accountSecret, opts.key),
  });
  return { provider, accountSecret };
}
