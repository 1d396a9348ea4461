import type { User } from "@/lib/db/schema";

/** The public shape of the signed-in user: no password hash, safe to pass to client components. */
export type SessionUser = Pick<
  User,
  "id" | "username" | "email" | "displayName" | "isStaff" | "isSuperuser" | "isActive" | "mustChangePassword"
> & {
  /** When this session last proved the password (or SSO), in ms since the epoch; null if unknown. */
  authTime?: number | null;
  /** Whether the user has a local password (else re-authentication goes through SSO). */
  hasPassword?: boolean;
};

/**
 * The session's user if the token still counts: the user exists, is active, and the token's
 * session version is the current one (a token without a version predates them and is refused).
 */
export function sessionUserOf(user: User | undefined, claims: { sv?: number; at?: number }): SessionUser | null {
  if (!user?.isActive) return null;
  if (claims.sv !== user.sessionVersion) return null;
  const { id, username, email, displayName, isStaff, isSuperuser, isActive, mustChangePassword } = user;
  return {
    id,
    username,
    email,
    displayName,
    isStaff,
    isSuperuser,
    isActive,
    mustChangePassword,
    authTime: typeof claims.at === "number" ? claims.at : null,
    hasPassword: Boolean(user.passwordHash),
  };
}
