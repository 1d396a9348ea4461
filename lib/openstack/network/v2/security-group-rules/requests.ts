import { z } from "zod";

import { collect, paginate } from "../../../core/pagination";
import type { ServiceClient } from "../../../core/service-client";
import {
  securityGroupRuleSchema,
  type CreateSecurityGroupRuleOptions,
  type ListSecurityGroupRulesOptions,
  type SecurityGroupRule,
} from "./types";
import { securityGroupRulesUrl, securityGroupRuleUrl } from "./urls";

/** Lists security group rules page by page. GET /v2.0/security-group-rules */
export function securityGroupRulePages(
  sc: ServiceClient,
  opts: ListSecurityGroupRulesOptions = {},
): AsyncGenerator<SecurityGroupRule[]> {
  return paginate(sc, {
    path: securityGroupRulesUrl(),
    itemsKey: "security_group_rules",
    item: securityGroupRuleSchema,
    query: {
      security_group_id: opts.securityGroupId,
      direction: opts.direction,
      project_id: opts.projectId,
      limit: opts.limit,
    },
  });
}

/** Lists security group rules. GET /v2.0/security-group-rules */
export function listSecurityGroupRules(
  sc: ServiceClient,
  opts: ListSecurityGroupRulesOptions = {},
): Promise<SecurityGroupRule[]> {
  return collect(securityGroupRulePages(sc, opts));
}

const ruleBody = (opts: CreateSecurityGroupRuleOptions) => ({
  security_group_id: opts.securityGroupId,
  direction: opts.direction,
  ethertype: opts.ethertype ?? "IPv4",
  protocol: opts.protocol,
  port_range_min: opts.portRangeMin,
  port_range_max: opts.portRangeMax,
  remote_ip_prefix: opts.remoteIpPrefix,
  remote_group_id: opts.remoteGroupId,
  description: opts.description,
  project_id: opts.projectId,
});

/** Adds a rule to a security group. POST /v2.0/security-group-rules */
export async function createSecurityGroupRule(
  sc: ServiceClient,
  opts: CreateSecurityGroupRuleOptions,
): Promise<SecurityGroupRule> {
  const res = await sc.request("POST", securityGroupRulesUrl(), { json: { security_group_rule: ruleBody(opts) } });
  return sc.parse(z.object({ security_group_rule: securityGroupRuleSchema }), res).security_group_rule;
}

/**
 * Adds several rules in one request (Neutron's bulk create: all of them or none, so a 409 for
 * one rule that exists already creates nothing). POST /v2.0/security-group-rules
 */
export async function createSecurityGroupRules(
  sc: ServiceClient,
  list: readonly CreateSecurityGroupRuleOptions[],
): Promise<SecurityGroupRule[]> {
  if (list.length === 0) return [];
  const res = await sc.request("POST", securityGroupRulesUrl(), { json: { security_group_rules: list.map(ruleBody) } });
  return sc.parse(z.object({ security_group_rules: z.array(securityGroupRuleSchema) }), res).security_group_rules;
}

/** Deletes a security group rule. DELETE /v2.0/security-group-rules/{id} */
export async function deleteSecurityGroupRule(sc: ServiceClient, id: string): Promise<void> {
  await sc.request("DELETE", securityGroupRuleUrl(id));
}
