import "server-only";
import { AuthError } from "next-auth";
import { getDb } from "@/lib/db";
import { auth, signIn, signOut, type SessionClaims } from "./index";
import { cookies, headers } from "next/headers";
import { env } from "@/lib/env";
import { authSecret } from "@/lib/secrets";
import { replacedSessionCookie, REPLACES_COOKIE, REPLACES_MAX_AGE_S, revokeSession } from "./revoked-sessions";
import { SSO_ONLY, SSO_ONLY_MESSAGE } from "./actions";
import { retryIn } from "./throttle";

// Issuing and ending this browser's session from server actions (Auth.js signIn/signOut set
// and clear the cookie of the current response).

/**
 * Signs `username` in again with `password` in this browser: a new session token with the
 * current session version and a fresh authentication time. Goes through the same throttled,
 * audited check as the login form. Returns null, or a message a person can act on.
 */
export async function signInAgain(username: string, password: string): Promise<string | null> {
  try {
    const before = ((await auth())?.user as SessionClaims | undefined)?.sid;
    await signIn("credentials", { username, password, redirect: false });
    // This browser now holds a new session: the one it replaces (and any copy of its cookie) ends.
    if (before) await revokeSession(await getDb(), before, null);
    return null;
  } catch (error) {
    if (error instanceof AuthError) {
      const wait = /^throttled_(\d+)$/.exec((error as { code?: string }).code ?? "");
      if (wait) return `Too many failed attempts. Try again ${retryIn(new Date(Date.now() + Number(wait[1]) * 1000))}.`;
      if ((error as { code?: string }).code === SSO_ONLY) return SSO_ONLY_MESSAGE;
      return "The password is wrong.";
    }
    throw error;
  }
}

/** Sends an SSO user through the identity provider again, asking it for a new login. */
export async function signInAgainWithSso(redirectTo: string): Promise<never> {
  // The callback retires the session this browser holds now (see retireReplacedSession).
  const claims = (await auth())?.user as SessionClaims | undefined;
  if (typeof claims?.uid === "number" && claims.sid) {
    (await cookies()).set(REPLACES_COOKIE, replacedSessionCookie(claims.uid, claims.sid, authSecret()), {
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      maxAge: REPLACES_MAX_AGE_S,
      secure: (await headers()).get("x-forwarded-proto") === "https" || env().AUTH_URL?.startsWith("https:") === true,
    });
  }
  await signIn("oidc", { redirectTo }, { prompt: "login", max_age: "0" });
  throw new Error("unreachable: signIn redirects");
}

/** Clears this browser's session and goes to the login page. */
export async function endThisSession(): Promise<never> {
  await signOut({ redirectTo: "/login" });
  throw new Error("unreachable: signOut redirects");
}
