import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { verifyPassword } from "@/lib/auth/password";
import { auditLog, loginThrottle, users, type User } from "@/lib/db/schema";
import { authenticate } from "@/lib/auth/authenticate";
import { sessionUserOf } from "@/lib/auth/session-user";
import { makeUser, testDb, truncateAll } from "@/test/db";
import { changeOwnPassword, ownPasswordKey, signOutEverywhere } from "./self";
import { BASE_DELAY_MS, USER_IP_FREE } from "@/lib/auth/throttle";
import {
  createPortalUser,
  LAST_SUPERUSER_MESSAGE,
  setUserActive,
  setUserPassword,
  setUserRole,
  type Actor,
} from "./manage";

// Signed in just now, so role grants pass the fresh-sign-in check.
const actorOf = (u: User): Actor => ({ ...u, ip: "10.0.0.9", authTime: Date.now() });

describe("staff user management", async () => {
  const db = await testDb();
  let admin: User;
  let staff: User;

  beforeEach(async () => {
    await truncateAll(db);
    admin = await makeUser(db, { username: "admin", isStaff: true, isSuperuser: true });
    staff = await makeUser(db, { username: "op", isStaff: true });
  });

  const reload = async (id: number) => (await db.select().from(users).where(eq(users.id, id)))[0];
  const auditRows = () => db.select().from(auditLog).orderBy(auditLog.id);
  async function settle<T>(p: Promise<T>) {
    try {
      return { ok: true as const, value: await p };
    } catch (error) {
      return { ok: false as const, error: error as Error & { code?: string; fieldErrors?: Record<string, string[]> } };
    }
  }

  describe("createPortalUser", () => {
    it("creates a user with a generated password that is returned once, and audits it without the password", async () => {
      const { user, generatedPassword } = await createPortalUser(db, actorOf(staff), {
        username: "cmart",
        email: "cmart@example.org",
        displayName: "C. Mart",
      });
      expect(generatedPassword).toMatch(/^.{20}$/);
      expect(user).toMatchObject({ username: "cmart", email: "cmart@example.org", isStaff: false, isSuperuser: false, isActive: true, hasPassword: true });
      expect(user).not.toHaveProperty("passwordHash");
      const row = await reload(user.id);
      expect(await verifyPassword(generatedPassword!, row.passwordHash)).toBe(true);

      const audit = await auditRows();
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        actorId: staff.id,
        actorUsername: "op",
        action: "user.create",
        targetType: "user",
        targetId: String(user.id),
        ip: "10.0.0.9",
        details: { username: "cmart", email: "cmart@example.org", displayName: "C. Mart", withPassword: true, generated: true },
      });
      expect(JSON.stringify(audit)).not.toContain(generatedPassword);
    });

    it("takes a typed password or none at all", async () => {
      const typed = await createPortalUser(db, actorOf(staff), { username: "typed", passwordMode: "set", password: "Chosen-Secret-42" });
      expect(typed.generatedPassword).toBeNull();
      expect(await verifyPassword("Chosen-Secret-42", (await reload(typed.user.id)).passwordHash)).toBe(true);
      const sso = await createPortalUser(db, actorOf(staff), { username: "sso-only", passwordMode: "none" });
      expect(sso).toMatchObject({ generatedPassword: null, user: { hasPassword: false } });
      expect(JSON.stringify(await auditRows())).not.toContain("Chosen-Secret-42");
    });

    it("refuses a username taken in any capitalisation, and a taken email, as field errors", async () => {
      await createPortalUser(db, actorOf(staff), { username: "cmart", email: "C.Mart@Example.org", passwordMode: "none" });
      const dup = await settle(createPortalUser(db, actorOf(staff), { username: "CMart", passwordMode: "none" }));
      expect(dup.ok).toBe(false);
      expect(!dup.ok && dup.error).toMatchObject({ code: "conflict", fieldErrors: { username: ["This username is taken."] } });
      const email = await settle(createPortalUser(db, actorOf(staff), { username: "other", email: "c.mart@example.ORG", passwordMode: "none" }));
      expect(!email.ok && email.error).toMatchObject({ code: "conflict", fieldErrors: { email: ["Another user has this email address."] } });
      expect((await auditRows()).map((a) => a.action)).toEqual(["user.create"]);
    });

    it("lets the database settle two simultaneous creates of the same name: one wins, one gets the field error", async () => {
      const results = await Promise.all(
        ["race", "RACE"].map((username) => settle(createPortalUser(db, actorOf(staff), { username, passwordMode: "none" }))),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      const lost = results.find((r) => !r.ok);
      expect(lost && !lost.ok && lost.error).toMatchObject({ code: "conflict", fieldErrors: { username: ["This username is taken."] } });
    });

    it("refuses bad input with field errors and refuses non-staff", async () => {
      const bad = await settle(createPortalUser(db, actorOf(staff), { username: "has space", email: "nope", passwordMode: "set", password: "weak" }));
      expect(!bad.ok && bad.error).toMatchObject({ code: "invalid_input" });
      expect(!bad.ok && Object.keys(bad.error.fieldErrors ?? {})).toEqual(["username", "email", "password"]);
      const portal = await makeUser(db, { username: "portal" });
      const denied = await settle(createPortalUser(db, actorOf(portal), { username: "x1" }));
      expect(!denied.ok && denied.error).toMatchObject({ code: "forbidden" });
      expect(await auditRows()).toHaveLength(0);
    });
  });

  describe("setUserPassword", () => {
    it("resets to a generated password, shown once, and audits without it", async () => {
      const target = await makeUser(db, { username: "cmart", password: "Old-Password-11" });
      const { generatedPassword } = await setUserPassword(db, actorOf(staff), { userId: target.id });
      const row = await reload(target.id);
      expect(await verifyPassword(generatedPassword!, row.passwordHash)).toBe(true);
      expect(await verifyPassword("Old-Password-11", row.passwordHash)).toBe(false);
      const audit = await auditRows();
      expect(audit.map((a) => [a.action, a.actorUsername, a.targetId, a.details])).toEqual([
        ["user.set_password", "op", String(target.id), { username: "cmart", generated: true }],
      ]);
      expect(JSON.stringify(audit)).not.toContain(generatedPassword);
    });

    it("sets a typed password that passes the rules for that user", async () => {
      const target = await makeUser(db, { username: "cmart" });
      const weak = await settle(setUserPassword(db, actorOf(staff), { userId: target.id, passwordMode: "set", password: "My-Cmart-Pass-1" }));
      expect(!weak.ok && weak.error).toMatchObject({ code: "invalid_input", fieldErrors: { password: ["Do not include the username."] } });
      await setUserPassword(db, actorOf(staff), { userId: target.id, passwordMode: "set", password: "Brand-New-Pass-1", confirmPassword: "Brand-New-Pass-1" });
      expect(await verifyPassword("Brand-New-Pass-1", (await reload(target.id)).passwordHash)).toBe(true);
      expect(JSON.stringify(await auditRows())).not.toContain("Brand-New-Pass-1");
    });

    it("refuses your own password (the account page asks for the current one) and a superuser's for staff", async () => {
      const own = await settle(setUserPassword(db, actorOf(staff), { userId: staff.id }));
      expect(!own.ok && own.error).toMatchObject({ code: "forbidden" });
      const su = await settle(setUserPassword(db, actorOf(staff), { userId: admin.id }));
      expect(!su.ok && su.error).toMatchObject({ code: "forbidden", message: "Only a superuser can set the password of a superuser." });
      const other = await makeUser(db, { username: "root2", isSuperuser: true });
      expect((await settle(setUserPassword(db, actorOf(admin), { userId: other.id }))).ok).toBe(true);
      // Nor another staff member's: a new password would let staff act as each other.
      const colleague = await makeUser(db, { username: "colleague", isStaff: true });
      const peer = await settle(setUserPassword(db, actorOf(staff), { userId: colleague.id }));
      expect(!peer.ok && peer.error).toMatchObject({ code: "forbidden", message: "Only a superuser can set the password of a staff member." });
      expect((await settle(setUserPassword(db, actorOf(admin), { userId: colleague.id }))).ok).toBe(true);
      const missing = await settle(setUserPassword(db, actorOf(staff), { userId: 999_999 }));
      expect(!missing.ok && missing.error).toMatchObject({ code: "not_found" });
    });
  });

  describe("setUserActive", () => {
    it("deactivates and activates, once each, and audits both", async () => {
      const target = await makeUser(db, { username: "cmart" });
      expect((await setUserActive(db, actorOf(staff), { userId: target.id, active: false })).changed).toBe(true);
      expect((await reload(target.id)).isActive).toBe(false);
      // Doing it again changes nothing and writes nothing.
      expect((await setUserActive(db, actorOf(staff), { userId: target.id, active: "false" })).changed).toBe(false);
      await setUserActive(db, actorOf(staff), { userId: target.id, active: "true" });
      expect((await auditRows()).map((a) => [a.action, a.actorUsername])).toEqual([
        ["user.deactivate", "op"],
        ["user.activate", "op"],
      ]);
    });

    it("refuses to deactivate yourself", async () => {
      for (const me of [staff, admin]) {
        const r = await settle(setUserActive(db, actorOf(me), { userId: me.id, active: false }));
        expect(!r.ok && r.error).toMatchObject({ code: "forbidden", message: expect.stringContaining("cannot deactivate your own account") });
        expect((await reload(me.id)).isActive).toBe(true);
      }
      expect(await auditRows()).toHaveLength(0);
    });

    it("keeps staff from deactivating a superuser", async () => {
      const r = await settle(setUserActive(db, actorOf(staff), { userId: admin.id, active: false }));
      expect(!r.ok && r.error).toMatchObject({ code: "forbidden", message: "Only a superuser can deactivate the account of a superuser." });
    });

    it("never deactivates the last active superuser, even when two superusers deactivate each other at once", async () => {
      for (let round = 0; round < 10; round++) {
        await truncateAll(db);
        const a = await makeUser(db, { username: "root-a", isStaff: true, isSuperuser: true });
        const b = await makeUser(db, { username: "root-b", isStaff: true, isSuperuser: true });
        const results = await Promise.all([
          settle(setUserActive(db, actorOf(a), { userId: b.id, active: false })),
          settle(setUserActive(db, actorOf(b), { userId: a.id, active: false })),
        ]);
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        const refused = results.find((r) => !r.ok);
        expect(refused && !refused.ok && refused.error).toMatchObject({ code: "conflict", message: LAST_SUPERUSER_MESSAGE });
        const left = await db.select().from(users).where(eq(users.isActive, true));
        expect(left.filter((u) => u.isSuperuser)).toHaveLength(1);
        expect((await auditRows()).map((r) => r.action)).toEqual(["user.deactivate"]);
      }
    });
  });

  describe("setUserRole", () => {
    it("grants and revokes staff and superuser, auditing each with the actor", async () => {
      const target = await makeUser(db, { username: "cmart" });
      await setUserRole(db, actorOf(admin), { userId: target.id, role: "staff", grant: true });
      await setUserRole(db, actorOf(admin), { userId: target.id, role: "superuser", grant: "true" });
      expect(await reload(target.id)).toMatchObject({ isStaff: true, isSuperuser: true });
      // Already superuser: no change, no row.
      expect((await setUserRole(db, actorOf(admin), { userId: target.id, role: "superuser", grant: true })).changed).toBe(false);
      await setUserRole(db, actorOf(admin), { userId: target.id, role: "superuser", grant: false });
      await setUserRole(db, actorOf(admin), { userId: target.id, role: "staff", grant: "false" });
      expect(await reload(target.id)).toMatchObject({ isStaff: false, isSuperuser: false });
      expect((await auditRows()).map((a) => [a.action, a.actorUsername, a.targetId, a.ip])).toEqual([
        ["user.grant_staff", "admin", String(target.id), "10.0.0.9"],
        ["user.grant_superuser", "admin", String(target.id), "10.0.0.9"],
        ["user.revoke_superuser", "admin", String(target.id), "10.0.0.9"],
        ["user.revoke_staff", "admin", String(target.id), "10.0.0.9"],
      ]);
    });

    it("is for superusers only", async () => {
      const target = await makeUser(db, { username: "cmart" });
      const r = await settle(setUserRole(db, actorOf(staff), { userId: target.id, role: "staff", grant: true }));
      expect(!r.ok && r.error).toMatchObject({ code: "forbidden", message: "Only a superuser can do this." });
      expect((await reload(target.id)).isStaff).toBe(false);
      expect(await auditRows()).toHaveLength(0);
    });

    it("refuses to revoke superuser from the last active superuser (inactive ones do not count)", async () => {
      await makeUser(db, { username: "old-root", isSuperuser: true, isActive: false });
      const r = await settle(setUserRole(db, actorOf(admin), { userId: admin.id, role: "superuser", grant: false }));
      expect(!r.ok && r.error).toMatchObject({ code: "conflict", message: LAST_SUPERUSER_MESSAGE });
      expect((await reload(admin.id)).isSuperuser).toBe(true);
      // Revoking staff from them is fine: superuser alone keeps them in the console.
      await setUserRole(db, actorOf(admin), { userId: admin.id, role: "staff", grant: false });
      // With a second superuser, the first may step down.
      const second = await makeUser(db, { username: "root2", isSuperuser: true });
      await setUserRole(db, actorOf(second), { userId: admin.id, role: "superuser", grant: false });
      expect((await reload(admin.id)).isSuperuser).toBe(false);
    });

    it("lets exactly one of two concurrent revocations of the last two superusers succeed", async () => {
      const cases = [
        // Each revokes the other; each revokes themselves; one revokes both.
        (a: User, b: User) => [
          [a, b],
          [b, a],
        ],
        (a: User, b: User) => [
          [a, a],
          [b, b],
        ],
        (a: User, b: User) => [
          [a, b],
          [a, a],
        ],
      ];
      for (let round = 0; round < 12; round++) {
        await truncateAll(db);
        const a = await makeUser(db, { username: "root-a", isStaff: true, isSuperuser: true });
        const b = await makeUser(db, { username: "root-b", isStaff: true, isSuperuser: true });
        const pairs = cases[round % cases.length](a, b);
        const results = await Promise.all(
          pairs.map(([actor, target]) => settle(setUserRole(db, actorOf(actor), { userId: target.id, role: "superuser", grant: false }))),
        );
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        const refused = results.find((r) => !r.ok);
        expect(refused && !refused.ok && refused.error).toMatchObject({ code: "conflict", message: LAST_SUPERUSER_MESSAGE });
        const supers = await db.select().from(users).where(eq(users.isSuperuser, true));
        expect(supers).toHaveLength(1);
        expect((await auditRows()).map((r) => r.action)).toEqual(["user.revoke_superuser"]);
      }
    });

    it("also holds when one superuser is deactivated while the other loses superuser", async () => {
      for (let round = 0; round < 6; round++) {
        await truncateAll(db);
        const a = await makeUser(db, { username: "root-a", isSuperuser: true });
        const b = await makeUser(db, { username: "root-b", isSuperuser: true });
        const results = await Promise.all([
          settle(setUserActive(db, actorOf(a), { userId: b.id, active: false })),
          settle(setUserRole(db, actorOf(b), { userId: a.id, role: "superuser", grant: false })),
        ]);
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        const active = await db.select().from(users).where(eq(users.isActive, true));
        expect(active.filter((u) => u.isSuperuser)).toHaveLength(1);
      }
    });
  });

  describe("sessions, staff on staff, fresh sign-in", () => {
    // A session token as the DAL sees it: the version it was issued under.
    const tokenOf = (u: User) => ({ sv: u.sessionVersion, at: Date.now() });
    const stillSignedIn = async (u: User, token: { sv: number }) => sessionUserOf(await reload(u.id), token) !== null;

    it("only a superuser changes a staff member's status", async () => {
      const other = await makeUser(db, { username: "op2", isStaff: true });
      for (const active of [false, true]) {
        const r = await settle(setUserActive(db, actorOf(staff), { userId: other.id, active }));
        expect(!r.ok && r.error).toMatchObject({ code: "forbidden", message: expect.stringContaining("Only a superuser can") });
      }
      expect((await reload(other.id)).isActive).toBe(true);
      expect((await setUserActive(db, actorOf(admin), { userId: other.id, active: false })).changed).toBe(true);
      // Portal users stay staff business.
      const portal = await makeUser(db, { username: "portal" });
      expect((await setUserActive(db, actorOf(staff), { userId: portal.id, active: false })).changed).toBe(true);
    });

    it("ends the sessions on a reset, a deactivation, a role revoke (re-grant does not revive them) and sign-out everywhere", async () => {
      const target = await makeUser(db, { username: "cmart", isStaff: true, password: "Old-Password-123" });
      let token = tokenOf(target);
      expect(await stillSignedIn(target, token)).toBe(true);

      await setUserPassword(db, actorOf(admin), { userId: target.id, passwordMode: "generate" });
      expect(await stillSignedIn(target, token)).toBe(false);

      token = tokenOf(await reload(target.id));
      await setUserRole(db, actorOf(admin), { userId: target.id, role: "staff", grant: false });
      await setUserRole(db, actorOf(admin), { userId: target.id, role: "staff", grant: true });
      expect(await stillSignedIn(target, token)).toBe(false);

      token = tokenOf(await reload(target.id));
      await setUserActive(db, actorOf(admin), { userId: target.id, active: false });
      await setUserActive(db, actorOf(admin), { userId: target.id, active: true });
      expect(await stillSignedIn(target, token)).toBe(false);

      token = tokenOf(await reload(target.id));
      await signOutEverywhere(db, { id: target.id, username: target.username });
      expect(await stillSignedIn(target, token)).toBe(false);
      // A token from before session versions existed counts for nothing.
      expect(sessionUserOf(await reload(target.id), {})).toBeNull();
      expect((await auditRows()).map((a) => a.action)).toContain("auth.sign_out_everywhere");
    });

    it("a change of one's own password ends the other sessions and clears a forced change", async () => {
      const me = await makeUser(db, { username: "cmart", isStaff: true, password: "Old-Password-123", mustChangePassword: true });
      const other = tokenOf(me);
      const bad = await settle(changeOwnPassword(db, me, { currentPassword: "wrong", newPassword: "New-Password-456" }));
      expect(!bad.ok && bad.error).toMatchObject({ code: "invalid_input", fieldErrors: { currentPassword: ["The current password is wrong."] } });
      const same = await settle(changeOwnPassword(db, me, { currentPassword: "Old-Password-123", newPassword: "Old-Password-123" }));
      expect(!same.ok && same.error.message).toMatch(/different/);
      expect(await stillSignedIn(me, other)).toBe(true);

      await changeOwnPassword(db, me, { currentPassword: "Old-Password-123", newPassword: "New-Password-456" });
      const row = await reload(me.id);
      expect(await stillSignedIn(me, other)).toBe(false);
      expect(row).toMatchObject({ mustChangePassword: false, passwordSelfChosen: true });
      expect(await verifyPassword("New-Password-456", row.passwordHash)).toBe(true);
    });

    it("checking the current password to change it is throttled per user and audited, never with a password (issue 12)", async () => {
      const me = await makeUser(db, { username: "cmart", isStaff: true, password: "Old-Password-123" });
      const t0 = new Date("2030-01-01T10:00:00Z");
      const self = { id: me.id, username: me.username, ip: "10.0.0.7" };
      const guesses = Array.from({ length: USER_IP_FREE }, (_, i) => `guess-${i}-Wrong-Pass`);
      for (const guess of guesses) {
        const r = await settle(changeOwnPassword(db, { ...self, ip: `10.0.0.${guesses.indexOf(guess) + 20}` }, { currentPassword: guess, newPassword: "New-Password-456" }, t0));
        expect(!r.ok && r.error.message).toBe("The current password is wrong.");
      }
      // Backing off now, from any address: even the right password is not checked.
      const held = await settle(changeOwnPassword(db, self, { currentPassword: "Old-Password-123", newPassword: "New-Password-456" }, new Date(t0.getTime() + 1000)));
      expect(!held.ok && held.error).toMatchObject({ code: "forbidden", message: expect.stringMatching(/^Too many wrong current passwords\. Try again in \d+ seconds/) });
      expect(await verifyPassword("Old-Password-123", (await reload(me.id)).passwordHash)).toBe(true);

      const rows = await auditRows();
      expect(rows.map((a) => a.action)).toEqual([...guesses.map(() => "user.change_own_password_failed"), "user.change_own_password_throttled"]);
      expect(rows[0]).toMatchObject({ actorId: me.id, targetId: String(me.id), ip: "10.0.0.20", details: { reason: "wrong current password", attempt: 1 } });
      for (const secret of [...guesses, "Old-Password-123", "New-Password-456"]) expect(JSON.stringify(rows)).not.toContain(secret);

      // After the back-off the right password works (and is audited); the count starts again.
      const later = new Date(t0.getTime() + BASE_DELAY_MS + 1000);
      await changeOwnPassword(db, self, { currentPassword: "Old-Password-123", newPassword: "New-Password-456" }, later);
      expect((await auditRows()).at(-1)).toMatchObject({ action: "user.change_own_password", ip: "10.0.0.7" });
      expect(await db.select().from(loginThrottle).where(eq(loginThrottle.key, ownPasswordKey(me.id)))).toEqual([]);
    });

    it("granting staff or superuser onto a password someone else set clears it and ends the sessions (issue 12)", async () => {
      // The attack: staff reset portal user P's password (allowed while P is not staff), a
      // superuser later grants P staff, and the staff member signs in as P and "chooses" a new one.
      const p = await makeUser(db, { username: "portal-p", password: "Own-Password-789", passwordSelfChosen: true });
      const { generatedPassword } = await setUserPassword(db, actorOf(staff), { userId: p.id, passwordMode: "generate" });
      expect((await authenticate(db, { username: "portal-p", password: generatedPassword!, ip: "10.0.0.1" })).ok).toBe(true);
      const token = tokenOf(await reload(p.id));

      const granted = await setUserRole(db, actorOf(admin), { userId: p.id, role: "staff", grant: true });
      expect(granted).toMatchObject({ changed: true, passwordCleared: true, user: { isStaff: true, hasPassword: false } });
      expect(await reload(p.id)).toMatchObject({ isStaff: true, passwordHash: null, mustChangePassword: false });
      // The password staff issued no longer signs in, and the session it opened has ended.
      expect(await authenticate(db, { username: "portal-p", password: generatedPassword!, ip: "10.0.0.1" })).toEqual({ ok: false, reason: "invalid" });
      expect(await stillSignedIn(p, token)).toBe(false);
      expect((await auditRows()).find((a) => a.action === "user.grant_staff")).toMatchObject({ details: { passwordCleared: true } });
      expect(JSON.stringify(await auditRows())).not.toContain(generatedPassword!);

      // The password a user was created with (set by staff) is cleared by a superuser grant too.
      const { user: created } = await createPortalUser(db, actorOf(staff), { username: "newop" });
      expect((await setUserRole(db, actorOf(admin), { userId: created.id, role: "superuser", grant: true })).passwordCleared).toBe(true);
      expect((await reload(created.id)).passwordHash).toBeNull();

      // A password the user chose themselves is kept; an SSO-only user has none to clear.
      const chose = await makeUser(db, { username: "chose", password: "Own-Password-789", passwordSelfChosen: true });
      const sso = await makeUser(db, { username: "sso", oidcSubject: "sub-1" });
      for (const u of [chose, sso]) {
        expect((await setUserRole(db, actorOf(admin), { userId: u.id, role: "staff", grant: true })).passwordCleared).toBe(false);
        expect((await reload(u.id)).mustChangePassword).toBe(false);
      }
      expect(await verifyPassword("Own-Password-789", (await reload(chose.id)).passwordHash)).toBe(true);
      // Only a superuser can now give P a password, and P must still choose their own.
      expect((await settle(setUserPassword(db, actorOf(staff), { userId: p.id, passwordMode: "generate" }))).ok).toBe(false);
      await setUserPassword(db, actorOf(admin), { userId: p.id, passwordMode: "generate" });
      expect(await reload(p.id)).toMatchObject({ mustChangePassword: true, passwordSelfChosen: false });
    });

    it("granting or revoking a role needs a sign-in from the last 10 minutes", async () => {
      const target = await makeUser(db, { username: "cmart" });
      for (const authTime of [Date.now() - 11 * 60_000, null, undefined]) {
        const r = await settle(setUserRole(db, { ...actorOf(admin), authTime }, { userId: target.id, role: "staff", grant: true }));
        expect(!r.ok && r.error).toMatchObject({
          code: "reauth_required",
          message: expect.stringMatching(/^Confirm your password to continue/),
          fieldErrors: { _reauth: ["password"] },
        });
      }
      expect((await reload(target.id)).isStaff).toBe(false);
      expect(await auditRows()).toHaveLength(0);
      const fresh = { ...actorOf(admin), authTime: Date.now() - 9 * 60_000 };
      expect((await setUserRole(db, fresh, { userId: target.id, role: "staff", grant: true })).changed).toBe(true);
    });
  });
});
