import type { Provider } from "@/lib/db/schema";
import { accountSettings } from "@/lib/providers/connection";
import type { ProvisionEnv } from "../provision";

/**
 * What prepareProvisioning would have looked up once per job, for provisioning against a fake
 * Keystone/Neutron (FakeCloud): the Default domain, roles r-member and r-admin, the admin user
 * u-admin and one public router rt-1.
 */
export function fakeProvisionEnv(provider: Provider, accountSecret: string): ProvisionEnv {
  return {
    providerId: provider.id,
    settings: accountSettings(provider),
    accountSecret,
    domainId: "default",
    userRoleId: "r-member",
    adminRoleId: "r-admin",
    adminUserId: "u-admin",
    externalNetworkId: null,
    publicRouters: [{ id: "rt-1", name: "public_router", accounts: 0 }],
    cloudCidrs: new Set(),
    reservedNames: new Set(["admin", "service"]),
  };
}
