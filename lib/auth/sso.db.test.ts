import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { listAuditEntries } from "@/lib/db/queries/audit";
import { getUserByUsername } from "@/lib/db/queries/users";
import { users } from "@/lib/db/schema";
import { usernameSchema } from "@/lib/users/schemas";
import { makeUser, testDb, truncateAll } from "@/test/db";
import { applySsoRoles, findOrCreateSsoUser, PRIVILEGED_EMAIL_MESSAGE, resolveSsoUser, safeSsoUsername } from "./sso";

describe("findOrCreateSsoUser", async () => {
  const db = await testDb();
  beforeEach(() => truncateAll(db));
  const actions = async () => (await listAuditEntries(db)).rows.map((r) => r.action).reverse();

  it("creates a new SSO user who is not staff, and finds them again by subject", async () => {
    const user = await findOrCreateSsoUser(db, { sub: "abc", preferred_username: "jdoe", email: "jdoe@uni.edu", email_verified: true, name: "J Doe" }, "10.0.0.1");
    expect(user).toMatchObject({ username: "jdoe", email: "jdoe@uni.edu", isStaff: false, isSuperuser: false, oidcSubject: "abc" });
    // The subject wins even if the IdP later reports another username.
    const again = await findOrCreateSsoUser(db, { sub: "abc", preferred_username: "renamed" }, null);
    expect(again?.id).toBe(user!.id);
    expect(await actions()).toEqual(["user.create_sso"]);
  });

  it("never links by username alone: a taken name gives the newcomer a derived one", async () => {
    const portal = await makeUser(db, { username: "cmart", email: "c@uni.edu" });
    const sso = await findOrCreateSsoUser(db, { sub: "s1", preferred_username: "CMART" }, null);
    expect(sso?.id).not.toBe(portal.id);
    expect(sso?.username).toBe("CMART-2");
    expect((await getUserByUsername(db, "cmart"))?.oidcSubject).toBeNull();
    // The same for a staff account, or one bound to another subject.
    await makeUser(db, { username: "admin", isStaff: true, isSuperuser: true });
    await makeUser(db, { username: "bob", oidcSubject: "original" });
    expect((await findOrCreateSsoUser(db, { sub: "x1", preferred_username: "admin" }, null))?.isStaff).toBe(false);
    expect((await findOrCreateSsoUser(db, { sub: "intruder", preferred_username: "bob" }, null))?.username).toBe("bob-2");
    expect((await getUserByUsername(db, "bob"))?.oidcSubject).toBe("original");
  });

  it("links an unbound account only through its own email verified by the IdP", async () => {
    const other = await makeUser(db, { username: "alice", email: "alice@uni.edu" });
    // An unverified email links nothing and is not stored.
    const unverified = await findOrCreateSsoUser(db, { sub: "s2", preferred_username: "alice2", email: "alice@uni.edu" }, null);
    expect(unverified?.id).not.toBe(other.id);
    expect(unverified?.email).toBeNull();
    const verified = await findOrCreateSsoUser(db, { sub: "s3", preferred_username: "al", email: "ALICE@uni.edu", email_verified: true }, null);
    expect(verified?.id).toBe(other.id);
    expect(verified).toMatchObject({ oidcSubject: "s3", isStaff: false });
    // Bound now: another subject with the same verified email is refused, not linked.
    expect(await resolveSsoUser(db, { sub: "s4", preferred_username: "al", email: "alice@uni.edu", email_verified: true }, "10.9.9.9")).toEqual({ ok: false, reason: "bound_elsewhere" });
    expect((await actions()).slice(-2)).toEqual(["user.link_sso", "auth.sso_refused"]);
  });

  it("never links a staff or superuser account by email: refused and audited, the account stays unbound", async () => {
    const staff = await makeUser(db, { username: "ops", email: "ops@uni.edu", isStaff: true });
    const root = await makeUser(db, { username: "root", email: "root@uni.edu", isStaff: true, isSuperuser: true });
    for (const [sub, email] of [["takeover-1", "OPS@uni.edu"], ["takeover-2", "root@uni.edu"]]) {
      expect(await resolveSsoUser(db, { sub, preferred_username: "x", email, email_verified: true }, "10.6.6.6")).toEqual({ ok: false, reason: "privileged_email" });
      expect(await findOrCreateSsoUser(db, { sub, preferred_username: "x", email, email_verified: true }, null)).toBeUndefined();
    }
    for (const u of [staff, root]) expect((await getUserByUsername(db, u.username))?.oidcSubject).toBeNull();
    // No new user was made for the refused subjects either.
    expect(await db.select().from(users).where(eq(users.username, "x"))).toHaveLength(0);
    const refused = (await listAuditEntries(db, { action: "auth.sso_refused" })).rows;
    expect(refused).toHaveLength(4);
    expect(refused.map((r) => String(r.targetId)).sort()).toEqual([staff.id, staff.id, root.id, root.id].map(String).sort());
    expect(refused[0].details).toMatchObject({ reason: "a staff or superuser account is not linked through its email" });
    expect(PRIVILEGED_EMAIL_MESSAGE).toMatch(/remove the account's staff and superuser roles under Users/);
    // Once an administrator bound it (roles off, one SSO sign-in), the subject finds it; roles can then come back.
    await db.update(users).set({ isStaff: false }).where(eq(users.id, staff.id));
    const linked = await findOrCreateSsoUser(db, { sub: "real-ops", email: "ops@uni.edu", email_verified: true }, null);
    expect(linked?.id).toBe(staff.id);
    await db.update(users).set({ isStaff: true }).where(eq(users.id, staff.id));
    expect(await findOrCreateSsoUser(db, { sub: "real-ops" }, null)).toMatchObject({ id: staff.id, isStaff: true });
  });

  it("keeps one user per subject: the unique index refuses a second", async () => {
    await makeUser(db, { username: "one", oidcSubject: "same" });
    await expect(db.insert(users).values({ username: "two", oidcSubject: "same" })).rejects.toThrow();
    // Two first sign-ins of one subject at once make one user.
    const [a, b] = await Promise.all([
      findOrCreateSsoUser(db, { sub: "twice", preferred_username: "tw" }, null),
      findOrCreateSsoUser(db, { sub: "twice", preferred_username: "tw" }, null),
    ]);
    expect(a?.id).toBe(b?.id);
    expect(await db.select().from(users).where(eq(users.oidcSubject, "twice"))).toHaveLength(1);
  });

  it("gives a bad IdP username a safe derived one, so a bulk run of them all succeeds", async () => {
    const bad = ["Jo Doe", "josé.garcía", "a/b\\c", "x\ny", "<script>", "ops;rm -rf", "   ", "\u4f60\u597d", "-lead-"];
    const made = await Promise.all(bad.map((name, i) => findOrCreateSsoUser(db, { sub: `bulk-${i}`, preferred_username: name }, null)));
    const names = made.map((u) => u?.username);
    expect(names.slice(0, 6)).toEqual(["Jo-Doe", "jose.garcia", "a-b-c", "x-y", "script", "ops-rm-rf"]);
    expect(names[6]).toMatch(/^sso-[0-9a-f]{10}$/); // blank: falls back to the subject's digest
    expect(names[7]).toMatch(/^sso-[0-9a-f]{10}$/);
    expect(names[8]).toBe("lead");
    for (const n of names) expect(usernameSchema.safeParse(n).success).toBe(true);
    expect(safeSsoUsername("x".repeat(400), "s").length).toBeLessThanOrEqual(150);
  });

  it("falls back to the email's local part, then the subject, and refuses a profile without a subject", async () => {
    expect((await findOrCreateSsoUser(db, { sub: "x", email: "carol@lab.org" }, null))?.username).toBe("carol");
    expect((await findOrCreateSsoUser(db, { sub: "y" }, null))?.username).toMatch(/^sso-[0-9a-f]{10}$/);
    expect(await findOrCreateSsoUser(db, { preferred_username: "dave" }, null)).toBeUndefined();
  });
});

describe("applySsoRoles", async () => {
  const db = await testDb();
  beforeEach(() => truncateAll(db));
  const config = { staffGroups: ["cloudport-staff"], superuserGroups: ["cloudport-admins"] };
  const roleAudits = async () =>
    (await listAuditEntries(db)).rows.filter((r) => r.action === "user.sso_roles").map((r) => r.details as Record<string, unknown>);

  it("grants and revokes from the groups claim at each sign-in, audited only when they change", async () => {
    await makeUser(db, { username: "root", isStaff: true, isSuperuser: true });
    const user = (await findOrCreateSsoUser(db, { sub: "g1", preferred_username: "gina" }, null))!;
    const staff = await applySsoRoles(db, user, { groups: ["cloudport-staff", "other"] }, config, "10.0.0.9");
    expect(staff).toMatchObject({ id: user.id, isStaff: true, isSuperuser: false });
    // The same claim again: nothing changes and nothing more is audited.
    await applySsoRoles(db, staff, { groups: ["cloudport-staff"] }, config, null);
    expect(await roleAudits()).toEqual([{ before: { isStaff: false, isSuperuser: false }, after: { isStaff: true, isSuperuser: false }, matchedGroups: ["cloudport-staff"] }]);
    // Left the group: staff is revoked and older sessions end.
    const revoked = await applySsoRoles(db, staff, { groups: [] }, config, null);
    expect(revoked.isStaff).toBe(false);
    expect(revoked.sessionVersion).toBe(staff.sessionVersion + 1);
    const admin = await applySsoRoles(db, revoked, { groups: ["cloudport-admins"] }, config, null);
    expect(admin).toMatchObject({ isStaff: false, isSuperuser: true });
    expect((await roleAudits()).length).toBe(3);
  });

  it("leaves a role alone when its group list is unset, and ignores profile fields", async () => {
    const user = await makeUser(db, { username: "manual", isStaff: true, oidcSubject: "m1" });
    expect(await applySsoRoles(db, user, { groups: [] }, { superuserGroups: ["cloudport-admins"] }, null)).toMatchObject({ isStaff: true, isSuperuser: false });
    expect(await applySsoRoles(db, user, { groups: ["cloudport-staff"] }, {}, null)).toMatchObject({ isStaff: true });
    const plain = await makeUser(db, { username: "plain", oidcSubject: "p1" });
    const spoof = { name: "cloudport-staff", preferred_username: "cloudport-admins", groups: "not-it" };
    expect(await applySsoRoles(db, plain, spoof, config, null)).toMatchObject({ isStaff: false, isSuperuser: false });
    expect(await roleAudits()).toEqual([]);
  });

  it("never demotes the last active superuser", async () => {
    const only = await makeUser(db, { username: "only", isStaff: true, isSuperuser: true, oidcSubject: "o1" });
    const after = await applySsoRoles(db, only, { groups: [] }, config, null);
    expect(after).toMatchObject({ isSuperuser: true, isStaff: false });
    expect((await roleAudits())[0]).toMatchObject({ after: { isStaff: false, isSuperuser: true }, kept: expect.stringContaining("last active superuser") });
  });
});
