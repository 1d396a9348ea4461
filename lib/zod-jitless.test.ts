import { describe, expect, it } from "vitest";
import { enableZodJitless } from "./zod-jitless";

describe("enableZodJitless", () => {
  it("is what zod's own config reads, set before zod loads", async () => {
    enableZodJitless();
    const { config } = await import("zod/v4/core");
    expect(config().jitless).toBe(true);
    // And zod's parsers stay correct without compiling.
    const { z } = await import("zod");
    expect(z.object({ a: z.number() }).safeParse({ a: "x" }).success).toBe(false);
    expect(z.object({ a: z.number() }).parse({ a: 1 })).toEqual({ a: 1 });
  });
});
