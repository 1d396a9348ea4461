import "server-only";
import { getSessionUser, type SessionUser } from "./dal";
import { can, type Permission } from "./permissions";

/** For route handlers: the signed-in user with `permission`, or the 401/403 response to return. */
export async function requireApi(permission: Permission = "console.view"): Promise<{ user: SessionUser } | { response: Response }> {
  const user = await getSessionUser();
  if (!user) return { response: Response.json({ error: "Sign in first." }, { status: 401 }) };
  if (user.mustChangePassword) return { response: Response.json({ error: "Choose a new password first." }, { status: 403 }) };
  if (!can(user, permission)) return { response: Response.json({ error: "You need staff access for this." }, { status: 403 }) };
  return { user };
}
