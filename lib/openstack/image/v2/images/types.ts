import { z } from "zod";

// Glance puts custom properties next to its own fields; everything not listed here is one.
const CORE_KEYS = new Set([
  "id", "name", "status", "visibility", "owner", "size", "virtual_size", "disk_format", "container_format",
  "min_disk", "min_ram", "protected", "os_hidden", "checksum", "os_hash_algo", "os_hash_value", "created_at",
  "updated_at", "tags", "self", "file", "schema", "direct_url", "locations", "stores",
]);

export const imageSchema = z
  .looseObject({
    id: z.string(),
    name: z.string().nullish(),
    status: z.string(),
    visibility: z.string().default("private"),
    owner: z.string().nullish(),
    size: z.number().nullish(),
    virtual_size: z.number().nullish(),
    disk_format: z.string().nullish(),
    container_format: z.string().nullish(),
    min_disk: z.number().default(0),
    min_ram: z.number().default(0),
    protected: z.boolean().default(false),
    os_hidden: z.boolean().default(false),
    checksum: z.string().nullish(),
    created_at: z.string(),
    updated_at: z.string().nullish(),
    tags: z.array(z.string()).default([]),
  })
  .transform((i) => ({
    id: i.id,
    name: i.name ?? null,
    status: i.status,
    visibility: i.visibility,
    owner: i.owner ?? null,
    sizeBytes: i.size ?? null,
    virtualSizeBytes: i.virtual_size ?? null,
    diskFormat: i.disk_format ?? null,
    containerFormat: i.container_format ?? null,
    minDiskGb: i.min_disk,
    minRamMb: i.min_ram,
    protected: i.protected,
    hidden: i.os_hidden,
    checksum: i.checksum ?? null,
    createdAt: new Date(i.created_at),
    updatedAt: i.updated_at ? new Date(i.updated_at) : null,
    tags: i.tags,
    /** Custom properties (os_distro, image_type, hw_*, …) under their own names. */
    properties: Object.fromEntries(Object.entries(i).filter(([k]) => !CORE_KEYS.has(k))),
    raw: i,
  }));

export type Image = z.output<typeof imageSchema>;

export interface ListImagesOptions {
  status?: string;
  /** "all" includes community images, which Glance leaves out by default. */
  visibility?: "public" | "private" | "shared" | "community" | "all";
  owner?: string;
  name?: string;
  tag?: string;
  /** Page size; default 1000 (Glance clamps it to its api_limit_max). */
  limit?: number;
}

export interface CreateImageOptions {
  name: string;
  diskFormat?: string;
  containerFormat?: string;
  visibility?: "public" | "private" | "shared" | "community";
  minDiskGb?: number;
  minRamMb?: number;
  protected?: boolean;
  tags?: string[];
  /** Custom properties; Glance stores them as strings. */
  properties?: Record<string, string>;
}
