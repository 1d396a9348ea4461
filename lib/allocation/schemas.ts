import { z } from "zod";
import {
  COUNTING_BEHAVIORS,
  REFRESH_BEHAVIORS,
  RULES_BEHAVIORS,
  type CountingBehavior,
  type RefreshBehavior,
  type RulesBehavior,
} from "@/lib/domain/allocation";

/** The largest allocation per refresh the editor accepts (a 128-vCPU instance for a year is ~1.1 M CPU-hours). */
export const MAX_THRESHOLD = 1_000_000;
export const DEFAULT_THRESHOLD = 168;

// FormData gives one string for one checkbox, an array for several, nothing for none.
const asList = (v: unknown): unknown[] => (v === undefined || v === null || v === "" ? [] : Array.isArray(v) ? v : [v]);

function names<T extends string>(all: readonly T[], what: string) {
  return z.unknown().transform((v, ctx): T[] => {
    const out: T[] = [];
    for (const raw of asList(v)) {
      const name = String(raw);
      if (!(all as readonly string[]).includes(name)) {
        ctx.addIssue({ code: "custom", message: `Unknown ${what} behaviour "${name}".` });
        return z.NEVER;
      }
      if (!out.includes(name as T)) out.push(name as T);
    }
    // Stored in the order the editor lists them, so before/after compare cleanly.
    return all.filter((n) => out.includes(n));
  });
}

const countingSchema = z.unknown().transform((v, ctx): CountingBehavior => {
  const list = asList(v);
  if (list.length !== 1) {
    ctx.addIssue({ code: "custom", message: "Choose exactly one counting behaviour." });
    return z.NEVER;
  }
  const name = String(list[0]);
  if (!(COUNTING_BEHAVIORS as readonly string[]).includes(name)) {
    ctx.addIssue({ code: "custom", message: `Unknown counting behaviour "${name}".` });
    return z.NEVER;
  }
  return name as CountingBehavior;
});

const refreshSchema = names<RefreshBehavior>(REFRESH_BEHAVIORS, "refresh").superRefine((list, ctx) => {
  if (list.length === 0) {
    ctx.addIssue({ code: "custom", message: 'Choose at least one refresh behaviour ("No Refresh" grants a single allocation at join).' });
  } else if (list.includes("No Refresh") && list.length > 1) {
    ctx.addIssue({ code: "custom", message: '"No Refresh" cannot be combined with another refresh behaviour.' });
  }
});

/** A threshold typed by a person: a number of units, more than 0, at most MAX_THRESHOLD. */
export const thresholdSchema = z.preprocess(
  (v) => (typeof v === "string" ? (v.trim() === "" ? undefined : Number(v.replace(/[,_\s]/g, ""))) : v),
  z
    .number({ error: "Enter the allocation per refresh as a number." })
    .refine(Number.isFinite, "Enter the allocation per refresh as a number.")
    .gt(0, "The allocation must be more than 0.")
    .max(MAX_THRESHOLD, `The allocation can be at most ${MAX_THRESHOLD.toLocaleString("en-US")} per refresh.`),
);

export const allocationStrategySchema = z.object({
  countingBehavior: countingSchema,
  refreshBehaviors: refreshSchema,
  rulesBehaviors: names<RulesBehavior>(RULES_BEHAVIORS, "rules"),
  threshold: thresholdSchema,
});

export type AllocationStrategyInput = z.output<typeof allocationStrategySchema>;

export const providerIdSchema = z.coerce.number("This provider link is broken.").int("This provider link is broken.").positive("This provider link is broken.");

export const saveStrategySchema = allocationStrategySchema.extend({ providerId: providerIdSchema });

export const previewStrategySchema = saveStrategySchema;

/** An override typed in the usage table: blank clears it (the provider's threshold applies). */
export const setOverrideSchema = z.object({
  providerId: providerIdSchema,
  userId: z.coerce.number().int().positive("This user link is broken."),
  override: z.preprocess((v) => (v === "" || v === undefined ? null : v), thresholdSchema.nullable()),
});
