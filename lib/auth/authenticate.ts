import type { Db } from "@/lib/db/client";
import { createAuditEntry } from "@/lib/db/queries/audit";
import { getUserByUsername, updateUser } from "@/lib/db/queries/users";
import type { User } from "@/lib/db/schema";
import { passwordSignInRefused, type SsoRoleConfig } from "@/lib/domain/sso-groups";
import { burnPasswordCheck, hashPassword, needsRehash, verifyPassword } from "./password";
import { clearKey, IP_FREE, ipKey, maybePruneLoginThrottle, releaseAttempt, reserveAttempt, USER_IP_FREE, userIpKey } from "./throttle";

export type LoginResult =
  | { ok: true; user: User }
  | { ok: false; reason: "invalid" }
  /** The password is right, but this account's roles come from SSO groups: it signs in through SSO only. */
  | { ok: false; reason: "sso_only" }
  | { ok: false; reason: "throttled"; retryAt: Date };

/**
 * Checks a username/password login, throttled per (username, IP) and per IP with exponential
 * back-off (lib/auth/throttle.ts), and records an audit entry either way. A good password
 * stored as a legacy bcrypt hash is re-hashed with argon2id on the way in. With group-managed
 * roles (`ssoRoles`), an SSO-bound account holding such a role is refused (passwordSignInRefused).
 */
export async function authenticate(
  db: Db,
  input: { username: string; password: string; ip: string; ssoRoles?: SsoRoleConfig },
  now: Date = new Date(),
): Promise<LoginResult> {
  const username = input.username.trim();
  await maybePruneLoginThrottle(db, now);

  const pairKey = userIpKey(username, input.ip);
  const addrKey = ipKey(input.ip);
  const pair = await reserveAttempt(db, pairKey, USER_IP_FREE, now);
  const addr = pair.ok ? await reserveAttempt(db, addrKey, IP_FREE, now) : null;
  if (!pair.ok || !addr?.ok) {
    // The attempt that was counted on one key but refused on the other did not happen.
    if (pair.ok) await releaseAttempt(db, pairKey, USER_IP_FREE);
    const retryAt = !pair.ok ? pair.retryAt : (addr as { retryAt: Date }).retryAt;
    await createAuditEntry(db, { id: null, username }, {
      action: "auth.login_throttled",
      ip: input.ip,
      details: { until: retryAt.toISOString(), by: pair.ok ? "address" : "username and address" },
    });
    return { ok: false, reason: "throttled", retryAt };
  }

  const user = await getUserByUsername(db, username);
  const valid = user ? await verifyPassword(input.password, user.passwordHash) : (await burnPasswordCheck(input.password), false);
  if (!user || !valid || !user.isActive) {
    await createAuditEntry(
      db,
      { id: user?.id ?? null, username },
      { action: "auth.login_failed", ip: input.ip, details: { reason: user && valid ? "inactive" : "bad credentials" } },
    );
    return { ok: false, reason: "invalid" };
  }

  if (passwordSignInRefused(user, input.ssoRoles ?? {})) {
    await createAuditEntry(db, { id: user.id, username: user.username }, {
      action: "auth.login_failed",
      ip: input.ip,
      details: { reason: "roles come from single sign-on groups: password sign-in refused", isStaff: user.isStaff, isSuperuser: user.isSuperuser },
    });
    return { ok: false, reason: "sso_only" };
  }

  await clearKey(db, pairKey);
  await releaseAttempt(db, addrKey, IP_FREE);
  const upgrade = needsRehash(user.passwordHash) ? { passwordHash: await hashPassword(input.password) } : {};
  const updated = (await updateUser(db, user.id, { lastLogin: now, ...upgrade })) ?? user;
  await createAuditEntry(db, { id: user.id, username: user.username }, {
    action: "auth.login",
    ip: input.ip,
    ...(upgrade.passwordHash ? { details: { passwordHashUpgraded: true } } : {}),
  });
  return { ok: true, user: updated };
}
