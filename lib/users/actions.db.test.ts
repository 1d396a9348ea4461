import { revalidatePath } from "next/cache";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { runAction } from "@/lib/actions/safe-action";
import { verifyPassword } from "@/lib/auth/password";
import { getUserById, getUserByUsername } from "@/lib/db/queries/users";
import { auditRows, depsAs, TEST_IP } from "@/test/actions";
import { makeUser, testDb, truncateAll } from "@/test/db";
import { signInAgain } from "@/lib/auth/session";
import { changeOwnPassword, changeUserActive, changeUserRole, createUser } from "./actions";

vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));
// Signing this browser in again needs Auth.js's request context; the e2e sessions spec covers it.
vi.mock("@/lib/auth/session", () => ({ signInAgain: vi.fn(async () => null) }));

describe("user actions", async () => {
  const db = await testDb();
  beforeEach(async () => {
    await truncateAll(db);
    vi.mocked(revalidatePath).mockClear();
  });

  it("keeps user management from non-staff and role grants from staff", async () => {
    const target = await makeUser(db, { username: "target" });
    const r = await runAction(await depsAs(db, { isStaff: false }), createUser, { username: "newbie" });
    expect(r).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await getUserByUsername(db, "newbie")).toBeFalsy();
    const g = await runAction(await depsAs(db, { isStaff: true }), changeUserRole, { userId: target.id, role: "staff", grant: "true" });
    expect(g).toMatchObject({ ok: false, error: { code: "forbidden", message: "Only a superuser can do this." } });
    expect(await auditRows(db)).toHaveLength(0);
  });

  it("refuses a pasted 300-character username with the limit and its length, never cutting it", async () => {
    const r = await runAction(await depsAs(db, { isStaff: true }), createUser, { username: "x".repeat(300) });
    expect(r).toMatchObject({ ok: false, error: { code: "invalid_input" } });
    expect(!r.ok && r.error.fieldErrors?.username).toEqual(["Usernames are at most 150 characters; this one has 300."]);
    expect(await getUserByUsername(db, "x".repeat(150))).toBeFalsy();
  });

  it("creates a user with a one-time password and deactivates them, audited as the staff member", async () => {
    const deps = await depsAs(db, { isStaff: true });
    const r = await runAction(deps, createUser, { username: "cmart", email: "cmart@example.org", passwordMode: "generate" });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.data).toMatchObject({ username: "cmart", generatedPassword: expect.any(String) });
    const row = await getUserById(db, r.data.id);
    expect(await verifyPassword(r.data.generatedPassword!, row!.passwordHash)).toBe(true);
    expect(revalidatePath).toHaveBeenCalledWith(`/users/${r.data.id}`);

    const off = await runAction(deps, changeUserActive, { userId: r.data.id, active: "false" });
    expect(off).toEqual({ ok: true, data: { changed: true, message: "cmart is deactivated: they can no longer sign in." } });
    const rows = await auditRows(db);
    expect(rows.map((a) => a.action)).toEqual(["user.create", "user.deactivate"]);
    expect(rows[0]).toMatchObject({ actorUsername: deps.user!.username, targetType: "user", targetId: String(r.data.id), ip: TEST_IP });
    expect(JSON.stringify(rows)).not.toContain(r.data.generatedPassword!);
  });

  it("a superuser grants staff", async () => {
    const target = await makeUser(db, { username: "target" });
    const r = await runAction(await depsAs(db, { isStaff: true, isSuperuser: true }), changeUserRole, {
      userId: target.id,
      role: "staff",
      grant: "true",
    });
    expect(r).toEqual({ ok: true, data: { changed: true, message: "target is now staff." } });
    expect((await getUserById(db, target.id))?.isStaff).toBe(true);
    expect((await auditRows(db)).map((a) => a.action)).toEqual(["user.grant_staff"]);
  });

  it("says so when a grant clears a password someone else set", async () => {
    const target = await makeUser(db, { username: "given", password: "Given-By-Staff-123" });
    const r = await runAction(await depsAs(db, { isStaff: true, isSuperuser: true }), changeUserRole, { userId: target.id, role: "staff", grant: "true" });
    expect(r).toEqual({
      ok: true,
      data: {
        changed: true,
        message:
          "given is now staff. Their password was set by someone else, so it was cleared: reset it here to give them a one-time password, or they sign in with single sign-on.",
      },
    });
    expect((await getUserById(db, target.id))?.passwordHash).toBeNull();
  });

  describe("changeOwnPassword", () => {
    it("is refused without console access", async () => {
      const r = await runAction(await depsAs(db, { isStaff: false, password: "Old-Password-123" }), changeOwnPassword, {
        currentPassword: "Old-Password-123",
        newPassword: "New-Password-456!",
        confirmPassword: "New-Password-456!",
      });
      expect(r).toMatchObject({ ok: false, error: { code: "forbidden" } });
    });

    it("says which field is wrong", async () => {
      const deps = await depsAs(db, { isStaff: true, password: "Old-Password-123" });
      const differ = await runAction(deps, changeOwnPassword, {
        currentPassword: "Old-Password-123",
        newPassword: "New-Password-456!",
        confirmPassword: "Other-Password-789!",
      });
      expect(!differ.ok && differ.error.fieldErrors?.confirmPassword).toEqual(["The two new passwords differ."]);
      const wrong = await runAction(deps, changeOwnPassword, {
        currentPassword: "not-it",
        newPassword: "New-Password-456!",
        confirmPassword: "New-Password-456!",
      });
      expect(wrong).toMatchObject({ ok: false, error: { code: "invalid_input", message: "The current password is wrong." } });
      // A wrong current password is audited (without it); a form mistake is not.
      expect((await auditRows(db)).map((a) => a.action)).toEqual(["user.change_own_password_failed"]);
      expect(JSON.stringify(await auditRows(db))).not.toContain("not-it");
    });

    it("changes the password and audits it", async () => {
      const deps = await depsAs(db, { isStaff: true, password: "Old-Password-123" });
      const r = await runAction(deps, changeOwnPassword, {
        currentPassword: "Old-Password-123",
        newPassword: "New-Password-456!",
        confirmPassword: "New-Password-456!",
      });
      expect(r).toEqual({ ok: true, data: { changed: true, signedOut: false } });
      expect(signInAgain).toHaveBeenCalledWith(deps.user!.username, "New-Password-456!");
      const row = await getUserById(db, deps.user!.id);
      expect(await verifyPassword("New-Password-456!", row!.passwordHash)).toBe(true);
      expect(await auditRows(db)).toMatchObject([{ action: "user.change_own_password", actorUsername: deps.user!.username }]);
    });
  });
});
