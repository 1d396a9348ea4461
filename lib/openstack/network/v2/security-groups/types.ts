import { z } from "zod";

import { securityGroupRuleSchema } from "../security-group-rules/types";

export const securityGroupSchema = z
  .looseObject({
    id: z.string(),
    name: z.string(),
    description: z.string().nullish(),
    project_id: z.string().nullish(),
    tenant_id: z.string().nullish(),
    stateful: z.boolean().nullish(),
    security_group_rules: z.array(securityGroupRuleSchema).default([]),
  })
  .transform((g) => ({
    id: g.id,
    name: g.name,
    description: g.description ?? "",
    projectId: g.project_id ?? g.tenant_id ?? null,
    stateful: g.stateful ?? true,
    rules: g.security_group_rules,
    raw: g,
  }));

export type SecurityGroup = z.output<typeof securityGroupSchema>;

export interface ListSecurityGroupsOptions {
  name?: string;
  projectId?: string;
  limit?: number;
}

export interface CreateSecurityGroupOptions {
  name: string;
  description?: string;
  projectId?: string;
}
