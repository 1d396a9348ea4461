// Action definitions; the routes' "use server" actions.ts files wrap them with defineAction/defineFormAction.
import { revalidatePath } from "next/cache";
import { actionDefinition } from "@/lib/actions/safe-action";
import { diffGroupVars, groupVarsFormSchema } from "@/lib/inventory/group-vars";
import { saveGroupVars } from "@/lib/inventory/load";

export const updateGroupVars = actionDefinition({
  name: "updateGroupVars",
  permission: "providers.manage",
  input: groupVarsFormSchema,
  async handler({ providerId, vars }, ctx) {
    const { provider, before } = await saveGroupVars(ctx.db, providerId, vars);
    const diff = diffGroupVars(before, vars);
    // Keys only: values may be site details nobody needs in the audit log.
    await ctx.audit({
      action: "inventory.group_vars.update",
      targetType: "provider",
      targetId: providerId,
      details: { name: provider.name, keys: Object.keys(vars).sort(), ...diff },
    });
    revalidatePath(`/providers/${providerId}/inventory`);
    return { count: Object.keys(vars).length, ...diff };
  },
});
