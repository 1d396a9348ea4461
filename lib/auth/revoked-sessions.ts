import { createHmac, timingSafeEqual } from "node:crypto";
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

/**
 * A sign-in through the identity provider again (the fresh sign-in of an SSO user) leaves this
 * browser and comes back on the provider's callback, where the old token is no longer at hand:
 * before it leaves, the session it replaces is written into this short-lived, httpOnly cookie,
 * signed so that nobody can name a session of someone else, and the callback retires it.
 */
export const REPLACES_COOKIE = "cloudport.replaces";
export const REPLACES_MAX_AGE_S = 10 * 60;

function mac(value: string, secret: string): string {
  return createHmac("sha256", secret).update(`replaces:${value}`).digest("base64url");
}

/** The cookie's value for the session `sid` of user `uid`. */
export function replacedSessionCookie(uid: number, sid: string, secret: string): string {
  const value = `${uid}.${sid}`;
  return `${value}.${mac(value, secret)}`;
}

/**
 * After `userId` signed in: revokes the session the cookie names when it is that user's and the
 * signature holds. Returns the session revoked, or null (no cookie, someone else's, tampered).
 */
export async function retireReplacedSession(db: Db, cookie: string | undefined, userId: number, secret: string): Promise<string | null> {
  const m = /^(\d+)\.([A-Za-z0-9-]{1,64})\.([A-Za-z0-9_-]+)$/.exec(cookie ?? "");
  if (!m || Number(m[1]) !== userId) return null;
  const want = Buffer.from(mac(`${m[1]}.${m[2]}`, secret));
  const got = Buffer.from(m[3]);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return null;
  await revokeSession(db, m[2], userId);
  return m[2];
}
