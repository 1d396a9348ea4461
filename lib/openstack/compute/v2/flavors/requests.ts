import { z } from "zod";

import { onlyOne } from "../../../core/lookup";
import { collect, paginate } from "../../../core/pagination";
import type { ServiceClient } from "../../../core/service-client";
import { flavorSchema, type Flavor, type ListFlavorsOptions } from "./types";
import { flavorExtraSpecsUrl, flavorsDetailUrl, flavorUrl } from "./urls";

/** Lists flavors page by page, private ones included by default. GET /v2.1/flavors/detail?is_public=None */
export function flavorPages(sc: ServiceClient, opts: ListFlavorsOptions = {}): AsyncGenerator<Flavor[]> {
  const visibility = opts.visibility ?? "all";
  return paginate(sc, {
    path: flavorsDetailUrl(),
    itemsKey: "flavors",
    item: flavorSchema,
    query: {
      // Nova's spelling for "public and private"; non-admins just get what they can see.
      is_public: visibility === "all" ? "None" : visibility,
      minRam: opts.minRamMb,
      minDisk: opts.minDiskGb,
      limit: opts.limit,
    },
  });
}

/** Lists flavors. GET /v2.1/flavors/detail */
export function listFlavors(sc: ServiceClient, opts: ListFlavorsOptions = {}): Promise<Flavor[]> {
  return collect(flavorPages(sc, opts));
}

/** Gets one flavor. GET /v2.1/flavors/{id} */
export async function getFlavor(sc: ServiceClient, id: string): Promise<Flavor> {
  return (await sc.getJson(flavorUrl(id), z.object({ flavor: flavorSchema }))).flavor;
}

/** Finds a flavor by exact name, or null. GET /v2.1/flavors/detail */
export async function findFlavorByName(sc: ServiceClient, name: string): Promise<Flavor | null> {
  return onlyOne((await listFlavors(sc)).filter((f) => f.name === name), "flavor", name);
}

/** Gets a flavor's extra specs. GET /v2.1/flavors/{id}/os-extra_specs */
export async function getFlavorExtraSpecs(sc: ServiceClient, id: string): Promise<Record<string, string>> {
  const body = await sc.getJson(flavorExtraSpecsUrl(id), z.object({ extra_specs: z.record(z.string(), z.string()) }));
  return body.extra_specs;
}
