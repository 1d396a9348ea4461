import { eq } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { createAuditEntry } from "@/lib/db/queries/audit";
import { createUser, getUserByEmail, getUserByUsername, updateUser } from "@/lib/db/queries/users";
import { users, type User } from "@/lib/db/schema";

type Profile = { sub?: string | null; preferred_username?: unknown; email?: unknown; email_verified?: unknown; name?: unknown };

/**
 * Matches an SSO login to a portal user, or creates one. The issuer's subject is the identity:
 * a user already bound to another subject is never taken over, an existing account is linked
 * by username or verified email only when it holds no privileges (staff and superusers are
 * linked only through their own verified email), and new SSO users are never staff.
 */
export async function findOrCreateSsoUser(db: Db, profile: Profile, ip: string | null): Promise<User | undefined> {
  const sub = typeof profile.sub === "string" && profile.sub ? profile.sub : null;
  if (!sub) return undefined;
  const touch = async (u: User) => (ip !== null ? ((await updateUser(db, u.id, { lastLogin: new Date() })) ?? u) : u);

  const [bound] = await db.select().from(users).where(eq(users.oidcSubject, sub)).limit(1);
  if (bound) return touch(bound);

  const emailVerified = profile.email_verified === true || profile.email_verified === "true";
  const email = typeof profile.email === "string" ? profile.email : null;
  const username = (typeof profile.preferred_username === "string" && profile.preferred_username) || email?.split("@")[0] || null;
  if (!username) return undefined;

  const refuse = async (existing: User, reason: string) => {
    await createAuditEntry(db, { id: null, username }, {
      action: "auth.sso_refused",
      targetType: "user",
      targetId: existing.id,
      ip,
      details: { reason, subject: sub },
    });
    return undefined;
  };

  const byName = await getUserByUsername(db, username);
  const byEmail = email && emailVerified ? await getUserByEmail(db, email) : undefined;
  const candidate = byName ?? byEmail;
  if (candidate) {
    if (candidate.oidcSubject) return refuse(candidate, "the account is bound to another single sign-on identity");
    const privileged = candidate.isStaff || candidate.isSuperuser;
    const ownVerifiedEmail = Boolean(email && emailVerified && candidate.email?.toLowerCase() === email.toLowerCase());
    if (privileged && !ownVerifiedEmail) {
      return refuse(candidate, "a staff account is linked only through its own verified email");
    }
    const linked = (await updateUser(db, candidate.id, { oidcSubject: sub })) ?? candidate;
    await createAuditEntry(db, { id: linked.id, username: linked.username }, { action: "user.link_sso", targetType: "user", targetId: linked.id, ip });
    return touch(linked);
  }

  // An email another account holds stays with that account.
  const emailFree = email && !(byEmail ?? (await getUserByEmail(db, email)));
  const created = await createUser(db, {
    username,
    email: emailFree ? email : null,
    displayName: typeof profile.name === "string" ? profile.name : null,
    oidcSubject: sub,
    lastLogin: new Date(),
  });
  await createAuditEntry(db, { id: created.id, username }, { action: "user.create_sso", targetType: "user", targetId: created.id, ip });
  return created;
}
