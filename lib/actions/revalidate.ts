import { revalidatePath } from "next/cache";
import type { z } from "zod";
import type { ActionDefinition } from "./safe-action";

/**
 * The same definition, refreshing a page after it succeeds. Definitions stay free of Next's
 * cache (their db tests run outside Next); the lib module exports this wrapped version for its route.
 */
export function withRevalidate<S extends z.ZodType, T>(
  def: ActionDefinition<S, T>,
  path: (input: z.output<S>) => string,
  type?: "layout" | "page",
): ActionDefinition<S, T> {
  return {
    ...def,
    async handler(input, ctx) {
      const out = await def.handler(input, ctx);
      revalidatePath(path(input), type);
      return out;
    },
  };
}
