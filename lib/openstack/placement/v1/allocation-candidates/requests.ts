import type { ServiceClient } from "../../../core/service-client";
import {
  allocationCandidatesSchema,
  resourcesQuery,
  type AllocationCandidates,
  type ListAllocationCandidatesOptions,
} from "./types";
import { allocationCandidatesUrl } from "./urls";

/** Asks which providers could host these resources. GET /allocation_candidates?resources= */
export async function listAllocationCandidates(
  sc: ServiceClient,
  opts: ListAllocationCandidatesOptions,
): Promise<AllocationCandidates> {
  return sc.getJson(allocationCandidatesUrl(), allocationCandidatesSchema, {
    query: {
      resources: resourcesQuery(opts.resources),
      required: opts.required?.length ? opts.required.join(",") : undefined,
      limit: opts.limit,
    },
  });
}
