import { z } from "zod";

/** `{VCPU: 1, MEMORY_MB: 512}` → "VCPU:1,MEMORY_MB:512", Placement's query syntax. */
export function resourcesQuery(resources: Record<string, number>): string {
  return Object.entries(resources)
    .map(([rc, amount]) => `${rc}:${amount}`)
    .join(",");
}

const summarySchema = z
  .looseObject({
    resources: z.record(z.string(), z.object({ capacity: z.number(), used: z.number() })),
    traits: z.array(z.string()).default([]),
    parent_provider_uuid: z.string().nullish(),
    root_provider_uuid: z.string().nullish(),
  })
  .transform((s) => ({
    resources: s.resources,
    traits: s.traits,
    parentProviderUuid: s.parent_provider_uuid ?? null,
    rootProviderUuid: s.root_provider_uuid ?? null,
  }));

export const allocationCandidatesSchema = z
  .looseObject({
    allocation_requests: z.array(
      z.looseObject({
        allocations: z.record(z.string(), z.object({ resources: z.record(z.string(), z.number()) })),
      }),
    ),
    provider_summaries: z.record(z.string(), summarySchema),
  })
  .transform((b) => ({
    /** Each candidate: provider uuid → resources it would supply. */
    allocationRequests: b.allocation_requests.map((r) =>
      Object.fromEntries(Object.entries(r.allocations).map(([uuid, a]) => [uuid, a.resources])),
    ),
    providerSummaries: b.provider_summaries,
    raw: b,
  }));

export type AllocationCandidates = z.output<typeof allocationCandidatesSchema>;

export interface ListAllocationCandidatesOptions {
  /** e.g. { VCPU: 1, MEMORY_MB: 512, DISK_GB: 1 } (a flavor's needs). */
  resources: Record<string, number>;
  /** Required traits, "!TRAIT" to forbid. */
  required?: string[];
  limit?: number;
}
