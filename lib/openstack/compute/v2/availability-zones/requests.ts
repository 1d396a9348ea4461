import { z } from "zod";

import type { ServiceClient } from "../../../core/service-client";
import { availabilityZoneSchema, type AvailabilityZone } from "./types";
import { availabilityZonesDetailUrl, availabilityZonesUrl } from "./urls";

/** Lists compute availability zones; `detail` adds hosts (admin). GET /v2.1/os-availability-zone[/detail] */
export async function listAvailabilityZones(
  sc: ServiceClient,
  opts: { detail?: boolean } = {},
): Promise<AvailabilityZone[]> {
  const url = opts.detail ? availabilityZonesDetailUrl() : availabilityZonesUrl();
  const body = await sc.getJson(url, z.object({ availabilityZoneInfo: z.array(availabilityZoneSchema) }));
  return body.availabilityZoneInfo;
}
