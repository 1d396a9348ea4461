// Server-action definitions of the capacity tab (wrapped by app/(console)/providers/[id]/capacity/actions.ts).
import { z } from "zod";
import { ActionError } from "@/lib/actions/errors";
import type { ActionDefinition } from "@/lib/actions/safe-action";
import { getProvider } from "@/lib/db/queries/providers";
import { enqueueSnapshot } from "./schedule";

const input = z.object({ providerId: z.coerce.number().int().positive("This provider link is broken.") });

/** "Take a snapshot now": queues the snapshot job (or follows the one already running). */
export const takeCapacitySnapshot: ActionDefinition<typeof input, { jobId: string; created: boolean; message: string }> = {
  name: "takeCapacitySnapshot",
  permission: "imports.run",
  input,
  async handler({ providerId }, ctx) {
    const provider = await getProvider(ctx.db, providerId);
    if (!provider) throw new ActionError("not_found", `There is no provider ${providerId}.`);
    const { job, created } = await enqueueSnapshot(ctx.db, providerId, "manual", ctx.user.id);
    await ctx.audit({ action: "capacity.snapshot", targetType: "provider", targetId: providerId, details: { jobId: job.id, alreadyRunning: !created } });
    return { jobId: job.id, created, message: created ? "Snapshot queued." : "A snapshot is already being taken: following it." };
  },
};
