import { z } from "zod";

export const volumeAttachmentSchema = z
  .looseObject({
    id: z.string().nullish(),
    serverId: z.string(),
    volumeId: z.string(),
    device: z.string().nullish(),
    tag: z.string().nullish(),
    delete_on_termination: z.boolean().nullish(),
    attachment_id: z.string().nullish(),
  })
  .transform((a) => ({
    serverId: a.serverId,
    volumeId: a.volumeId,
    device: a.device ?? null,
    tag: a.tag ?? null,
    deleteOnTermination: a.delete_on_termination ?? false,
    raw: a,
  }));

export type VolumeAttachment = z.output<typeof volumeAttachmentSchema>;

export interface AttachVolumeOptions {
  volumeId: string;
  /** Nova usually ignores the requested device name. */
  device?: string;
}
