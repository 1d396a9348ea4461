import { z } from "zod";

import type { ServiceClient } from "../../../core/service-client";
import { volumeAttachmentSchema, type AttachVolumeOptions, type VolumeAttachment } from "./types";
import { volumeAttachmentsUrl, volumeAttachmentUrl } from "./urls";

/** Lists a server's volume attachments. GET /v2.1/servers/{id}/os-volume_attachments */
export async function listVolumeAttachments(sc: ServiceClient, serverId: string): Promise<VolumeAttachment[]> {
  const body = await sc.getJson(
    volumeAttachmentsUrl(serverId),
    z.object({ volumeAttachments: z.array(volumeAttachmentSchema) }),
  );
  return body.volumeAttachments;
}

/** nova-api waits on a synchronous RPC to the compute host before answering. */
const ATTACH_TIMEOUT_MS = 60_000;

/** Attaches a Cinder volume to a server. POST /v2.1/servers/{id}/os-volume_attachments */
export async function attachVolume(
  sc: ServiceClient,
  serverId: string,
  opts: AttachVolumeOptions,
): Promise<VolumeAttachment> {
  const res = await sc.request("POST", volumeAttachmentsUrl(serverId), {
    timeoutMs: ATTACH_TIMEOUT_MS,
    json: { volumeAttachment: { volumeId: opts.volumeId, device: opts.device } },
  });
  return sc.parse(z.object({ volumeAttachment: volumeAttachmentSchema }), res).volumeAttachment;
}

/** Detaches a volume from a server. DELETE /v2.1/servers/{id}/os-volume_attachments/{volume_id} */
export async function detachVolume(sc: ServiceClient, serverId: string, volumeId: string): Promise<void> {
  await sc.request("DELETE", volumeAttachmentUrl(serverId, volumeId));
}
