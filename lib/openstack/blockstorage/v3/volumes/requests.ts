import { z } from "zod";

import { isStatus, OpenStackError } from "../../../core/errors";
import { collect, paginate } from "../../../core/pagination";
import type { ServiceClient } from "../../../core/service-client";
import { volumeSchema, type CreateVolumeOptions, type ListVolumesOptions, type Volume } from "./types";
import { volumesDetailUrl, volumesUrl, volumeUrl } from "./urls";

const one = z.object({ volume: volumeSchema });

/** Lists volumes with details page by page. GET /v3/{project}/volumes/detail */
export function volumePages(sc: ServiceClient, opts: ListVolumesOptions = {}): AsyncGenerator<Volume[]> {
  return paginate(sc, {
    path: volumesDetailUrl(),
    itemsKey: "volumes",
    item: volumeSchema,
    query: {
      all_tenants: opts.allTenants ? 1 : undefined,
      project_id: opts.projectId,
      status: opts.status,
      name: opts.name,
      limit: opts.limit,
    },
  });
}

/** Lists volumes with details. GET /v3/{project}/volumes/detail */
export function listVolumes(sc: ServiceClient, opts: ListVolumesOptions = {}): Promise<Volume[]> {
  return collect(volumePages(sc, opts));
}

/** Gets one volume. GET /v3/{project}/volumes/{id} */
export async function getVolume(sc: ServiceClient, id: string): Promise<Volume> {
  return (await sc.getJson(volumeUrl(id), one)).volume;
}

/** Creates a volume; it starts as "creating". POST /v3/{project}/volumes */
export async function createVolume(sc: ServiceClient, opts: CreateVolumeOptions): Promise<Volume> {
  const res = await sc.request("POST", volumesUrl(), {
    json: {
      volume: {
        size: opts.sizeGb,
        name: opts.name,
        description: opts.description,
        volume_type: opts.volumeType,
        availability_zone: opts.availabilityZone,
        imageRef: opts.imageId,
        metadata: opts.metadata,
      },
    },
  });
  return sc.parse(one, res).volume;
}

/** Deletes a volume (it must not be attached). DELETE /v3/{project}/volumes/{id} */
export async function deleteVolume(sc: ServiceClient, id: string): Promise<void> {
  await sc.request("DELETE", volumeUrl(id));
}

/**
 * Polls a volume until it has one of the statuses; throws when it turns to an error state
 * or the time is up. "deleted" is reached when the volume is gone.
 * GET /v3/{project}/volumes/{id} every intervalMs
 */
export async function waitForVolumeStatus(
  sc: ServiceClient,
  id: string,
  statuses: readonly string[],
  opts: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<Volume | null> {
  const deadline = Date.now() + (opts.timeoutMs ?? 300_000);
  for (;;) {
    let volume: Volume;
    try {
      volume = await getVolume(sc, id);
    } catch (err) {
      if (isStatus(err, 404) && statuses.includes("deleted")) return null;
      throw err;
    }
    if (statuses.includes(volume.status)) return volume;
    if (volume.status.startsWith("error")) {
      throw new OpenStackError(`Volume ${id} went to ${volume.status} while waiting for ${statuses.join("/")}`);
    }
    if (Date.now() > deadline) {
      throw new OpenStackError(`Volume ${id} is still ${volume.status} after waiting for ${statuses.join("/")}`);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 1_000));
  }
}
