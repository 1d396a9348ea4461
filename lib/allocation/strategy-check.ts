// The allocation strategy's checks without a validation library: the strategy editor runs them
// in the browser as the operator types, and the server's schemas (schemas.ts) wrap the same
// functions, so both say the same thing.
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

export type StrategyField = "countingBehavior" | "refreshBehaviors" | "rulesBehaviors" | "threshold";
export type StrategyIssue = { path: StrategyField; message: string };
export type CheckedStrategy = { countingBehavior: CountingBehavior; refreshBehaviors: RefreshBehavior[]; rulesBehaviors: RulesBehavior[]; threshold: number };

// FormData gives one string for one checkbox, an array for several, nothing for none.
const asList = (v: unknown): unknown[] => (v === undefined || v === null || v === "" ? [] : Array.isArray(v) ? v : [v]);

/** Known names, once each, in the order the editor lists them (so before/after compare cleanly). */
function names<T extends string>(all: readonly T[], v: unknown, what: string): { list: T[] } | { message: string } {
  const out: T[] = [];
  for (const raw of asList(v)) {
    const name = String(raw);
    if (!(all as readonly string[]).includes(name)) return { message: `Unknown ${what} behaviour "${name}".` };
    if (!out.includes(name as T)) out.push(name as T);
  }
  return { list: all.filter((n) => out.includes(n)) };
}

/** A threshold typed by a person: a number of units (commas, underscores and spaces allowed), more than 0, at most MAX_THRESHOLD. */
export function checkThreshold(v: unknown): { value: number } | { message: string } {
  const n = typeof v === "string" ? (v.trim() === "" ? Number.NaN : Number(v.replace(/[,_\s]/g, ""))) : typeof v === "number" ? v : Number.NaN;
  if (!Number.isFinite(n)) return { message: "Enter the allocation per refresh as a number." };
  if (n <= 0) return { message: "The allocation must be more than 0." };
  if (n > MAX_THRESHOLD) return { message: `The allocation can be at most ${MAX_THRESHOLD.toLocaleString("en-US")} per refresh.` };
  return { value: n };
}

/** The strategy as typed: the normalised strategy, or what to fix per field. */
export function checkStrategy(raw: { countingBehavior?: unknown; refreshBehaviors?: unknown; rulesBehaviors?: unknown; threshold?: unknown }): { strategy: CheckedStrategy } | { issues: StrategyIssue[] } {
  const issues: StrategyIssue[] = [];

  let countingBehavior: CountingBehavior | undefined;
  const counting = asList(raw.countingBehavior);
  if (counting.length !== 1) issues.push({ path: "countingBehavior", message: "Choose exactly one counting behaviour." });
  else if (!(COUNTING_BEHAVIORS as readonly string[]).includes(String(counting[0]))) {
    issues.push({ path: "countingBehavior", message: `Unknown counting behaviour "${String(counting[0])}".` });
  } else countingBehavior = String(counting[0]) as CountingBehavior;

  const refresh = names(REFRESH_BEHAVIORS, raw.refreshBehaviors, "refresh");
  if ("message" in refresh) issues.push({ path: "refreshBehaviors", message: refresh.message });
  else if (refresh.list.length === 0) {
    issues.push({ path: "refreshBehaviors", message: 'Choose at least one refresh behaviour ("No Refresh" grants a single allocation at join).' });
  } else if (refresh.list.includes("No Refresh") && refresh.list.length > 1) {
    issues.push({ path: "refreshBehaviors", message: '"No Refresh" cannot be combined with another refresh behaviour.' });
  }

  const rules = names(RULES_BEHAVIORS, raw.rulesBehaviors, "rules");
  if ("message" in rules) issues.push({ path: "rulesBehaviors", message: rules.message });

  const threshold = checkThreshold(raw.threshold);
  if ("message" in threshold) issues.push({ path: "threshold", message: threshold.message });

  if (issues.length || !countingBehavior || "message" in refresh || "message" in rules || "message" in threshold) return { issues };
  return { strategy: { countingBehavior, refreshBehaviors: refresh.list, rulesBehaviors: rules.list, threshold: threshold.value } };
}
