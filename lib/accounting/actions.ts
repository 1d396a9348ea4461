import { revalidatePath } from "next/cache";
// Action definitions for the usage page. app/…/usage/actions.ts wraps them with
// defineFormAction; tests run them through runAction with their own db.
import type { ActionDefinition } from "@/lib/actions/safe-action";
import { ActionError } from "@/lib/actions/errors";
import { parseProjectVos, type AccountingRules } from "@/lib/domain/accounting";
import { parseMultipliers, parseRates, saveRulesSchema, saveSiteSchema } from "./schemas";
import { saveRules, saveSite } from "./service";

export type SaveRulesResult = { effectiveFrom: string; message: string };

export const saveRulesDef: ActionDefinition<typeof saveRulesSchema, SaveRulesResult> = {
  name: "saveAccountingRules",
  permission: "accounting.manage",
  input: saveRulesSchema,
  async handler(input, ctx) {
    const rates = parseRates(input.rates);
    const multipliers = parseMultipliers(input.multipliers);
    const fieldErrors: Record<string, string[]> = {};
    if (rates.problems.length) fieldErrors.rates = rates.problems;
    if (multipliers.problems.length) fieldErrors.multipliers = multipliers.problems;
    if (Object.keys(fieldErrors).length) throw new ActionError("invalid_input", "Some lines of the rules could not be read; see below.", fieldErrors);
    const rules: AccountingRules = {
      effectiveFrom: input.effectiveFrom,
      stateWeights: {
        active: input.weightActive,
        suspended: input.weightSuspended,
        paused: input.weightPaused,
        stopped: input.weightStopped,
        shutoff: input.weightStopped,
        shelved: input.weightShelved,
        shelved_offloaded: input.weightShelved,
      },
      otherWeight: input.weightOther,
      multipliers: multipliers.multipliers,
      rates: rates.rates,
      currency: input.currency,
    };
    const saved = await saveRules(ctx.db, input.providerId, rules, ctx.user.id, input.note || null);
    const summary = (r: AccountingRules | null) =>
      r && {
        effectiveFrom: r.effectiveFrom.toISOString(),
        stateWeights: r.stateWeights,
        otherWeight: r.otherWeight,
        multipliers: r.multipliers,
        rates: r.rates,
        currency: r.currency,
      };
    await ctx.audit({
      action: "accounting.rules.create",
      targetType: "provider",
      targetId: input.providerId,
      details: { provider: saved.providerName, version: saved.after.id, before: summary(saved.before), after: summary(saved.after) },
    });
    const from = saved.after.effectiveFrom.toISOString().slice(0, 10);
    revalidatePath(`/providers/${input.providerId}/usage`);
    return { effectiveFrom: from, message: `New rules for ${saved.providerName} apply from ${from} (00:00 UTC).` };
  },
};

export type SaveSiteResult = { message: string };

export const saveSiteDef: ActionDefinition<typeof saveSiteSchema, SaveSiteResult> = {
  name: "saveAccountingSite",
  permission: "accounting.manage",
  input: saveSiteSchema,
  async handler({ providerId, siteName, cloudComputeService, vo, projectVos: text }, ctx) {
    const parsed = parseProjectVos(text);
    if (parsed.problems.length) {
      throw new ActionError("invalid_input", "Some project VO lines could not be read; see below.", { projectVos: parsed.problems });
    }
    const values = { siteName, cloudComputeService, vo: vo || null, projectVos: parsed.projectVos };
    const saved = await saveSite(ctx.db, providerId, values);
    await ctx.audit({
      action: "accounting.site.update",
      targetType: "provider",
      targetId: providerId,
      details: { provider: saved.providerName, before: saved.before, after: values },
    });
    revalidatePath(`/providers/${providerId}/usage`);
    const mapped = Object.keys(parsed.projectVos).length;
    const voText = vo ? `VO ${vo}` : "no VO (FQAN None)";
    return {
      message: `APEL records of ${saved.providerName} now name site ${siteName}, service ${cloudComputeService}, ${voText}${mapped ? `, ${mapped} project${mapped === 1 ? "" : "s"} mapped to their own VO` : ""}.`,
    };
  },
};
