import { z } from "zod";

export const domainSchema = z
  .looseObject({
    id: z.string(),
    name: z.string(),
    description: z.string().nullish(),
    enabled: z.boolean().default(true),
  })
  .transform((d) => ({ id: d.id, name: d.name, description: d.description ?? "", enabled: d.enabled, raw: d }));

export type Domain = z.output<typeof domainSchema>;

export interface ListDomainsOptions {
  name?: string;
  enabled?: boolean;
}
