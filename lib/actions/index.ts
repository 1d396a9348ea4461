import "server-only";
import type { z } from "zod";
import { clientIp } from "@/lib/auth";
import { getSessionUser } from "@/lib/auth/dal";
import { getDb } from "@/lib/db";
import type { ActionResult } from "./errors";
import { runAction, type ActionDefinition } from "./safe-action";

export { ActionError, type ActionResult } from "./errors";

const deps = { getUser: getSessionUser, getDb, getIp: clientIp };

/**
 * Builds a server action from a definition. Use it for every action in the console:
 * `export const renameThing = defineAction({ name, input, permission, handler })`.
 */
export function defineAction<S extends z.ZodType, T>(def: ActionDefinition<S, T>) {
  return (input: z.input<S> | FormData): Promise<ActionResult<T>> => runAction(deps, def, input);
}

/** The same, shaped for `useActionState(action, initial)` forms. */
export function defineFormAction<S extends z.ZodType, T>(def: ActionDefinition<S, T>) {
  return (_prev: ActionResult<T> | null, form: FormData): Promise<ActionResult<T>> => runAction(deps, def, form);
}
