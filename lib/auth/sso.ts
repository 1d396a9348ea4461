import type { Db } from "@/lib/db/client";
import { createAuditEntry } from "@/lib/db/queries/audit";
import { createUser, getUserByEmail, getUserByUsername, updateUser } from "@/lib/db/queries/users";
import type { User } from "@/lib/db/schema";

type Profile = { sub?: string | null; preferred_username?: unknown; email?: unknown; name?: unknown };

/**
 * Matches an SSO login to a portal user by username, then email; creates one otherwise.
 * New SSO users are never staff: a superuser grants that explicitly.
 */
export async function findOrCreateSsoUser(db: Db, profile: Profile, ip: string | null): Promise<User | undefined> {
  const email = typeof profile.email === "string" ? profile.email : null;
  const username =
    (typeof profile.preferred_username === "string" && profile.preferred_username) || email?.split("@")[0] || null;
  if (!username) return undefined;
  const existing = (await getUserByUsername(db, username)) ?? (email ? await getUserByEmail(db, email) : undefined);
  if (existing) {
    if (!existing.oidcSubject && profile.sub) await updateUser(db, existing.id, { oidcSubject: profile.sub });
    if (ip !== null) await updateUser(db, existing.id, { lastLogin: new Date() });
    return existing;
  }
  const created = await createUser(db, {
    username,
    email,
    displayName: typeof profile.name === "string" ? profile.name : null,
    oidcSubject: profile.sub ?? null,
    lastLogin: new Date(),
  });
  await createAuditEntry(db, { id: created.id, username }, { action: "user.create_sso", targetType: "user", targetId: created.id, ip });
  return created;
}
