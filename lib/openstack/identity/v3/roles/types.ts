import { z } from "zod";

export const roleSchema = z
  .looseObject({
    id: z.string(),
    name: z.string(),
    domain_id: z.string().nullish(),
    description: z.string().nullish(),
  })
  .transform((r) => ({
    id: r.id,
    name: r.name,
    /** Null for global roles, set for domain-specific ones. */
    domainId: r.domain_id ?? null,
    description: r.description ?? "",
    raw: r,
  }));

export type Role = z.output<typeof roleSchema>;

export interface ListRolesOptions {
  name?: string;
  domainId?: string;
}
