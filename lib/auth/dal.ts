import "server-only";
import { decode } from "next-auth/jwt";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/lib/db";
import { authSecret } from "@/lib/secrets";
import { auth, type SessionClaims } from "./index";
import { can, type Permission } from "./permissions";
import { liveSessionUser } from "./revoked-sessions";
import type { SessionUser } from "./session-user";

export type { SessionUser } from "./session-user";

/**
 * The signed-in user read fresh from the database (once per request), so that a revoked
 * staff flag or a deactivation takes effect on the next request, not when the JWT expires.
 * A token issued under an older session version (password changed or reset, role revoked,
 * deactivated, "sign out everywhere") is no session at all.
 */
export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  const session = await auth();
  const claims = (session?.user ?? {}) as SessionClaims;
  if (typeof claims.uid !== "number") return null;
  const db = await getDb();
  // A plain sign-out revoked its session id: a copied cookie of it is no session either.
  return (await liveSessionUser(db, claims)) ?? (await liveSessionUser(db, (await reissuedClaims(claims.uid)) ?? {}));
});

const SESSION_COOKIES = ["__Secure-authjs.session-token", "authjs.session-token"];

/**
 * A server action that re-issued this browser's session (password change, re-authentication)
 * sets the new cookie on the response; the page rendered in the same response still sees the
 * old one through auth(). The cookie store has the new one: read it, for the same user only.
 */
async function reissuedClaims(uid: number): Promise<SessionClaims | null> {
  try {
    const jar = await cookies();
    for (const name of SESSION_COOKIES) {
      const value = jar.get(name)?.value;
      if (!value) continue;
      const token = (await decode({ token: value, secret: authSecret(), salt: name })) as SessionClaims | null;
      if (token?.uid === uid) return token;
    }
  } catch {
    // Not decodable: no session from it.
  }
  return null;
}

/** Where a user who must choose a new password is sent before anything else. */
export const CHOOSE_PASSWORD_PATH = "/choose-password";

/** For pages: the signed-in user holding `permission`, or a redirect to login / no-access. */
export async function requirePage(permission: Permission = "console.view"): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect("/login");
  if (user.mustChangePassword) redirect(CHOOSE_PASSWORD_PATH);
  if (!can(user, permission)) redirect(`/no-access?need=${encodeURIComponent(permission)}`);
  return user;
}
