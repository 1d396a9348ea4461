import { eq } from "drizzle-orm";
import { ActionError } from "@/lib/actions/errors";
import { hashPassword, passwordProblem, verifyPassword } from "@/lib/auth/password";
import type { Db } from "@/lib/db/client";
import { createAuditEntry } from "@/lib/db/queries/audit";
import { users, type User } from "@/lib/db/schema";
import { clearKey, maybePruneLoginThrottle, reserveAttempt, retryIn, USER_IP_FREE } from "@/lib/auth/throttle";
import { bumpSessionVersion } from "./manage";

// What a signed-in user does to their own account. Each change of password, and "sign out
// everywhere", bumps the session version: every session token issued before stops working at
// its next request (the caller re-issues the current browser's session afterwards).

type Self = Pick<User, "id" | "username"> & { ip?: string | null };

async function load(db: Db, id: number): Promise<User> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  if (!row) throw new ActionError("unauthenticated", "Your session has ended. Sign in again.");
  return row;
}

/** The throttle key of "change my password" for one user (lib/auth/throttle.ts), whatever the address. */
export const ownPasswordKey = (userId: number) => `pw ${userId}`;

async function auditSelf(db: Db, row: User, ip: string | null | undefined, action: string, details: Record<string, unknown>) {
  await createAuditEntry(db, { id: row.id, username: row.username }, { action, targetType: "user", targetId: row.id, ip: ip ?? null, details });
}

/**
 * Changes the user's own password after checking the current one; ends their other sessions.
 * The check of the current password is throttled per user like a sign-in (a session left open,
 * or stolen, must not become a way to guess the password), and every failure is audited.
 */
export async function changeOwnPassword(
  db: Db,
  self: Self,
  input: { currentPassword: string; newPassword: string },
  now: Date = new Date(),
): Promise<{ sessionVersion: number }> {
  const row = await load(db, self.id);
  await maybePruneLoginThrottle(db, now);
  const key = ownPasswordKey(row.id);
  const reserved = await reserveAttempt(db, key, USER_IP_FREE, now);
  if (!reserved.ok) {
    await auditSelf(db, row, self.ip, "user.change_own_password_throttled", { until: reserved.retryAt.toISOString() });
    const message = `Too many wrong current passwords. Try again ${retryIn(reserved.retryAt, now)} (after ${reserved.retryAt.toISOString().slice(11, 16)} UTC); each further failure doubles the wait.`;
    throw new ActionError("forbidden", message, { currentPassword: [message] });
  }
  if (!(await verifyPassword(input.currentPassword, row.passwordHash))) {
    await auditSelf(db, row, self.ip, "user.change_own_password_failed", { reason: "wrong current password", attempt: reserved.failures });
    throw new ActionError("invalid_input", "The current password is wrong.", { currentPassword: ["The current password is wrong."] });
  }
  // The person proved the current password: the count starts again.
  await clearKey(db, key);
  const problem = passwordProblem(input.newPassword, row.username);
  if (problem) throw new ActionError("invalid_input", problem, { newPassword: [problem] });
  if (input.newPassword === input.currentPassword) {
    const same = "Choose a password different from the current one.";
    throw new ActionError("invalid_input", same, { newPassword: [same] });
  }
  const passwordHash = await hashPassword(input.newPassword);
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(users)
      .set({ passwordHash, passwordSelfChosen: true, mustChangePassword: false, sessionVersion: bumpSessionVersion })
      .where(eq(users.id, row.id))
      .returning({ sessionVersion: users.sessionVersion });
    await createAuditEntry(tx as unknown as Db, { id: row.id, username: row.username }, {
      action: "user.change_own_password",
      targetType: "user",
      targetId: row.id,
      ip: self.ip ?? null,
      details: { forced: row.mustChangePassword },
    });
    return updated;
  });
}

/** Ends every session of the user, this one included. */
export async function signOutEverywhere(db: Db, self: Self): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(users).set({ sessionVersion: bumpSessionVersion }).where(eq(users.id, self.id));
    await createAuditEntry(tx as unknown as Db, { id: self.id, username: self.username }, {
      action: "auth.sign_out_everywhere",
      targetType: "user",
      targetId: self.id,
      ip: self.ip ?? null,
    });
  });
}
