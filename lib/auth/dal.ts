import "server-only";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/lib/db";
import { getUserById } from "@/lib/db/queries/users";
import type { User } from "@/lib/db/schema";
import { auth } from "./index";
import { can, type Permission } from "./permissions";

/** The public shape of the signed-in user: no password hash, safe to pass to client components. */
export type SessionUser = Pick<
  User,
  "id" | "username" | "email" | "displayName" | "isStaff" | "isSuperuser" | "isActive"
>;

function toSessionUser(u: User): SessionUser {
  const { id, username, email, displayName, isStaff, isSuperuser, isActive } = u;
  return { id, username, email, displayName, isStaff, isSuperuser, isActive };
}

/**
 * The signed-in user read fresh from the database (once per request), so that a revoked
 * staff flag or a deactivation takes effect on the next request, not when the JWT expires.
 */
export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  const session = await auth();
  const uid = (session?.user as { uid?: number } | undefined)?.uid;
  if (typeof uid !== "number") return null;
  const user = await getUserById(await getDb(), uid);
  return user?.isActive ? toSessionUser(user) : null;
});

/** For pages: the signed-in user holding `permission`, or a redirect to login / no-access. */
export async function requirePage(permission: Permission = "console.view"): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect("/login");
  if (!can(user, permission)) redirect(`/no-access?need=${encodeURIComponent(permission)}`);
  return user;
}
