import { describe, expect, it } from "vitest";
import { MAX_PAGE, pageParam } from "./paging";

describe("pageParam", () => {
  it("reads a page number, and turns anything else into 1 or the highest page", () => {
    expect(pageParam("3")).toBe(3);
    expect(pageParam(undefined)).toBe(1);
    expect(pageParam("0")).toBe(1);
    expect(pageParam("-4")).toBe(1);
    expect(pageParam("abc")).toBe(1);
    expect(pageParam("1000000000000000000000")).toBe(MAX_PAGE);
    expect(pageParam("Infinity")).toBe(1);
  });
});
