import { z } from "zod";

const serviceState = z.looseObject({ available: z.boolean(), active: z.boolean(), updated_at: z.string().nullish() });

export const availabilityZoneSchema = z
  .looseObject({
    zoneName: z.string(),
    zoneState: z.looseObject({ available: z.boolean() }),
    // Per host, per nova service; only in the admin detail view.
    hosts: z.record(z.string(), z.record(z.string(), serviceState)).nullish(),
  })
  .transform((az) => ({
    name: az.zoneName,
    available: az.zoneState.available,
    hosts: az.hosts ?? null,
    raw: az,
  }));

export type AvailabilityZone = z.output<typeof availabilityZoneSchema>;
