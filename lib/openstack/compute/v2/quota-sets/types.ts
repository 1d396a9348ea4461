import { z } from "zod";

const n = z.number().default(0);

export const quotaSetSchema = z
  .looseObject({
    cores: n,
    ram: n,
    instances: n,
    key_pairs: n,
    metadata_items: n,
    server_groups: n,
    server_group_members: n,
  })
  .transform((q) => ({
    cores: q.cores,
    ramMb: q.ram,
    instances: q.instances,
    keyPairs: q.key_pairs,
    metadataItems: q.metadata_items,
    serverGroups: q.server_groups,
    serverGroupMembers: q.server_group_members,
    raw: q,
  }));

/** Quota values; -1 means unlimited. */
export type QuotaSet = z.output<typeof quotaSetSchema>;

const usage = z
  .looseObject({ limit: z.number(), in_use: z.number().default(0), reserved: z.number().default(0) })
  .transform((u) => ({ limit: u.limit, inUse: u.in_use, reserved: u.reserved }))
  .default({ limit: 0, inUse: 0, reserved: 0 });

export const quotaSetDetailSchema = z
  .looseObject({
    cores: usage,
    ram: usage,
    instances: usage,
    key_pairs: usage,
    metadata_items: usage,
    server_groups: usage,
    server_group_members: usage,
  })
  .transform((q) => ({
    cores: q.cores,
    ramMb: q.ram,
    instances: q.instances,
    keyPairs: q.key_pairs,
    metadataItems: q.metadata_items,
    serverGroups: q.server_groups,
    serverGroupMembers: q.server_group_members,
    raw: q,
  }));

export type QuotaSetDetail = z.output<typeof quotaSetDetailSchema>;

/** -1 means unlimited. */
export interface UpdateQuotaSetOptions {
  cores?: number;
  ramMb?: number;
  instances?: number;
  keyPairs?: number;
  metadataItems?: number;
  serverGroups?: number;
  serverGroupMembers?: number;
  /** Set limits below what the project uses (Nova refuses that otherwise). */
  force?: boolean;
}
