import { ActionError } from "@/lib/actions/errors";

// Some actions need a recent proof of the password (or SSO), not just a session: exporting
// secrets, granting roles, changing a provider's connection. The session token records when
// its sign-in happened (lib/auth/index.ts, claim "at"); a sign-in older than FRESH_AUTH_MS must
// be repeated. The UI answers code "reauth_required" with components/auth/reauth-prompt.tsx,
// which asks for the password (or sends SSO users through their IdP) and retries.

export const FRESH_AUTH_MS = 10 * 60 * 1000;

export const REAUTH_MESSAGE =
  "Confirm your password to continue: this needs a sign-in from the last 10 minutes.";

type WithAuthTime = { authTime?: number | null; hasPassword?: boolean };

export const REAUTH_SSO_MESSAGE =
  "Sign in again with single sign-on to continue: this needs a sign-in from the last 10 minutes.";

/** fieldErrors of a reauth_required error: how the person can prove themselves again. */
export type ReauthMethod = "password" | "sso";

/** True when `who` signed in (or re-authenticated) at most FRESH_AUTH_MS ago. */
export function isFreshAuth(who: WithAuthTime | null | undefined, now: number = Date.now()): boolean {
  const at = who?.authTime;
  return typeof at === "number" && now - at <= FRESH_AUTH_MS && at <= now + 60_000;
}

/**
 * For action handlers: throws ActionError("reauth_required") unless the signed-in user
 * authenticated in the last 10 minutes. Pass the action context (or anything with `user`), or
 * the user/actor itself.
 */
export function requireFreshAuth(ctx: { user: WithAuthTime } | WithAuthTime, now: number = Date.now()): void {
  const who = "user" in ctx ? ctx.user : ctx;
  if (isFreshAuth(who, now)) return;
  const method: ReauthMethod = who.hasPassword === false ? "sso" : "password";
  throw new ActionError("reauth_required", method === "sso" ? REAUTH_SSO_MESSAGE : REAUTH_MESSAGE, { _reauth: [method] });
}
