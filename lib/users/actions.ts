// Action definitions; the routes' "use server" actions.ts files wrap them with defineFormAction.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { changeOwnPassword as changeOwnPasswordOf } from "./self";
import { ActionError } from "@/lib/actions/errors";
import { actionDefinition, type ActionContext } from "@/lib/actions/safe-action";
import { hashPassword, passwordProblem, verifyPassword } from "@/lib/auth/password";
import type { Permission } from "@/lib/auth/permissions";
import type { Db } from "@/lib/db/client";
import { getUserById, updateUser } from "@/lib/db/queries/users";
import { createPortalUser, setUserActive, setUserPassword, setUserRole, type Actor, type ManagedUser } from "@/lib/users/manage";
import { createUserSchema, setActiveSchema, setPasswordSchema, setRoleSchema } from "@/lib/users/schemas";

// Thin wrappers: the rules, and the audit rows, live in lib/users/manage.ts, which writes each
// audit row inside the transaction that makes the change (so these do not call ctx.audit).

const actorOf = (ctx: ActionContext): Actor => ({ ...ctx.user, ip: ctx.ip });

/**
 * An action that changes one user through lib/users/manage.ts, as the signed-in user, then
 * refreshes the users list and that user's page and answers with `reply(result)`.
 */
function userChangeAction<S extends z.ZodType, R extends { user: { id: number } }, T>(def: {
  name: string;
  permission: Permission;
  input: S;
  change: (db: Db, actor: Actor, input: z.output<S>) => Promise<R>;
  reply: (result: R) => T;
}) {
  return actionDefinition({
    name: def.name,
    permission: def.permission,
    input: def.input,
    async handler(input, ctx) {
      const result = await def.change(ctx.db, actorOf(ctx), input);
      revalidatePath("/users");
      revalidatePath(`/users/${result.user.id}`);
      return def.reply(result);
    },
  });
}

// The generated password travels once, in this response; nothing else keeps it.
const withGeneratedPassword = ({ user, generatedPassword }: { user: ManagedUser; generatedPassword: string | null }) => ({
  id: user.id,
  username: user.username,
  generatedPassword,
});

export const createUser = userChangeAction({
  name: "createUser",
  permission: "users.manage",
  input: createUserSchema,
  change: createPortalUser,
  reply: withGeneratedPassword,
});

export const resetUserPassword = userChangeAction({
  name: "setUserPassword",
  permission: "users.manage",
  input: setPasswordSchema,
  change: setUserPassword,
  reply: withGeneratedPassword,
});

export const changeUserActive = userChangeAction({
  name: "setUserActive",
  permission: "users.manage",
  input: setActiveSchema,
  change: setUserActive,
  reply: ({ user, changed }) => ({
    changed,
    message: `${user.username} is ${user.isActive ? "active: they can sign in again" : "deactivated: they can no longer sign in"}.`,
  }),
});

export const changeUserRole = userChangeAction({
  name: "setUserRole",
  permission: "users.grant_roles",
  input: setRoleSchema,
  change: setUserRole,
  reply: ({ user, changed, role, grant, passwordCleared }) => {
    const what = role === "staff" ? "staff" : "superuser";
    const cleared = passwordCleared
      ? " Their password was set by someone else, so it was cleared: reset it here to give them a one-time password, or they sign in with single sign-on."
      : "";
    return {
      changed,
      message: grant ? `${user.username} is now ${what}.${cleared}` : `${user.username} is no longer ${what}.`,
    };
  },
});

/** The signed-in user changes their own password (the Account page). */
export const changeOwnPassword = actionDefinition({
  name: "changeOwnPassword",
  permission: "self.update",
  input: z
    .object({
      currentPassword: z.string().min(1, "Enter your current password."),
      newPassword: z.string().min(1, "Enter a new password."),
      confirmPassword: z.string(),
    })
    .refine((v) => v.newPassword === v.confirmPassword, {
      path: ["confirmPassword"],
      message: "The two new passwords differ.",
    }),
  async handler(input, { db, user, ip }) {
    // Checks, stores, audits and ends every session of this user (lib/users/self.ts) ...
    await changeOwnPasswordOf(db, { id: user.id, username: user.username, ip }, input);
    // ... then signs this browser in again under the new session version. Auth.js is loaded
    // here, not at import, so these definitions stay testable outside Next.
    const { signInAgain } = await import("@/lib/auth/session");
    const problem = await signInAgain(user.username, input.newPassword);
    return { changed: true, signedOut: problem !== null };
  },
});
