"use server";

import { revalidatePath } from "next/cache";
import { defineAction, defineFormAction } from "@/lib/actions";
import type { ActionDefinition } from "@/lib/actions/safe-action";
import { previewStrategyDef, saveStrategyDef, setOverrideDef } from "@/lib/allocation/actions";
import type { z } from "zod";

// The definitions (and their tests) live in lib/allocation/actions.ts; here they get the
// session, and the pages that show their effect are re-rendered.
function refreshing<S extends z.ZodType, T extends object>(def: ActionDefinition<S, T>): ActionDefinition<S, T> {
  return {
    ...def,
    async handler(input, ctx) {
      const out = await def.handler(input, ctx);
      const providerId = (input as { providerId: number }).providerId;
      revalidatePath("/allocation");
      revalidatePath(`/providers/${providerId}/allocation`);
      return out;
    },
  };
}

export const saveStrategy = defineFormAction(refreshing(saveStrategyDef));
export const setOverride = defineFormAction(refreshing(setOverrideDef));
export const previewStrategy = defineAction(previewStrategyDef);
