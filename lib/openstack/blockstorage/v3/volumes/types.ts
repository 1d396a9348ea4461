import { z } from "zod";

export const volumeSchema = z
  .looseObject({
    id: z.string(),
    name: z.string().nullish(),
    status: z.string(),
    size: z.number(),
    volume_type: z.string().nullish(),
    availability_zone: z.string().nullish(),
    // Cinder reports booleans here as the strings "true"/"false".
    bootable: z.union([z.string(), z.boolean()]).nullish(),
    multiattach: z.boolean().nullish(),
    encrypted: z.boolean().nullish(),
    description: z.string().nullish(),
    created_at: z.string().nullish(),
    updated_at: z.string().nullish(),
    metadata: z.record(z.string(), z.string()).default({}),
    attachments: z
      .array(
        z.looseObject({
          server_id: z.string().nullish(),
          attachment_id: z.string().nullish(),
          device: z.string().nullish(),
        }),
      )
      .default([]),
    "os-vol-tenant-attr:tenant_id": z.string().nullish(),
    user_id: z.string().nullish(),
  })
  .transform((v) => ({
    id: v.id,
    name: v.name ?? null,
    status: v.status,
    sizeGb: v.size,
    volumeType: v.volume_type ?? null,
    availabilityZone: v.availability_zone ?? null,
    bootable: v.bootable === true || v.bootable === "true",
    multiattach: v.multiattach ?? false,
    encrypted: v.encrypted ?? false,
    description: v.description ?? "",
    createdAt: v.created_at ? new Date(v.created_at) : null,
    updatedAt: v.updated_at ? new Date(v.updated_at) : null,
    metadata: v.metadata,
    attachments: v.attachments.map((a) => ({
      serverId: a.server_id ?? null,
      attachmentId: a.attachment_id ?? null,
      device: a.device ?? null,
    })),
    /** Visible to admins only. */
    projectId: v["os-vol-tenant-attr:tenant_id"] ?? null,
    userId: v.user_id ?? null,
    raw: v,
  }));

export type Volume = z.output<typeof volumeSchema>;

export interface ListVolumesOptions {
  /** Every project's volumes (admin). */
  allTenants?: boolean;
  projectId?: string;
  status?: string;
  name?: string;
  limit?: number;
}

export interface CreateVolumeOptions {
  sizeGb: number;
  name?: string;
  description?: string;
  volumeType?: string;
  availabilityZone?: string;
  /** Creates a bootable volume from this Glance image. */
  imageId?: string;
  metadata?: Record<string, string>;
}
