import { z } from "zod";

export const securityGroupRuleSchema = z
  .looseObject({
    id: z.string(),
    security_group_id: z.string(),
    direction: z.enum(["ingress", "egress"]),
    ethertype: z.string().default("IPv4"),
    protocol: z.string().nullish(),
    port_range_min: z.number().nullish(),
    port_range_max: z.number().nullish(),
    remote_ip_prefix: z.string().nullish(),
    remote_group_id: z.string().nullish(),
    description: z.string().nullish(),
    project_id: z.string().nullish(),
    tenant_id: z.string().nullish(),
  })
  .transform((r) => ({
    id: r.id,
    securityGroupId: r.security_group_id,
    direction: r.direction,
    ethertype: r.ethertype,
    /** Null means any protocol. */
    protocol: r.protocol ?? null,
    portRangeMin: r.port_range_min ?? null,
    portRangeMax: r.port_range_max ?? null,
    remoteIpPrefix: r.remote_ip_prefix ?? null,
    remoteGroupId: r.remote_group_id ?? null,
    description: r.description ?? "",
    projectId: r.project_id ?? r.tenant_id ?? null,
    raw: r,
  }));

export type SecurityGroupRule = z.output<typeof securityGroupRuleSchema>;

export interface ListSecurityGroupRulesOptions {
  securityGroupId?: string;
  direction?: "ingress" | "egress";
  projectId?: string;
  limit?: number;
}

export interface CreateSecurityGroupRuleOptions {
  securityGroupId: string;
  direction: "ingress" | "egress";
  ethertype?: "IPv4" | "IPv6";
  /** "tcp", "udp", "icmp", a number, or omitted for any. */
  protocol?: string;
  /** For ICMP: the type. */
  portRangeMin?: number;
  /** For ICMP: the code. */
  portRangeMax?: number;
  remoteIpPrefix?: string;
  remoteGroupId?: string;
  description?: string;
  /** Owner of the rule; Neutron otherwise uses the caller's project (and its quota), even for another project's group. */
  projectId?: string;
}
