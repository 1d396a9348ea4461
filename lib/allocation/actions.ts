// Action definitions for the allocation pages. app/…/allocation/actions.ts wraps them with
// defineAction/defineFormAction; tests run them through runAction with their own db.
import { revalidatePath } from "next/cache";
import type { ActionDefinition } from "@/lib/actions/safe-action";
import { ActionError } from "@/lib/actions/errors";
import { getProvider } from "@/lib/db/queries/providers";
import { formatAmount } from "@/lib/domain/allocation";
import { getUserName, setAllocationOverride } from "./queries";
import { previewStrategySchema, saveStrategySchema, setOverrideSchema } from "./schemas";
import { previewStrategyChange, saveStrategy, type SavedStrategy, type StrategyPreview } from "./service";

/** Re-renders the pages that show an allocation change. */
function refresh(providerId: number) {
  revalidatePath("/allocation");
  revalidatePath(`/providers/${providerId}/allocation`);
}

export const saveStrategyDef: ActionDefinition<typeof saveStrategySchema, SavedStrategy> = {
  name: "saveAllocationStrategy",
  permission: "allocation.manage",
  input: saveStrategySchema,
  async handler({ providerId, ...strategy }, ctx) {
    const saved = await saveStrategy(ctx.db, providerId, strategy);
    await ctx.audit({
      action: "allocation.update",
      targetType: "provider",
      targetId: providerId,
      details: { provider: saved.providerName, before: saved.before, after: saved.after, summary: saved.summary },
    });
    refresh(providerId);
    return saved;
  },
};

/** Read-only: nothing is written, so nothing is audited. */
export const previewStrategyDef: ActionDefinition<typeof previewStrategySchema, StrategyPreview> = {
  name: "previewAllocationStrategy",
  permission: "allocation.manage",
  input: previewStrategySchema,
  async handler({ providerId, ...strategy }, ctx) {
    if (!(await getProvider(ctx.db, providerId))) throw new ActionError("not_found", `There is no provider ${providerId}.`);
    return previewStrategyChange(ctx.db, providerId, strategy);
  },
};

export type OverrideResult = { userId: number; username: string; override: number | null; message: string };

export const setOverrideDef: ActionDefinition<typeof setOverrideSchema, OverrideResult> = {
  name: "setAllocationOverride",
  permission: "allocation.manage",
  input: setOverrideSchema,
  async handler({ providerId, userId, override }, ctx) {
    const [changed, user] = await Promise.all([
      setAllocationOverride(ctx.db, providerId, userId, override),
      getUserName(ctx.db, userId),
    ]);
    if (!changed || !user) {
      throw new ActionError("not_found", `This user has no live account on provider ${providerId}, so there is nothing to override.`);
    }
    await ctx.audit({
      action: "allocation.override",
      targetType: "identity",
      targetId: changed.identityId,
      details: { providerId, userId, username: user.username, before: changed.before, after: override },
    });
    refresh(providerId);
    return {
      userId,
      username: user.username,
      override,
      message:
        override === null
          ? `${user.username} now gets the provider's allocation.`
          : `${user.username} now gets ${formatAmount(override)} per refresh.`,
    };
  },
};
