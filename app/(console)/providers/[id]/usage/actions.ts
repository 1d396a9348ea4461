"use server";

import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { defineFormAction } from "@/lib/actions";
import type { ActionDefinition } from "@/lib/actions/safe-action";
import { saveRulesDef, saveSiteDef } from "@/lib/accounting/actions";

// The definitions (and their tests) live in lib/accounting/actions.ts.
function refreshing<S extends z.ZodType, T extends object>(def: ActionDefinition<S, T>): ActionDefinition<S, T> {
  return {
    ...def,
    async handler(input, ctx) {
      const out = await def.handler(input, ctx);
      revalidatePath(`/providers/${(input as { providerId: number }).providerId}/usage`);
      return out;
    },
  };
}

export const saveRules = defineFormAction(refreshing(saveRulesDef));
export const saveSite = defineFormAction(refreshing(saveSiteDef));
