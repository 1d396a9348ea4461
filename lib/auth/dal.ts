import "server-only";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/lib/db";
import { getUserById } from "@/lib/db/queries/users";
import type { User } from "@/lib/db/schema";
import { auth, type SessionClaims } from "./index";
import { can, type Permission } from "./permissions";
import { sessionUserOf, type SessionUser } from "./session-user";

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
  const user: User | undefined = await getUserById(await getDb(), claims.uid);
  return sessionUserOf(user, claims);
});

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
