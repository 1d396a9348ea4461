import { describe, expect, it } from "vitest";
import { allocationStrategySchema, setOverrideSchema } from "./schemas";
import { checkStrategy, checkThreshold } from "./strategy-check";

const good = { countingBehavior: "Count all time", refreshBehaviors: ["First of the Month"], rulesBehaviors: ["Multiply by Size CPU", "Ignore non-active status"], threshold: "1,000" };

describe("checkStrategy: the editor's checks in the browser, the same as the server's schema", () => {
  it.each([
    ["a good strategy", good],
    ["no counting behaviour", { ...good, countingBehavior: [] }],
    ["two counting behaviours", { ...good, countingBehavior: ["Count all time", "1 Month - Calendar Window"] }],
    ["No Refresh with another", { ...good, refreshBehaviors: ["No Refresh", "First of the Month"] }],
    ["no refresh", { ...good, refreshBehaviors: undefined }],
    ["an unknown rule and a blank threshold", { ...good, rulesBehaviors: "Multiply by Size GPU", threshold: " " }],
    ["a threshold too large", { ...good, threshold: 1_000_001 }],
  ])("%s", (_, input) => {
    const checked = checkStrategy(input);
    const parsed = allocationStrategySchema.safeParse(input);
    if ("strategy" in checked) {
      expect(parsed.success).toBe(true);
      expect(parsed.data).toEqual(checked.strategy);
    } else {
      expect(parsed.success).toBe(false);
      expect(parsed.error!.issues.map((i) => [i.path[0], i.message])).toEqual(checked.issues.map((i) => [i.path, i.message]));
    }
  });

  it("normalises: rules in the editor's order, once each, and a threshold typed with separators", () => {
    const checked = checkStrategy({ ...good, rulesBehaviors: ["Multiply by Size CPU", "Ignore non-active status", "Multiply by Size CPU"], threshold: "1_000 " });
    expect(checked).toEqual({ strategy: expect.objectContaining({ threshold: 1000 }) });
    expect("strategy" in checked && checked.strategy.rulesBehaviors).toHaveLength(2);
  });

  it("reads thresholds the way people type them, and a blank override clears it", () => {
    expect(checkThreshold("2,500.5")).toEqual({ value: 2500.5 });
    expect(checkThreshold("abc")).toEqual({ message: "Enter the allocation per refresh as a number." });
    expect(checkThreshold(0)).toEqual({ message: "The allocation must be more than 0." });
    expect(setOverrideSchema.parse({ providerId: "1", userId: "2", override: "" })).toEqual({ providerId: 1, userId: 2, override: null });
    expect(setOverrideSchema.safeParse({ providerId: "1", userId: "2", override: "-1" }).error?.issues[0].message).toBe("The allocation must be more than 0.");
  });
});
