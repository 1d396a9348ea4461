"use server";

import { revalidatePath } from "next/cache";
import { defineFormAction } from "@/lib/actions";
import type { ActionContext } from "@/lib/actions/safe-action";
import { createPortalUser, setUserActive, setUserPassword, setUserRole, type Actor } from "@/lib/users/manage";
import { createUserSchema, setActiveSchema, setPasswordSchema, setRoleSchema } from "@/lib/users/schemas";

// Thin wrappers: the rules, and the audit rows, live in lib/users/manage.ts, which writes each
// audit row inside the transaction that makes the change (so these do not call ctx.audit).

const actorOf = (ctx: ActionContext): Actor => ({ ...ctx.user, ip: ctx.ip });

function refresh(id?: number) {
  revalidatePath("/users");
  if (id) revalidatePath(`/users/${id}`);
}

export const createUser = defineFormAction({
  name: "createUser",
  permission: "users.manage",
  input: createUserSchema,
  async handler(input, ctx) {
    const { user, generatedPassword } = await createPortalUser(ctx.db, actorOf(ctx), input);
    refresh(user.id);
    // The generated password travels once, in this response; nothing else keeps it.
    return { id: user.id, username: user.username, generatedPassword };
  },
});

export const resetUserPassword = defineFormAction({
  name: "setUserPassword",
  permission: "users.manage",
  input: setPasswordSchema,
  async handler(input, ctx) {
    const { user, generatedPassword } = await setUserPassword(ctx.db, actorOf(ctx), input);
    refresh(user.id);
    return { id: user.id, username: user.username, generatedPassword };
  },
});

export const changeUserActive = defineFormAction({
  name: "setUserActive",
  permission: "users.manage",
  input: setActiveSchema,
  async handler(input, ctx) {
    const { user, changed } = await setUserActive(ctx.db, actorOf(ctx), input);
    refresh(user.id);
    return {
      changed,
      message: `${user.username} is ${user.isActive ? "active: they can sign in again" : "deactivated: they can no longer sign in"}.`,
    };
  },
});

export const changeUserRole = defineFormAction({
  name: "setUserRole",
  permission: "users.grant_roles",
  input: setRoleSchema,
  async handler(input, ctx) {
    const { user, changed, role, grant } = await setUserRole(ctx.db, actorOf(ctx), input);
    refresh(user.id);
    const what = role === "staff" ? "staff" : "superuser";
    return {
      changed,
      message: grant ? `${user.username} is now ${what}.` : `${user.username} is no longer ${what}.`,
    };
  },
});
