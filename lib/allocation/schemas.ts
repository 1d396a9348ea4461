import { z } from "zod";
import { checkStrategy, checkThreshold, type CheckedStrategy } from "./strategy-check";

// The checks themselves are in strategy-check.ts (the browser's editor runs them too).
export { DEFAULT_THRESHOLD, MAX_THRESHOLD } from "./strategy-check";

/** A threshold typed by a person: a number of units, more than 0, at most MAX_THRESHOLD. */
export const thresholdSchema = z.unknown().transform((v, ctx): number => {
  const checked = checkThreshold(v);
  if ("value" in checked) return checked.value;
  ctx.addIssue({ code: "custom", message: checked.message });
  return z.NEVER;
});

const strategyFields = z.object({
  countingBehavior: z.unknown(),
  refreshBehaviors: z.unknown(),
  rulesBehaviors: z.unknown(),
  threshold: z.unknown(),
});

function strategyOf(v: z.output<typeof strategyFields>, ctx: z.RefinementCtx): CheckedStrategy {
  const checked = checkStrategy(v);
  if ("strategy" in checked) return checked.strategy;
  for (const issue of checked.issues) ctx.addIssue({ code: "custom", path: [issue.path], message: issue.message });
  return z.NEVER;
}

export const allocationStrategySchema = strategyFields.transform(strategyOf);

export type AllocationStrategyInput = z.output<typeof allocationStrategySchema>;

export const providerIdSchema = z.coerce.number("This provider link is broken.").int("This provider link is broken.").positive("This provider link is broken.");

export const saveStrategySchema = strategyFields.extend({ providerId: providerIdSchema }).transform((v, ctx) => ({ providerId: v.providerId, ...strategyOf(v, ctx) }));

export const previewStrategySchema = saveStrategySchema;

/** An override typed in the usage table: blank clears it (the provider's threshold applies). */
export const setOverrideSchema = z.object({
  providerId: providerIdSchema,
  userId: z.coerce.number().int().positive("This user link is broken."),
  override: z.preprocess((v) => (v === "" || v === undefined ? null : v), thresholdSchema.nullable()),
});
