"use server";

import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { defineFormAction } from "@/lib/actions";
import type { ActionDefinition } from "@/lib/actions/safe-action";
import { bulkQuotaDef, saveTierDef, setAccountQuotaDef } from "@/lib/quotas/actions";

// Definitions and tests live in lib/quotas/actions.ts; here they get the session and refresh the pages.
function refreshing<S extends z.ZodType, T>(def: ActionDefinition<S, T>): ActionDefinition<S, T> {
  return {
    ...def,
    async handler(input, ctx) {
      const out = await def.handler(input, ctx);
      revalidatePath(`/providers/${(input as { providerId: number }).providerId}/quotas`, "layout");
      return out;
    },
  };
}

export const saveTier = defineFormAction(refreshing(saveTierDef));
export const setAccountQuota = defineFormAction(refreshing(setAccountQuotaDef));
export const bulkAccountQuota = defineFormAction(bulkQuotaDef);
