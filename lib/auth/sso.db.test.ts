import { beforeEach, describe, expect, it } from "vitest";
import { listAuditEntries } from "@/lib/db/queries/audit";
import { getUserByUsername } from "@/lib/db/queries/users";
import { makeUser, testDb, truncateAll } from "@/test/db";
import { findOrCreateSsoUser } from "./sso";

describe("findOrCreateSsoUser", async () => {
  const db = await testDb();
  beforeEach(() => truncateAll(db));
  const actions = async () => (await listAuditEntries(db)).rows.map((r) => r.action).reverse();

  it("creates a new SSO user who is not staff, and finds them again by subject", async () => {
    const user = await findOrCreateSsoUser(db, { sub: "abc", preferred_username: "jdoe", email: "jdoe@uni.edu", name: "J Doe" }, "10.0.0.1");
    expect(user).toMatchObject({ username: "jdoe", email: "jdoe@uni.edu", isStaff: false, isSuperuser: false, oidcSubject: "abc" });
    // The subject wins even if the IdP later reports another username.
    const again = await findOrCreateSsoUser(db, { sub: "abc", preferred_username: "renamed" }, null);
    expect(again?.id).toBe(user!.id);
    expect(await actions()).toEqual(["user.create_sso"]);
  });

  it("links an unprivileged portal user by username, or by verified email only", async () => {
    const portal = await makeUser(db, { username: "cmart", email: "c@uni.edu" });
    expect((await findOrCreateSsoUser(db, { sub: "s1", preferred_username: "CMART" }, null))?.id).toBe(portal.id);
    expect((await getUserByUsername(db, "cmart"))?.oidcSubject).toBe("s1");

    const other = await makeUser(db, { username: "alice", email: "alice@uni.edu" });
    // An unverified email links nothing: a new user is created under the claimed username.
    const unverified = await findOrCreateSsoUser(db, { sub: "s2", preferred_username: "alice2", email: "alice@uni.edu" }, null);
    expect(unverified?.id).not.toBe(other.id);
    expect(unverified?.email).toBeNull();
    const verified = await findOrCreateSsoUser(db, { sub: "s3", preferred_username: "al", email: "ALICE@uni.edu", email_verified: true }, null);
    expect(verified?.id).toBe(other.id);
  });

  it("never takes over an account bound to another subject", async () => {
    await makeUser(db, { username: "bob", oidcSubject: "original" });
    expect(await findOrCreateSsoUser(db, { sub: "intruder", preferred_username: "bob" }, "10.9.9.9")).toBeUndefined();
    expect((await getUserByUsername(db, "bob"))?.oidcSubject).toBe("original");
    expect(await actions()).toEqual(["auth.sso_refused"]);
  });

  it("links a staff or superuser account only through its own verified email", async () => {
    const admin = await makeUser(db, { username: "admin", email: "ops@uni.edu", isStaff: true, isSuperuser: true });
    expect(await findOrCreateSsoUser(db, { sub: "x1", preferred_username: "admin" }, null)).toBeUndefined();
    expect(await findOrCreateSsoUser(db, { sub: "x2", preferred_username: "admin", email: "someone@else.org", email_verified: true }, null)).toBeUndefined();
    expect(await findOrCreateSsoUser(db, { sub: "x3", preferred_username: "admin", email: "ops@uni.edu" }, null)).toBeUndefined();
    const linked = await findOrCreateSsoUser(db, { sub: "x4", preferred_username: "admin", email: "ops@uni.edu", email_verified: true }, null);
    expect(linked?.id).toBe(admin.id);
    expect(linked?.isSuperuser).toBe(true);
  });

  it("falls back to the email's local part and refuses a profile without a subject or a name", async () => {
    expect((await findOrCreateSsoUser(db, { sub: "x", email: "carol@lab.org" }, null))?.username).toBe("carol");
    expect(await findOrCreateSsoUser(db, { sub: "y" }, null)).toBeUndefined();
    expect(await findOrCreateSsoUser(db, { preferred_username: "dave" }, null)).toBeUndefined();
  });
});
