// Signing in and out: public action definitions (no session needed). The login route's and the
// console's "use server" actions.ts files wrap them with defineAction/defineFormAction.
import { z } from "zod";
import { publicActionDefinition } from "@/lib/actions/safe-action";
import { safeNextPath } from "@/lib/domain/safe-next";
import { retryIn } from "./throttle";

// Auth.js is loaded when an action runs, not when this file is imported: these definitions
// stay importable (and testable) outside Next, where next-auth cannot load.
const authjs = () => Promise.all([import("@/lib/auth"), import("next-auth")]);

/** What a throttled person reads: when they may try again, and that it is not a lock. */
function throttledMessage(seconds: number): string {
  const at = new Date(Date.now() + seconds * 1000);
  return `Too many failed sign-in attempts. Try again ${retryIn(at)} (after ${at.toISOString().slice(11, 16)} UTC); each further failure doubles the wait.`;
}

/** The sign-in error code of an SSO-bound account whose roles come from SSO groups (lib/auth/authenticate.ts). */
export const SSO_ONLY = "sso_only";
export const SSO_ONLY_MESSAGE = "This account's staff or superuser role comes from single sign-on groups: sign in with single sign-on.";

export type LoginState = { error?: string; username?: string } | null;

/** Only same-site paths may be a post-login target, never another origin (lib/domain/safe-next). */
const safeNext = (value: string | undefined) => safeNextPath(value);

const formText = z.preprocess((v) => (typeof v === "string" ? v : ""), z.string());

export const login = publicActionDefinition({
  name: "login",
  permission: "public",
  input: z.object({ username: formText, password: formText, next: formText }),
  async handler(form): Promise<LoginState> {
    const username = form.username.trim();
    const password = form.password;
    if (!username || !password) return { error: "Enter your username and password.", username };
    const [{ signIn }, { AuthError }] = await authjs();
    try {
      await signIn("credentials", { username, password, redirectTo: safeNext(form.next) });
      return null;
    } catch (error) {
      if (error instanceof AuthError) {
        const code = (error as { code?: string }).code;
        const wait = /^throttled_(\d+)$/.exec(code ?? "");
        if (wait) return { username, error: throttledMessage(Number(wait[1])) };
        if (code === SSO_ONLY) return { username, error: SSO_ONLY_MESSAGE };
        return { username, error: "That username and password do not match an active account." };
      }
      throw error;
    }
  },
});

export const loginWithSso = publicActionDefinition({
  name: "loginWithSso",
  permission: "public",
  input: z.object({ next: formText }),
  async handler(form) {
    const [{ signIn }] = await authjs();
    await signIn("oidc", { redirectTo: safeNext(form.next) });
  },
});

/** Signing out is audited by the auth events (lib/auth/index.ts), with the session's user. */
export const logout = publicActionDefinition({
  name: "logout",
  permission: "public",
  input: z.object({}).optional(),
  async handler() {
    const [{ signOut }] = await authjs();
    await signOut({ redirectTo: "/login" });
  },
});
