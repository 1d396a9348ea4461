import type { Db } from "@/lib/db/client";
import { createAuditEntry } from "@/lib/db/queries/audit";
import { countRecentFailures, getUserByUsername, recordLoginAttempt, updateUser } from "@/lib/db/queries/users";
import type { User } from "@/lib/db/schema";
import { burnPasswordCheck, verifyPassword } from "./password";

export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_USER = 5;
export const MAX_FAILURES_PER_IP = 30;

export type LoginResult = { ok: true; user: User } | { ok: false; reason: "invalid" | "locked" };

/**
 * Checks a username/password login, rate-limited per username and per IP, and records
 * the attempt and an audit entry either way.
 */
export async function authenticate(
  db: Db,
  input: { username: string; password: string; ip: string },
  now: Date = new Date(),
): Promise<LoginResult> {
  const username = input.username.trim();
  const since = new Date(now.getTime() - LOGIN_WINDOW_MS);
  const failures = await countRecentFailures(db, username, input.ip, since);
  if (failures.byUser >= MAX_FAILURES_PER_USER || failures.byIp >= MAX_FAILURES_PER_IP) {
    await createAuditEntry(db, { id: null, username }, { action: "auth.login_locked", ip: input.ip });
    return { ok: false, reason: "locked" };
  }

  const user = await getUserByUsername(db, username);
  const valid = user ? await verifyPassword(input.password, user.passwordHash) : (await burnPasswordCheck(input.password), false);
  if (!user || !valid || !user.isActive) {
    await recordLoginAttempt(db, username, input.ip, false);
    await createAuditEntry(
      db,
      { id: user?.id ?? null, username },
      { action: "auth.login_failed", ip: input.ip, details: { reason: user && valid ? "inactive" : "bad credentials" } },
    );
    return { ok: false, reason: "invalid" };
  }

  await recordLoginAttempt(db, username, input.ip, true);
  const updated = (await updateUser(db, user.id, { lastLogin: now })) ?? user;
  await createAuditEntry(db, { id: user.id, username: user.username }, { action: "auth.login", ip: input.ip });
  return { ok: true, user: updated };
}
