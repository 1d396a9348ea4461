import { z } from "zod";

// Before microversion 2.75 Nova reports "no swap" as "" instead of 0.
const swap = z.union([z.number(), z.literal("")]).transform((v) => (v === "" ? 0 : v));

export const flavorSchema = z
  .looseObject({
    id: z.string(),
    name: z.string(),
    vcpus: z.number(),
    ram: z.number(),
    disk: z.number(),
    swap: swap.default(0),
    "OS-FLV-EXT-DATA:ephemeral": z.number().default(0),
    "OS-FLV-DISABLED:disabled": z.boolean().default(false),
    "os-flavor-access:is_public": z.boolean().default(true),
    rxtx_factor: z.number().nullish(),
    description: z.string().nullish(),
    // Included from microversion 2.61.
    extra_specs: z.record(z.string(), z.string()).nullish(),
  })
  .transform((f) => ({
    id: f.id,
    name: f.name,
    vcpus: f.vcpus,
    ramMb: f.ram,
    diskGb: f.disk,
    swapMb: f.swap,
    ephemeralGb: f["OS-FLV-EXT-DATA:ephemeral"],
    disabled: f["OS-FLV-DISABLED:disabled"],
    isPublic: f["os-flavor-access:is_public"],
    description: f.description ?? "",
    /** Null when the server's microversion is below 2.61; use `extraSpecs(id)` then. */
    extraSpecs: f.extra_specs ?? null,
    raw: f,
  }));

export type Flavor = z.output<typeof flavorSchema>;

export interface ListFlavorsOptions {
  /** true: public only; false: private only (admin); "all": both (admin). Default "all". */
  visibility?: boolean | "all";
  minRamMb?: number;
  minDiskGb?: number;
  limit?: number;
}
