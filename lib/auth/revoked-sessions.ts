import { eq, lt } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { getUserById } from "@/lib/db/queries/users";
import { revokedSessions } from "@/lib/db/schema";
import { sessionUserOf, type SessionUser } from "./session-user";

// A plain "Sign out" ends this browser's session, and with it every copy of its cookie: the
// session id ("sid", written at sign-in and carried by every re-issued token) is recorded as
// revoked until no token of it can still be valid. Other sessions of the same user live on;
// "Sign out everywhere" (the session version) is what ends them all.

/** How long a session token lives (lib/auth/index.ts session.maxAge), so how long a revocation must last. */
export const SESSION_MAX_AGE_S = 12 * 60 * 60;

/** Records `sid` as signed out; prunes revocations no token can outlive any more. */
export async function revokeSession(db: Db, sid: string, userId: number | null, now: Date = new Date()): Promise<void> {
  await db.delete(revokedSessions).where(lt(revokedSessions.expiresAt, now));
  await db
    .insert(revokedSessions)
    .values({ sid, userId, expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_S * 1000) })
    .onConflictDoNothing();
}

/** Whether the session `sid` was signed out. */
export async function isSessionRevoked(db: Db, sid: string): Promise<boolean> {
  const [row] = await db.select({ sid: revokedSessions.sid }).from(revokedSessions).where(eq(revokedSessions.sid, sid)).limit(1);
  return Boolean(row);
}

/**
 * The user a session token stands for, read fresh, or null: the token must carry the user's
 * current session version and must not have been signed out.
 */
export async function liveSessionUser(db: Db, claims: { uid?: number; sv?: number; at?: number; sid?: string }): Promise<SessionUser | null> {
  if (typeof claims.uid !== "number") return null;
  const [user, revoked] = await Promise.all([getUserById(db, claims.uid), claims.sid ? isSessionRevoked(db, claims.sid) : false]);
  return revoked ? null : sessionUserOf(user, claims);
}
