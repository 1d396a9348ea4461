import { describe, expect, it } from "vitest";
import { diffGroupVars, groupVarsInputSchema, readGroupVars } from "./group-vars";

describe("group_vars input", () => {
  it("takes rows, drops blank ones and keeps values as typed", () => {
    const r = groupVarsInputSchema.safeParse({ key: ["TIMEZONE", "", " NTP_SERVERS "], value: ["America/Phoenix", "", " a b "] });
    expect(r.success && r.data).toEqual({ TIMEZONE: "America/Phoenix", NTP_SERVERS: " a b " });
  });

  it("accepts a single row (FormData with one key) and none at all", () => {
    expect(groupVarsInputSchema.parse({ key: "MOUNTSOURCE", value: "nfs:/x" })).toEqual({ MOUNTSOURCE: "nfs:/x" });
    expect(groupVarsInputSchema.parse({})).toEqual({});
  });

  it.each([
    [{ key: ["timezone"], value: ["x"] }, "key.0", "UPPER_SNAKE_CASE"],
    [{ key: ["1ABC"], value: ["x"] }, "key.0", "UPPER_SNAKE_CASE"],
    [{ key: ["A-B"], value: ["x"] }, "key.0", "UPPER_SNAKE_CASE"],
    [{ key: ["", "B"], value: ["x", "y"] }, "key.0", "Name this variable"],
    [{ key: ["A", "A"], value: ["x", "y"] }, "key.1", "set twice"],
    [{ key: ["A"], value: ["x".repeat(4001)] }, "value.0", "4000 characters"],
  ])("refuses %j at %s", (input, path, message) => {
    const r = groupVarsInputSchema.safeParse(input);
    expect(r.success).toBe(false);
    const issue = r.error!.issues.find((i) => i.path.join(".") === path);
    expect(issue?.message).toContain(message);
  });
});

describe("readGroupVars", () => {
  it("reads the stored object and ignores what is not KEY → value", () => {
    expect(readGroupVars({ group_vars: { A: "1", B: 2, C: true, D: ["x", "y"], lower: "no", E: { x: 1 } } })).toEqual({ A: "1", B: "2", C: "true", D: "x y" });
    expect(readGroupVars({})).toEqual({});
    expect(readGroupVars(null)).toEqual({});
    expect(readGroupVars({ group_vars: [1, 2] })).toEqual({});
  });
});

describe("diffGroupVars", () => {
  it("names added, removed and changed keys", () => {
    expect(diffGroupVars({ A: "1", B: "2", C: "3" }, { A: "1", B: "x", D: "4" })).toEqual({ added: ["D"], removed: ["C"], changed: ["B"] });
  });
});
