import bcrypt from "bcryptjs";
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { auditLog, loginThrottle, users } from "@/lib/db/schema";
import { makeUser, testDb, truncateAll } from "@/test/db";
import { authenticate } from "./authenticate";
import { parseTrustedProxies, resolveClientIp } from "./client-ip";
import { verifyPassword } from "./password";
import { BASE_DELAY_MS, IDLE_RESET_MS, IP_FREE, MAX_DELAY_MS, pruneLoginThrottle, USER_IP_FREE } from "./throttle";

const PASSWORD = "Correct-Horse-9";
const t0 = new Date("2026-11-01T12:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

describe("authenticate", async () => {
  const db = await testDb();
  beforeEach(() => truncateAll(db));

  it("signs in with the right password, stamps last_login and audits it", async () => {
    const user = await makeUser(db, { username: "cmart", password: PASSWORD, isStaff: true });
    const result = await authenticate(db, { username: "CMart", password: PASSWORD, ip: "10.0.0.1" }, t0);
    expect(result.ok).toBe(true);
    const [row] = await db.select().from(users).where(eq(users.id, user.id));
    expect(row.lastLogin?.toISOString()).toBe(t0.toISOString());
    const audit = await db.select().from(auditLog);
    expect(audit.map((a) => [a.action, a.actorUsername, a.ip])).toEqual([["auth.login", "cmart", "10.0.0.1"]]);
  });

  it("refuses a wrong password, an unknown user and an inactive user alike", async () => {
    await makeUser(db, { username: "cmart", password: PASSWORD });
    await makeUser(db, { username: "gone", password: PASSWORD, isActive: false });
    for (const [username, password] of [["cmart", "wrong"], ["nobody", PASSWORD], ["gone", PASSWORD]]) {
      expect(await authenticate(db, { username, password, ip: "10.0.0.1" }, t0)).toEqual({ ok: false, reason: "invalid" });
    }
    const audit = await db.select().from(auditLog);
    expect(audit.map((a) => a.action)).toEqual(["auth.login_failed", "auth.login_failed", "auth.login_failed"]);
  });

  it("with group-managed roles, an SSO-bound account holding such a role signs in through SSO only", async () => {
    // The IdP took the staff group away; the account still has staff from its last SSO sign-in.
    await makeUser(db, { username: "gina", password: PASSWORD, isStaff: true, oidcSubject: "g-sub" });
    await makeUser(db, { username: "root", password: PASSWORD, isStaff: true, isSuperuser: true });
    await makeUser(db, { username: "plain", password: PASSWORD, oidcSubject: "p-sub" });
    const groups = { staffGroups: ["cloudport-staff"] };
    expect(await authenticate(db, { username: "gina", password: PASSWORD, ip: "10.0.0.1", ssoRoles: groups }, t0)).toEqual({ ok: false, reason: "sso_only" });
    // A wrong password still reads as a wrong password (nothing tells a guesser the account is SSO-bound).
    expect(await authenticate(db, { username: "gina", password: "wrong", ip: "10.0.0.1", ssoRoles: groups }, t0)).toEqual({ ok: false, reason: "invalid" });
    // A local (unbound) superuser, an SSO-bound account without a managed role, and roles left manual: as before.
    expect((await authenticate(db, { username: "root", password: PASSWORD, ip: "10.0.0.2", ssoRoles: groups }, t0)).ok).toBe(true);
    expect((await authenticate(db, { username: "plain", password: PASSWORD, ip: "10.0.0.2", ssoRoles: groups }, t0)).ok).toBe(true);
    expect((await authenticate(db, { username: "gina", password: PASSWORD, ip: "10.0.0.3", ssoRoles: { superuserGroups: ["admins"] } }, t0)).ok).toBe(true);
    expect((await authenticate(db, { username: "gina", password: PASSWORD, ip: "10.0.0.3" }, t0)).ok).toBe(true);
    const [refused] = await db.select().from(auditLog).where(eq(auditLog.action, "auth.login_failed")).limit(1);
    expect(refused).toMatchObject({ actorUsername: "gina", details: { reason: "roles come from single sign-on groups: password sign-in refused", isStaff: true } });
    const [row] = await db.select().from(users).where(eq(users.username, "gina"));
    expect(row.isStaff).toBe(true);
  });

  it("backs off exponentially per (username, IP), says until when, and never locks the owner out elsewhere", async () => {
    await makeUser(db, { username: "admin", password: PASSWORD, isStaff: true, isSuperuser: true });
    const attacker = { username: "admin", ip: "203.0.113.9" };
    for (let i = 0; i < USER_IP_FREE; i++) {
      expect(await authenticate(db, { ...attacker, password: `guess-${i}` }, t0)).toEqual({ ok: false, reason: "invalid" });
    }
    // Backing off: even the right password is not checked, and the answer says when to retry.
    const refused = await authenticate(db, { ...attacker, password: PASSWORD }, at(1000));
    expect(refused).toEqual({ ok: false, reason: "throttled", retryAt: at(BASE_DELAY_MS) });
    // Once the wait is over one more try is allowed; failing it doubles the wait.
    expect((await authenticate(db, { ...attacker, password: "again" }, at(BASE_DELAY_MS))).ok).toBe(false);
    expect(await authenticate(db, { ...attacker, password: PASSWORD }, at(BASE_DELAY_MS + 1000))).toMatchObject({
      reason: "throttled",
      retryAt: at(BASE_DELAY_MS + 2 * BASE_DELAY_MS),
    });
    // Waits are capped, so the attacker's back-off is bounded too.
    let now = at(3 * BASE_DELAY_MS);
    for (let i = 0; i < 12; i++) {
      const r = await authenticate(db, { ...attacker, password: "x" }, now);
      now = r.ok || r.reason !== "throttled" ? now : r.retryAt;
      if (!r.ok && r.reason === "invalid") now = new Date(now.getTime() + MAX_DELAY_MS);
    }
    const [row] = await db.select().from(loginThrottle).where(eq(loginThrottle.key, `u 203.0.113.9 admin`));
    expect(row.blockedUntil!.getTime() - row.lastAt.getTime()).toBe(MAX_DELAY_MS);
    // Meanwhile the last superuser signs in from their own address at once.
    expect((await authenticate(db, { username: "admin", password: PASSWORD, ip: "198.51.100.1" }, at(2000))).ok).toBe(true);
    const actions = (await db.select().from(auditLog)).map((a) => a.action);
    expect(actions).toContain("auth.login_throttled");
  });

  it("a spoofed X-Forwarded-For buys no fresh attempts, with or without a trusted proxy", async () => {
    await makeUser(db, { username: "cmart", password: PASSWORD });
    for (const [trusted, peer, real] of [["", "203.0.113.9", "203.0.113.9"], ["1", "10.0.0.2", "203.0.113.50"]] as const) {
      const reasons: string[] = [];
      for (let i = 0; i < USER_IP_FREE + 3; i++) {
        // The attacker sends a new left-most address every time; a proxy (if any) appends the real one.
        const xff = trusted ? `6.6.6.${i}, ${real}` : `6.6.6.${i}`;
        const ip = resolveClientIp(xff, peer, parseTrustedProxies(trusted));
        expect(ip).toBe(real);
        const r = await authenticate(db, { username: "cmart", password: `spoof-${i}`, ip }, t0);
        reasons.push(r.ok ? "ok" : r.reason);
      }
      expect(reasons.slice(USER_IP_FREE)).toEqual(["throttled", "throttled", "throttled"]);
    }
  });

  it("a success forgets that pair's failures", async () => {
    await makeUser(db, { username: "cmart", password: PASSWORD });
    for (let i = 0; i < USER_IP_FREE - 1; i++) await authenticate(db, { username: "cmart", password: "typo", ip: "10.0.0.1" }, t0);
    expect((await authenticate(db, { username: "cmart", password: PASSWORD, ip: "10.0.0.1" }, t0)).ok).toBe(true);
    for (let i = 0; i < USER_IP_FREE - 1; i++) await authenticate(db, { username: "cmart", password: "typo", ip: "10.0.0.1" }, t0);
    expect((await authenticate(db, { username: "cmart", password: PASSWORD, ip: "10.0.0.1" }, t0)).ok).toBe(true);
  });

  it("backs off an address that sprays many usernames, and only that address", async () => {
    await makeUser(db, { username: "cmart", password: PASSWORD });
    for (let i = 0; i < IP_FREE; i++) {
      expect((await authenticate(db, { username: `guess${i}`, password: "nope", ip: "192.0.2.7" }, t0)).ok).toBe(false);
    }
    expect(await authenticate(db, { username: "cmart", password: PASSWORD, ip: "192.0.2.7" }, t0)).toMatchObject({ reason: "throttled" });
    expect((await authenticate(db, { username: "cmart", password: PASSWORD, ip: "192.0.2.8" }, t0)).ok).toBe(true);
  });

  it("counts an IPv6 client by its /64: rotating addresses within it buys no fresh attempts (issue 12)", async () => {
    await makeUser(db, { username: "cmart", password: PASSWORD });
    // A sprayer walking through its own /64, one address per guess.
    for (let i = 0; i < IP_FREE; i++) {
      const ip = `2001:db8:aa:1:${(i + 1).toString(16)}::${i + 7}`;
      expect((await authenticate(db, { username: `guess${i}`, password: "nope", ip }, t0)).ok).toBe(false);
    }
    expect(await authenticate(db, { username: "cmart", password: PASSWORD, ip: "2001:db8:aa:1:ffff::1" }, t0)).toMatchObject({ reason: "throttled" });
    // One username from many addresses of that /64 shares one (username, network) count too.
    for (let i = 0; i < USER_IP_FREE; i++) {
      await authenticate(db, { username: "other", password: "nope", ip: `2001:db8:bb:2::${i + 1}` }, t0);
    }
    expect(await authenticate(db, { username: "other", password: "nope", ip: "2001:db8:bb:2:1:2:3:4" }, at(1000))).toMatchObject({ reason: "throttled" });
    // The neighbouring /64 is someone else.
    expect((await authenticate(db, { username: "cmart", password: PASSWORD, ip: "2001:db8:aa:2::1" }, t0)).ok).toBe(true);
    const keys = (await db.select().from(loginThrottle)).map((r) => r.key);
    expect(keys).toContain("ip 2001:db8:aa:1::/64");
    expect(keys).toContain("u 2001:db8:bb:2::/64 other");
  });

  it("counts parallel attempts atomically: only the free allowance reaches the password check", async () => {
    await makeUser(db, { username: "cmart", password: PASSWORD });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => authenticate(db, { username: "cmart", password: `parallel-${i}`, ip: "10.0.0.5" }, t0)),
    );
    const reasons = results.map((r) => (r.ok ? "ok" : r.reason));
    expect(reasons.filter((r) => r === "invalid")).toHaveLength(USER_IP_FREE);
    expect(reasons.filter((r) => r === "throttled")).toHaveLength(20 - USER_IP_FREE);
    const [row] = await db.select().from(loginThrottle).where(eq(loginThrottle.key, "u 10.0.0.5 cmart"));
    expect(row.failures).toBe(USER_IP_FREE);
    const failedAudits = (await db.select().from(auditLog)).filter((a) => a.action === "auth.login_failed");
    expect(failedAudits).toHaveLength(USER_IP_FREE);
  });

  it("prunes idle rows and restarts an idle key from zero", async () => {
    await makeUser(db, { username: "cmart", password: PASSWORD });
    for (let i = 0; i < USER_IP_FREE; i++) await authenticate(db, { username: "cmart", password: "no", ip: "10.0.0.1" }, t0);
    await authenticate(db, { username: "other", password: "no", ip: "10.0.0.2" }, at(IDLE_RESET_MS - 60_000));
    expect(await db.select().from(loginThrottle)).toHaveLength(4);
    // A day later the old keys go; the recent ones stay.
    expect(await pruneLoginThrottle(db, at(IDLE_RESET_MS + 1000))).toBe(2);
    expect((await db.select().from(loginThrottle)).map((r) => r.key).sort()).toEqual(["ip 10.0.0.2", "u 10.0.0.2 other"]);
    // Not pruned yet but idle for a day: the count starts over instead of backing off.
    for (let i = 0; i < USER_IP_FREE; i++) await authenticate(db, { username: "x", password: "no", ip: "10.0.0.3" }, t0);
    expect(await authenticate(db, { username: "x", password: "no", ip: "10.0.0.3" }, at(IDLE_RESET_MS + 1))).toEqual({ ok: false, reason: "invalid" });
  });

  it("upgrades a legacy bcrypt hash to argon2id at the next good sign-in", async () => {
    const user = await makeUser(db, { username: "old", passwordHash: await bcrypt.hash(PASSWORD, 4) });
    expect((await authenticate(db, { username: "old", password: "wrong-one", ip: "10.0.0.1" }, t0)).ok).toBe(false);
    let [row] = await db.select().from(users).where(eq(users.id, user.id));
    expect(row.passwordHash).toMatch(/^\$2[aby]\$/);
    expect((await authenticate(db, { username: "old", password: PASSWORD, ip: "10.0.0.1" }, t0)).ok).toBe(true);
    [row] = await db.select().from(users).where(eq(users.id, user.id));
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(PASSWORD, row.passwordHash)).toBe(true);
    expect((await authenticate(db, { username: "old", password: PASSWORD, ip: "10.0.0.1" }, t0)).ok).toBe(true);
    const logins = (await db.select().from(auditLog)).filter((a) => a.action === "auth.login");
    expect(logins.map((a) => a.details)).toEqual([{ passwordHashUpgraded: true }, {}]);
  });
});
