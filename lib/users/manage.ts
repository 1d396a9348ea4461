import { and, asc, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { ActionError } from "@/lib/actions/errors";
import { requireFreshAuth } from "@/lib/auth/fresh";
import { hashPassword } from "@/lib/auth/password";
import { can, type Permission } from "@/lib/auth/permissions";
import type { Db } from "@/lib/db/client";
import { createAuditEntry } from "@/lib/db/queries/audit";
import { getUserByEmail, getUserById, getUserByUsername } from "@/lib/db/queries/users";
import { users, type User } from "@/lib/db/schema";
import { generatePassword } from "./generate-password";
import {
  createUserSchema,
  fieldErrorsOf,
  setActiveSchema,
  setPasswordProblems,
  setPasswordSchema,
  setRoleSchema,
  type CreateUserInput,
  type SetActiveInput,
  type SetPasswordInput,
  type SetRoleInput,
  type UserRole,
} from "./schemas";

// Staff user management. Every function takes (db, actor, input), checks the actor's rights
// itself (the action builder checks too; these may be called from elsewhere), throws
// ActionError for what a person can act on, and writes its audit row in the same transaction
// as the change, so there is never a change without its row or a row without its change.

/**
 * Who is making the change: the signed-in user as the action builder read it, their IP, and
 * when they last proved their password (granting roles needs that to be recent).
 */
export type Actor = Pick<User, "id" | "username" | "isStaff" | "isSuperuser" | "isActive"> & {
  ip?: string | null;
  authTime?: number | null;
};

/** Ends every session of a user at their next request (the DAL compares this version). */
export const bumpSessionVersion = sql`${users.sessionVersion} + 1`;

/** A user as the staff screens see it: never the password hash. */
export type ManagedUser = Omit<User, "passwordHash" | "searchText"> & { hasPassword: boolean };

export function toManagedUser(u: User): ManagedUser {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { passwordHash, searchText, ...rest } = u;
  return { ...rest, hasPassword: Boolean(passwordHash) };
}

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

const LAST_SUPERUSER =
  "This is the last active superuser. Grant superuser to someone else first, so that somebody can still manage staff.";

function requirePermission(actor: Actor, permission: Permission) {
  if (!can(actor, permission)) {
    throw new ActionError(
      "forbidden",
      permission === "users.grant_roles"
        ? "Only a superuser can do this."
        : "You need staff access to the Cloudport console for this. Ask a superuser to grant it.",
    );
  }
}

function parse<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const result = schema.safeParse(raw);
  if (!result.success) {
    const first = result.error.issues[0];
    throw new ActionError("invalid_input", `Check the form. ${first?.message ?? ""}`.trim(), fieldErrorsOf(result.error));
  }
  return result.data;
}

function audit(db: Db | Tx, actor: Actor, action: string, target: User, details: Record<string, unknown> = {}) {
  return createAuditEntry(db as Db, { id: actor.id, username: actor.username }, {
    action,
    targetType: "user",
    targetId: target.id,
    details: { username: target.username, ...details },
    ip: actor.ip ?? null,
  });
}

/** The Postgres error code and constraint behind a driver error, wherever drizzle wrapped it. */
function pgError(error: unknown): { code?: string; constraint?: string } {
  for (let e = error as Record<string, unknown> | undefined, i = 0; e && i < 4; e = e.cause as typeof e, i++) {
    if (typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code)) {
      const constraint = (e.constraint_name ?? e.constraint) as string | undefined;
      return { code: e.code, constraint };
    }
  }
  return {};
}

const usernameTaken = (username: string) =>
  new ActionError("conflict", `The username "${username}" is taken. Usernames are unique however they are capitalised.`, {
    username: ["This username is taken."],
  });
const emailTaken = () =>
  new ActionError("conflict", "Another user has this email address.", { email: ["Another user has this email address."] });

async function loadTarget(db: Db | Tx, userId: number, lock = false): Promise<User> {
  const q = db.select().from(users).where(eq(users.id, userId)).limit(1);
  const [row] = lock ? await q.for("update") : await q;
  if (!row) throw new ActionError("not_found", `There is no user ${userId}. They may have been removed.`);
  return row;
}

/**
 * Only a superuser may touch a superuser's password or active flag: otherwise staff could take
 * over (new password) or lock out (deactivate) the accounts that manage them.
 */
function guardSuperuserTarget(actor: Actor, target: User, what: string) {
  if (target.isSuperuser && !actor.isSuperuser) {
    throw new ActionError("forbidden", `Only a superuser can ${what} of a superuser.`);
  }
}

/** Staff do not change each other: only a superuser may change a staff member's status. */
function guardStaffTarget(actor: Actor, target: User, what: string) {
  if ((target.isStaff || target.isSuperuser) && !actor.isSuperuser) {
    throw new ActionError("forbidden", `Only a superuser can ${what} of a staff member.`);
  }
}

/**
 * Locks every active superuser row (in id order, so concurrent callers cannot deadlock) and
 * refuses when `target` is the only one. Under READ COMMITTED a transaction that waited for
 * the lock re-reads the rows, so of two concurrent demotions of the last two superusers the
 * second sees only one left and is refused.
 */
async function refuseIfLastSuperuser(tx: Tx, target: User) {
  const active = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.isSuperuser, true), eq(users.isActive, true)))
    .orderBy(asc(users.id))
    .for("update");
  if (active.some((r) => r.id === target.id) && active.length <= 1) {
    throw new ActionError("conflict", LAST_SUPERUSER);
  }
}

export type CreatedUser = { user: ManagedUser; generatedPassword: string | null };

/**
 * Creates a local portal user (never staff: roles are granted afterwards, by a superuser).
 * With passwordMode "generate" the returned password is the only copy anywhere.
 */
export async function createPortalUser(db: Db, actor: Actor, raw: CreateUserInput): Promise<CreatedUser> {
  requirePermission(actor, "users.manage");
  const input = parse(createUserSchema, raw);
  // Friendly checks first; the unique indexes below settle any race.
  if (await getUserByUsername(db, input.username)) throw usernameTaken(input.username);
  if (input.email && (await getUserByEmail(db, input.email))) throw emailTaken();

  const generatedPassword = input.passwordMode === "generate" ? generatePassword(input.username) : null;
  const password = generatedPassword ?? (input.passwordMode === "set" ? input.password! : null);
  const passwordHash = password ? await hashPassword(password) : null;
  try {
    const user = await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(users)
        .values({
          username: input.username,
          email: input.email ?? null,
          displayName: input.displayName ?? null,
          passwordHash,
        })
        .returning();
      await audit(tx, actor, "user.create", row, {
        email: row.email,
        displayName: row.displayName,
        // Booleans only: the audit log never carries a password, nor a hint of one.
        withPassword: Boolean(passwordHash),
        generated: Boolean(generatedPassword),
      });
      return row;
    });
    return { user: toManagedUser(user), generatedPassword };
  } catch (error) {
    const { code, constraint } = pgError(error);
    if (code === "23505") {
      if (constraint?.startsWith("users_email")) throw emailTaken();
      throw usernameTaken(input.username);
    }
    throw error;
  }
}

/** Sets (typed) or resets (generated, returned once) a user's local password. */
export async function setUserPassword(
  db: Db,
  actor: Actor,
  raw: SetPasswordInput,
): Promise<{ user: ManagedUser; generatedPassword: string | null }> {
  requirePermission(actor, "users.manage");
  const input = parse(setPasswordSchema, raw);
  const target = await loadTarget(db, input.userId);
  if (target.id === actor.id) {
    throw new ActionError("forbidden", "Change your own password under the account menu → Change password; it asks for your current one.");
  }
  guardSuperuserTarget(actor, target, "set the password");
  // A new password is a way to act as someone; among staff only superusers may do that, so the
  // audit log's "who" stays true.
  if (target.isStaff && !actor.isSuperuser) {
    throw new ActionError("forbidden", "Only a superuser can set the password of a staff member.");
  }
  const problems = setPasswordProblems(input, target.username);
  if (problems) {
    const first = Object.values(problems)[0]?.[0] ?? "";
    throw new ActionError("invalid_input", `Check the form. ${first}`.trim(), problems);
  }
  const generatedPassword = input.passwordMode === "generate" ? generatePassword(target.username) : null;
  const passwordHash = await hashPassword(generatedPassword ?? input.password!);
  const user = await db.transaction(async (tx) => {
    // Checked again under the row lock: a staff grant that landed while the password was being
    // hashed must not end up on a staff account with a password its grantor did not issue.
    const locked = await loadTarget(tx, target.id, true);
    guardSuperuserTarget(actor, locked, "set the password");
    if (locked.isStaff && !actor.isSuperuser) {
      throw new ActionError("forbidden", "Only a superuser can set the password of a staff member.");
    }
    // Someone else now knows this password: the user's sessions end, and a console user must
    // choose their own at the next sign-in.
    const [row] = await tx
      .update(users)
      .set({
        passwordHash,
        passwordSelfChosen: false,
        mustChangePassword: locked.isStaff || locked.isSuperuser,
        sessionVersion: bumpSessionVersion,
      })
      .where(eq(users.id, target.id))
      .returning();
    if (!row) throw new ActionError("not_found", `There is no user ${target.id}. They may have been removed.`);
    await audit(tx, actor, "user.set_password", row, { generated: Boolean(generatedPassword) });
    return row;
  });
  return { user: toManagedUser(user), generatedPassword };
}

/** Activates or deactivates a user; nobody deactivates themselves or the last active superuser. */
export async function setUserActive(
  db: Db,
  actor: Actor,
  raw: SetActiveInput,
): Promise<{ user: ManagedUser; changed: boolean }> {
  requirePermission(actor, "users.manage");
  const { userId, active } = parse(setActiveSchema, raw);
  if (!active && userId === actor.id) {
    throw new ActionError("forbidden", "You cannot deactivate your own account. Ask another staff member if it must be done.");
  }
  const user = await db.transaction(async (tx) => {
    const target = await loadTarget(tx, userId);
    guardSuperuserTarget(actor, target, active ? "activate the account" : "deactivate the account");
    guardStaffTarget(actor, target, active ? "activate the account" : "deactivate the account");
    if (!active && target.isSuperuser) await refuseIfLastSuperuser(tx, target);
    // Conditional on the current value: a concurrent identical change writes no second row.
    // Deactivation also ends the sessions, so re-activating does not revive an old token.
    const [row] = await tx
      .update(users)
      .set(active ? { isActive: true } : { isActive: false, sessionVersion: bumpSessionVersion })
      .where(and(eq(users.id, userId), eq(users.isActive, !active)))
      .returning();
    if (!row) return { row: target, changed: false };
    await audit(tx, actor, active ? "user.activate" : "user.deactivate", row);
    return { row, changed: true };
  });
  return { user: toManagedUser(user.row), changed: user.changed };
}

/**
 * Grants or revokes staff or superuser (superusers only). Revoking superuser from the last
 * active superuser is refused.
 */
export async function setUserRole(
  db: Db,
  actor: Actor,
  raw: SetRoleInput,
): Promise<{ user: ManagedUser; changed: boolean; role: UserRole; grant: boolean; passwordCleared: boolean }> {
  requirePermission(actor, "users.grant_roles");
  const { userId, role, grant } = parse(setRoleSchema, raw);
  requireFreshAuth(actor);
  const column = role === "staff" ? users.isStaff : users.isSuperuser;
  const result = await db.transaction(async (tx) => {
    const target = await loadTarget(tx, userId);
    if (role === "superuser" && !grant && target.isActive) await refuseIfLastSuperuser(tx, target);
    // A revoke ends the user's sessions (a token from before must not come back with a
    // re-grant). A grant onto a password someone else set (a staff reset while the user was a
    // portal user, or the password they were created with) clears it and ends the sessions:
    // whoever set it could otherwise sign in as the user, "choose" a new one at the forced
    // change and own a console account. The user gets a superuser-issued reset, or uses SSO.
    const clearPassword = grant && Boolean(target.passwordHash) && !target.passwordSelfChosen;
    const change = grant
      ? clearPassword
        ? { passwordHash: null, mustChangePassword: false, sessionVersion: bumpSessionVersion }
        : {}
      : { sessionVersion: bumpSessionVersion };
    const [row] = await tx
      .update(users)
      .set(role === "staff" ? { isStaff: grant, ...change } : { isSuperuser: grant, ...change })
      .where(and(eq(users.id, userId), eq(column, !grant)))
      .returning();
    if (!row) return { row: target, changed: false, passwordCleared: false };
    await audit(tx, actor, `user.${grant ? "grant" : "revoke"}_${role}`, row, {
      ...(clearPassword ? { passwordCleared: true } : {}),
    });
    return { row, changed: true, passwordCleared: clearPassword };
  });
  return { user: toManagedUser(result.row), changed: result.changed, role, grant, passwordCleared: result.passwordCleared };
}

/** One user for the staff screens, or a not-found error. */
export async function getManagedUser(db: Db, userId: number): Promise<ManagedUser> {
  const row = await getUserById(db, userId);
  if (!row) throw new ActionError("not_found", `There is no user ${userId}.`);
  return toManagedUser(row);
}

// Exported for tests: the message people see when the rule refuses.
export const LAST_SUPERUSER_MESSAGE = LAST_SUPERUSER;
