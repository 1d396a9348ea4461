import { z } from "zod";

export const identityProviderSchema = z
  .looseObject({
    id: z.string(),
    enabled: z.boolean().default(true),
    description: z.string().nullish(),
    domain_id: z.string().nullish(),
    remote_ids: z.array(z.string()).nullish(),
  })
  .transform((p) => ({
    id: p.id,
    enabled: p.enabled,
    description: p.description ?? "",
    domainId: p.domain_id ?? null,
    remoteIds: p.remote_ids ?? [],
  }));
export type IdentityProvider = z.output<typeof identityProviderSchema>;

export const protocolSchema = z.looseObject({ id: z.string(), mapping_id: z.string() }).transform((p) => ({ id: p.id, mappingId: p.mapping_id }));
export type FederationProtocol = z.output<typeof protocolSchema>;

export const mappingSchema = z.looseObject({ id: z.string(), rules: z.array(z.unknown()) }).transform((m) => ({ id: m.id, rules: m.rules }));
export type Mapping = z.output<typeof mappingSchema>;

export interface CreateIdentityProviderOptions {
  id: string;
  domainId?: string;
  description?: string;
  remoteIds?: string[];
  enabled?: boolean;
}
