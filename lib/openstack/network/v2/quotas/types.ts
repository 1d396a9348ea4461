import { z } from "zod";

const n = z.number().default(0);

/** Neutron's quota values for a project; -1 means unlimited. */
export const networkQuotaSchema = z
  .looseObject({
    floatingip: n,
    network: n,
    subnet: n,
    port: n,
    router: n,
    security_group: n,
    security_group_rule: n,
    subnetpool: n,
    rbac_policy: n,
  })
  .transform((q) => ({
    floatingip: q.floatingip,
    network: q.network,
    subnet: q.subnet,
    port: q.port,
    router: q.router,
    securityGroup: q.security_group,
    securityGroupRule: q.security_group_rule,
    subnetpool: q.subnetpool,
    rbacPolicy: q.rbac_policy,
    raw: q,
  }));

export type NetworkQuota = z.output<typeof networkQuotaSchema>;

const usage = z
  .looseObject({ limit: z.number(), used: z.number().default(0), reserved: z.number().default(0) })
  .transform((u) => ({ limit: u.limit, inUse: u.used, reserved: u.reserved }))
  .default({ limit: 0, inUse: 0, reserved: 0 });

/** `/details`: each value with what the project uses (`used`, named inUse like Nova's and Cinder's). */
export const networkQuotaDetailsSchema = z
  .looseObject({
    floatingip: usage,
    network: usage,
    subnet: usage,
    port: usage,
    router: usage,
    security_group: usage,
    security_group_rule: usage,
  })
  .transform((q) => ({
    floatingip: q.floatingip,
    network: q.network,
    subnet: q.subnet,
    port: q.port,
    router: q.router,
    securityGroup: q.security_group,
    securityGroupRule: q.security_group_rule,
  }));

export type NetworkQuotaDetails = z.output<typeof networkQuotaDetailsSchema>;

/** -1 means unlimited; values left out are not changed. */
export interface UpdateNetworkQuotaOptions {
  floatingip?: number;
  network?: number;
  subnet?: number;
  port?: number;
  router?: number;
  securityGroup?: number;
  securityGroupRule?: number;
}
