import "server-only";
import type { z } from "zod";
import { clientIp } from "@/lib/auth";
import { getSessionUser } from "@/lib/auth/dal";
import { getDb } from "@/lib/db";
import type { ActionResult } from "./errors";
import { runAction, type AnyActionDefinition } from "./safe-action";

export { ActionError, type ActionResult } from "./errors";

const deps = { getUser: getSessionUser, getDb, getIp: clientIp };

/**
 * Builds a server action from a definition. Definitions live in `lib/<feature>/actions.ts`;
 * the route's `"use server"` file only wraps them: `export const renameThing = defineAction(defs.renameThing)`.
 */
export function defineAction<S extends z.ZodType, T>(def: AnyActionDefinition<S, T>) {
  return (input: z.input<S> | FormData): Promise<ActionResult<T>> => runAction(deps, def, input);
}

/** The same, shaped for `useActionState(action, initial)` forms. */
export function defineFormAction<S extends z.ZodType, T>(def: AnyActionDefinition<S, T>) {
  return (_prev: ActionResult<T> | null, form: FormData): Promise<ActionResult<T>> => runAction(deps, def, form);
}

/**
 * For actions whose outcome is a redirect (sign in with SSO, sign out), used directly as
 * `<form action>` or called without input: the result is not shown (failures are logged).
 */
export function defineRedirectAction<S extends z.ZodType, T>(def: AnyActionDefinition<S, T>) {
  return async (form?: FormData): Promise<void> => {
    await runAction(deps, def, form ?? {});
  };
}
