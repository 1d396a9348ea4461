"use server";

import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { defineFormAction } from "@/lib/actions";
import type { ActionDefinition } from "@/lib/actions/safe-action";
import { driftBulkDef, driftRowDef } from "@/lib/drift/actions";

// Definitions and tests live in lib/drift/actions.ts.
function refreshing<S extends z.ZodType, T>(def: ActionDefinition<S, T>): ActionDefinition<S, T> {
  return {
    ...def,
    async handler(input, ctx) {
      const out = await def.handler(input, ctx);
      revalidatePath(`/providers/${(input as { providerId: number }).providerId}/drift`);
      return out;
    },
  };
}

export const driftBulk = defineFormAction(driftBulkDef);
export const driftRow = defineFormAction(refreshing(driftRowDef));
