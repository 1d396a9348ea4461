import { headers } from "next/headers";
import { z } from "zod";
import { ActionError } from "@/lib/actions/errors";
import type { ActionDefinition } from "@/lib/actions/safe-action";
import { getUserById } from "@/lib/db/queries/users";
import { signOutEverywhere as endAllSessions } from "@/lib/users/self";
import { passwordSignInRefused } from "@/lib/domain/sso-groups";
import { requireFreshAuth } from "./fresh";
import { ssoRoleConfig } from "./index";
import { endThisSession, signInAgain, signInAgainWithSso } from "./session";

// Session actions: confirm the password (re-authenticate), check that the sign-in is fresh, and
// sign out everywhere. app/(console)/actions.ts wraps them; components reach them through
// SessionActionsProvider (components/auth/session-actions-context.tsx).

/** The page the request came from (same origin only), to come back to after SSO. */
async function backTo(): Promise<string> {
  const h = await headers();
  try {
    const ref = new URL(h.get("referer") ?? "");
    if (ref.host === h.get("host")) return ref.pathname + ref.search;
  } catch {
    // no usable referer
  }
  return "/providers";
}

const reauthInput = z.object({ password: z.string().max(500, "Use at most 500 characters.").optional() });

/**
 * Proves the password again: the session is re-issued with a new authentication time, through
 * the throttled sign-in check. SSO-only users are sent through their identity provider.
 */
export const reauthenticate: ActionDefinition<typeof reauthInput, { confirmed: true }> = {
  name: "reauthenticate",
  permission: "self.update",
  input: reauthInput,
  async handler({ password }, ctx) {
    const row = await getUserById(ctx.db, ctx.user.id);
    if (!row) throw new ActionError("unauthenticated", "Your session has ended. Sign in again.");
    // Without a password, or when its roles come from SSO groups, the account proves itself at the IdP.
    if (!row.passwordHash || passwordSignInRefused(row, ssoRoleConfig())) return signInAgainWithSso(await backTo());
    if (!password) throw new ActionError("invalid_input", "Enter your password.", { password: ["Enter your password."] });
    const problem = await signInAgain(row.username, password);
    if (problem) throw new ActionError("invalid_input", problem, { password: [problem] });
    await ctx.audit({ action: "auth.reauthenticate", targetType: "user", targetId: row.id });
    return { confirmed: true };
  },
};

const empty = z.object({});

/** Succeeds when the sign-in is at most 10 minutes old, else answers reauth_required (for GET downloads). */
export const confirmFreshAuth: ActionDefinition<typeof empty, { fresh: true }> = {
  name: "confirmFreshAuth",
  permission: "console.view",
  input: empty,
  async handler(_input, ctx) {
    requireFreshAuth(ctx);
    return { fresh: true };
  },
};

/** Ends every session of the signed-in user (other browsers at their next request), then this one. */
export const signOutEverywhere: ActionDefinition<typeof empty, never> = {
  name: "signOutEverywhere",
  permission: "self.update",
  input: empty,
  async handler(_input, ctx) {
    await endAllSessions(ctx.db, { id: ctx.user.id, username: ctx.user.username, ip: ctx.ip });
    return endThisSession();
  },
};
