import { seg } from "../../../core/lookup";

export const volumeAttachmentsUrl = (serverId: string) => `/servers/${seg(serverId)}/os-volume_attachments`;
export const volumeAttachmentUrl = (serverId: string, volumeId: string) =>
  `/servers/${seg(serverId)}/os-volume_attachments/${seg(volumeId)}`;
