import { describe, expect, it } from "vitest";
import { uniqueKeys } from "./unique-keys";

describe("uniqueKeys", () => {
  it.each([
    [[], []],
    [["auth", "catalog"], ["auth", "catalog"]],
    // The typed admin URL and the catalog's admin endpoint are both "admin-url" checks.
    [["auth", "admin-url", "admin-url"], ["auth", "admin-url", "admin-url#2"]],
    [["a", "a", "a"], ["a", "a#2", "a#3"]],
    // An id that already looks like a generated key is not reused.
    [["a", "a#2", "a"], ["a", "a#2", "a#2'"]],
  ])("%j → %j", (ids, keys) => {
    const out = uniqueKeys(ids);
    expect(out).toEqual(keys);
    expect(new Set(out).size).toBe(out.length);
  });
});
