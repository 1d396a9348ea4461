import { describe, expect, it } from "vitest";
import {
  belowUsage,
  describeBelowUsage,
  effectiveQuota,
  mergeQuota,
  quotaDifferences,
  QUOTA_KEYS,
  SEED_TIERS,
  serviceOf,
  validateQuotaValues,
  validateTierName,
  type QuotaValues,
} from "./quotas";

const medium = SEED_TIERS.find((t) => t.name === "medium")!.values;

describe("seed tiers", () => {
  it("are small, medium and large, valid, with exactly one default, growing in cores", () => {
    expect(SEED_TIERS.map((t) => t.name)).toEqual(["small", "medium", "large"]);
    for (const t of SEED_TIERS) expect(validateQuotaValues(t.values)).toEqual([]);
    expect(SEED_TIERS.filter((t) => t.isDefault)).toHaveLength(1);
    const cores = SEED_TIERS.map((t) => t.values.cores);
    expect([...cores].sort((a, b) => a - b)).toEqual(cores);
  });
});

describe("validateQuotaValues", () => {
  it.each<[string, Partial<Record<string, unknown>>, string]>([
    ["a negative other than -1", { cores: -2 }, "Cores cannot be -2"],
    ["a fraction", { ram: 1.5 }, "RAM (MiB) must be a whole number"],
    ["a string", { port: "10" }, "Ports must be a whole number"],
    ["a missing value", { router: undefined }, "Routers is missing"],
    ["too large", { gigabytes: 2 ** 31 }, "cannot be more than 2147483647"],
  ])("refuses %s", (_name, patch, message) => {
    const problems = validateQuotaValues({ ...medium, ...patch });
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toContain(message);
  });
  it("accepts -1 (unlimited) and 0", () => {
    expect(validateQuotaValues({ ...medium, cores: -1, floatingip: 0 })).toEqual([]);
  });
});

describe("validateTierName", () => {
  it.each([
    ["small", true],
    ["gpu-2.large_x", true],
    ["Small", false],
    ["", false],
    ["-x", false],
    ["a".repeat(41), false],
  ])("%s → %s", (name, ok) => {
    expect(validateTierName(name) === null).toBe(ok);
  });
});

describe("effectiveQuota (Atmosphere's security_group_rule floor)", () => {
  it.each([
    [20, 100],
    [100, 100],
    [250, 250],
    [0, 100],
    [-1, -1],
  ])("rules %i → %i", (rules, want) => {
    expect(effectiveQuota({ ...medium, security_group_rule: rules }).security_group_rule).toBe(want);
  });
  it("leaves every other value alone", () => {
    const e = effectiveQuota({ ...medium, security_group_rule: 5 });
    for (const key of QUOTA_KEYS) if (key !== "security_group_rule") expect(e[key]).toBe(medium[key]);
  });
});

describe("belowUsage", () => {
  it("refuses cores: 8 in use, 4 requested, with the numbers", () => {
    const r = belowUsage({ ...medium, cores: 4 }, { cores: 8, instances: 2 });
    expect(r).toEqual([{ key: "cores", inUse: 8, requested: 4, message: "cores: 8 in use, 4 requested" }]);
    expect(describeBelowUsage(r)).toContain("cores: 8 in use, 4 requested");
  });
  it.each<[string, Partial<QuotaValues>, Record<string, number>, number]>([
    ["equal to usage is fine", { cores: 8 }, { cores: 8 }, 0],
    ["unlimited is never below", { cores: -1 }, { cores: 800 }, 0],
    ["zero below one in use", { floatingip: 0 }, { floatingip: 1 }, 1],
    ["usage unknown (service skipped)", { volumes: 0 }, {}, 0],
    ["several at once", { cores: 1, ram: 100, port: 1 }, { cores: 2, ram: 2048, port: 3 }, 3],
  ])("%s", (_name, values, usage, count) => {
    expect(belowUsage(values, usage)).toHaveLength(count);
  });
});

describe("mergeQuota / quotaDifferences / serviceOf", () => {
  it("custom values override the tier's", () => {
    const m = mergeQuota(medium, { cores: 64 });
    expect(m.cores).toBe(64);
    expect(m.ram).toBe(medium.ram);
    expect(mergeQuota(medium, null)).toEqual(medium);
  });
  it("differences list only keys both sides know", () => {
    expect(quotaDifferences({ cores: 20, ram: 1 }, { cores: 99 })).toEqual([{ key: "cores", want: 20, have: 99 }]);
  });
  it("maps keys to their API", () => {
    expect(serviceOf("cores")).toBe("compute");
    expect(serviceOf("gigabytes")).toBe("volume");
    expect(serviceOf("security_group_rule")).toBe("network");
  });
});
