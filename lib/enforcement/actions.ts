// Action definitions for the Enforcement tab; app/…/enforcement/actions.ts wraps them.
import { z } from "zod";
import type { ActionDefinition } from "@/lib/actions/safe-action";
import { ActionError } from "@/lib/actions/errors";
import { getProvider } from "@/lib/db/queries/providers";
import { getPolicy, policySchema, savePolicy } from "./store";

const id = z.coerce.number().int().positive().max(2_147_483_647);

export const savePolicySchema = policySchema.extend({ providerId: id });

export const saveEnforcementPolicyDef: ActionDefinition<typeof savePolicySchema, { message: string }> = {
  name: "saveEnforcementPolicy",
  permission: "accounts.manage",
  input: savePolicySchema,
  async handler({ providerId, ...policy }, ctx) {
    if (!(await getProvider(ctx.db, providerId))) throw new ActionError("not_found", `There is no provider ${providerId}.`);
    const before = await getPolicy(ctx.db, providerId);
    await savePolicy(ctx.db, providerId, policy, ctx.user.id);
    await ctx.audit({ action: "enforcement.policy_saved", targetType: "provider", targetId: providerId, details: { before, after: policy } });
    return { message: policy.enabled ? "Enforcement policy saved; enforcement is on." : "Enforcement policy saved; enforcement is off." };
  },
};
