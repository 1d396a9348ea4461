import { z } from "zod";

/** A consumer's allocations: provider uuid → resources it holds there. */
export const consumerAllocationsSchema = z
  .looseObject({
    allocations: z.record(z.string(), z.looseObject({ resources: z.record(z.string(), z.number()) })),
    project_id: z.string().optional(),
    user_id: z.string().optional(),
  })
  .transform((b) => ({
    allocations: Object.fromEntries(Object.entries(b.allocations).map(([uuid, a]) => [uuid, a.resources])),
    projectId: b.project_id ?? null,
    userId: b.user_id ?? null,
  }));

export type ConsumerAllocations = z.output<typeof consumerAllocationsSchema>;
