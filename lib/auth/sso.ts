import crypto from "node:crypto";
import { and, eq, ne, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { createAuditEntry } from "@/lib/db/queries/audit";
import { getUserByEmail, getUserByUsername, updateUser } from "@/lib/db/queries/users";
import { users, type User } from "@/lib/db/schema";
import { USERNAME_MAX, usernameSchema } from "@/lib/users/schemas";
import { groupsClaim, rolesFromGroups, type SsoRoleConfig } from "@/lib/domain/sso-groups";

type Profile = { sub?: string | null; preferred_username?: unknown; email?: unknown; email_verified?: unknown; name?: unknown };

/**
 * A username that passes the same rules as a local one (letters, digits, . _ -; at most 150),
 * derived from what the identity provider sent: accents dropped, anything else becomes "-".
 * Never empty: falls back to "sso-" and a digest of the subject.
 */
export function safeSsoUsername(raw: string | null | undefined, sub: string): string {
  const cleaned = (raw ?? "")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[-._]+|[-._]+$/g, "")
    .slice(0, USERNAME_MAX - 12);
  const name = cleaned || `sso-${crypto.createHash("sha256").update(sub).digest("hex").slice(0, 10)}`;
  return usernameSchema.parse(name);
}

function pgCode(error: unknown): { code?: string; constraint?: string } {
  for (let e = error as Record<string, unknown> | undefined, i = 0; e && i < 4; e = e.cause as typeof e, i++) {
    if (typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code)) {
      return { code: e.code, constraint: (e.constraint_name ?? e.constraint) as string | undefined };
    }
  }
  return {};
}

/** What an administrator reads when SSO refused to link a staff or superuser account by email. */
export const PRIVILEGED_EMAIL_MESSAGE =
  "Single sign-on does not link a staff or superuser account through its email. A superuser can remove the account's staff and superuser roles under Users, let its owner sign in with single sign-on once (that links it), then grant the roles again.";

export type SsoResolution =
  | { ok: true; user: User }
  | { ok: false; reason: "no_subject" | "bound_elsewhere" | "privileged_email" | "no_username" };

/** findOrCreateSsoUser's user, or undefined when it was refused. */
export async function findOrCreateSsoUser(db: Db, profile: Profile, ip: string | null): Promise<User | undefined> {
  const r = await resolveSsoUser(db, profile, ip);
  return r.ok ? r.user : undefined;
}

/**
 * Matches an SSO login to a portal user, or creates one. The issuer's subject is the identity
 * (unique in users.oidc_subject): a bound user is found by subject only. An unbound account is
 * linked only through its own email, verified by the identity provider, never by username: a
 * username taken by someone else gives the newcomer a derived one ("jdoe-2"). A staff or
 * superuser account is never linked by email (whoever the IdP says owns the address would get
 * its roles): that sign-in is refused and audited. An IdP username that local rules refuse gets
 * a derived safe one, so one bad name cannot fail a bulk provisioning run later. New SSO users
 * are never staff.
 */
export async function resolveSsoUser(db: Db, profile: Profile, ip: string | null): Promise<SsoResolution> {
  const sub = typeof profile.sub === "string" && profile.sub ? profile.sub : null;
  if (!sub) return { ok: false, reason: "no_subject" };
  const touch = async (u: User): Promise<SsoResolution> => ({ ok: true, user: ip !== null ? ((await updateUser(db, u.id, { lastLogin: new Date() })) ?? u) : u });
  const bySubject = async () => (await db.select().from(users).where(eq(users.oidcSubject, sub)).limit(1))[0];

  const bound = await bySubject();
  if (bound) return touch(bound);

  const emailVerified = profile.email_verified === true || profile.email_verified === "true";
  const email = typeof profile.email === "string" ? profile.email.trim() || null : null;
  const claimed = (typeof profile.preferred_username === "string" && profile.preferred_username.trim()) || email?.split("@")[0] || null;

  const byEmail = email && emailVerified ? await getUserByEmail(db, email) : undefined;
  if (byEmail) {
    if (byEmail.oidcSubject) {
      await createAuditEntry(db, { id: null, username: claimed ?? sub }, {
        action: "auth.sso_refused",
        targetType: "user",
        targetId: byEmail.id,
        ip,
        details: { reason: "the account with this email is bound to another single sign-on identity", subject: sub },
      });
      return { ok: false, reason: "bound_elsewhere" };
    }
    if (byEmail.isStaff || byEmail.isSuperuser) {
      await createAuditEntry(db, { id: null, username: claimed ?? sub }, {
        action: "auth.sso_refused",
        targetType: "user",
        targetId: byEmail.id,
        ip,
        details: { reason: "a staff or superuser account is not linked through its email", subject: sub, isStaff: byEmail.isStaff, isSuperuser: byEmail.isSuperuser },
      });
      return { ok: false, reason: "privileged_email" };
    }
    const linked = (await updateUser(db, byEmail.id, { oidcSubject: sub })) ?? byEmail;
    await createAuditEntry(db, { id: linked.id, username: linked.username }, {
      action: "user.link_sso",
      targetType: "user",
      targetId: linked.id,
      ip,
      details: { by: "verified email" },
    });
    return touch(linked);
  }

  // An email another account holds stays with that account; an unverified one is not stored.
  const emailFree = email && emailVerified && !(await getUserByEmail(db, email));
  const base = safeSsoUsername(claimed, sub);
  for (let n = 1; n <= 50; n++) {
    const username = n === 1 ? base : `${base}-${n}`;
    if (await getUserByUsername(db, username)) continue;
    try {
      const [created] = await db
        .insert(users)
        .values({
          username,
          email: emailFree ? email : null,
          displayName: typeof profile.name === "string" ? profile.name.slice(0, 200) : null,
          oidcSubject: sub,
          lastLogin: new Date(),
        })
        .returning();
      await createAuditEntry(db, { id: created.id, username }, {
        action: "user.create_sso",
        targetType: "user",
        targetId: created.id,
        ip,
        details: username === claimed ? {} : { claimedUsername: claimed?.slice(0, 200) ?? null },
      });
      return { ok: true, user: created };
    } catch (error) {
      const { code, constraint } = pgCode(error);
      if (code !== "23505") throw error;
      // The same subject signed in twice at once: the other request created the user.
      if (constraint === "users_oidc_subject_key") {
        const other = await bySubject();
        return other ? { ok: true, user: other } : { ok: false, reason: "no_username" };
      }
    }
  }
  return { ok: false, reason: "no_username" };
}

/**
 * Sets staff / superuser from the provider's `groups` claim at an SSO sign-in, for each role
 * whose group list is configured (an unconfigured role is left as a superuser set it). A change
 * is audited (user.sso_roles, with the roles before and after and the matching groups); a
 * revoke also ends the user's other sessions, like a manual revoke. The last active superuser is
 * never demoted this way (audited as kept), so a misconfigured claim cannot lock everyone out.
 */
export async function applySsoRoles(
  db: Db,
  user: User,
  profile: object,
  config: SsoRoleConfig,
  ip: string | null,
): Promise<User> {
  const wanted = rolesFromGroups(groupsClaim(profile as { groups?: unknown }), config);
  const change: { isStaff?: boolean; isSuperuser?: boolean } = {};
  if (wanted.isStaff !== undefined && wanted.isStaff !== user.isStaff) change.isStaff = wanted.isStaff;
  if (wanted.isSuperuser !== undefined && wanted.isSuperuser !== user.isSuperuser) change.isSuperuser = wanted.isSuperuser;
  if (!Object.keys(change).length) return user;
  return db.transaction(async (tx) => {
    let keptLastSuperuser = false;
    if (change.isSuperuser === false && user.isActive) {
      // Serialises concurrent demotions like the manual revoke does.
      await tx.execute(sql`select id from ${users} where ${users.isSuperuser} and ${users.isActive} for update`);
      const [others] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(users)
        .where(and(eq(users.isSuperuser, true), eq(users.isActive, true), ne(users.id, user.id)));
      if (!others?.n) {
        delete change.isSuperuser;
        keptLastSuperuser = true;
      }
    }
    const revoke = change.isStaff === false || change.isSuperuser === false;
    const [row] = Object.keys(change).length
      ? await tx
          .update(users)
          .set({ ...change, ...(revoke ? { sessionVersion: sql`${users.sessionVersion} + 1` } : {}) })
          .where(eq(users.id, user.id))
          .returning()
      : [user];
    const before = { isStaff: user.isStaff, isSuperuser: user.isSuperuser };
    const after = { isStaff: row.isStaff, isSuperuser: row.isSuperuser };
    const configured = [...(config.staffGroups ?? []), ...(config.superuserGroups ?? [])];
    await createAuditEntry(tx as unknown as Db, { id: row.id, username: row.username }, {
      action: "user.sso_roles",
      targetType: "user",
      targetId: row.id,
      ip,
      details: {
        before,
        after,
        matchedGroups: groupsClaim(profile as { groups?: unknown }).filter((g) => configured.includes(g)),
        ...(keptLastSuperuser ? { kept: "superuser: the last active superuser is not demoted by single sign-on" } : {}),
      },
    });
    return row;
  });
}
