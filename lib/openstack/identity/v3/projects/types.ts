import { z } from "zod";

export const projectSchema = z
  .looseObject({
    id: z.string(),
    name: z.string(),
    domain_id: z.string(),
    description: z.string().nullish(),
    enabled: z.boolean().default(true),
    parent_id: z.string().nullish(),
    is_domain: z.boolean().default(false),
    tags: z.array(z.string()).default([]),
  })
  .transform((p) => ({
    id: p.id,
    name: p.name,
    domainId: p.domain_id,
    description: p.description ?? "",
    enabled: p.enabled,
    parentId: p.parent_id ?? null,
    isDomain: p.is_domain,
    tags: p.tags,
    raw: p,
  }));

export type Project = z.output<typeof projectSchema>;

export interface ListProjectsOptions {
  name?: string;
  domainId?: string;
  enabled?: boolean;
  parentId?: string;
  /** Keystone has no page size of its own; honoured only where `list_limit` is configured. */
  limit?: number;
}

export interface CreateProjectOptions {
  name: string;
  /** Defaults to Keystone's default domain. */
  domainId?: string;
  description?: string;
  enabled?: boolean;
  parentId?: string;
  tags?: string[];
}

export interface UpdateProjectOptions {
  name?: string;
  description?: string;
  enabled?: boolean;
  tags?: string[];
}
