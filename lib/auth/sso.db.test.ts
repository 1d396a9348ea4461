import { beforeEach, describe, expect, it } from "vitest";
import { listAuditEntries } from "@/lib/db/queries/audit";
import { getUserByUsername } from "@/lib/db/queries/users";
import { makeUser, testDb, truncateAll } from "@/test/db";
import { findOrCreateSsoUser } from "./sso";

describe("findOrCreateSsoUser", async () => {
  const db = await testDb();
  beforeEach(() => truncateAll(db));

  it("creates a new SSO user who is not staff, and audits it", async () => {
    const user = await findOrCreateSsoUser(db, { sub: "abc", preferred_username: "jdoe", email: "jdoe@uni.edu", name: "J Doe" }, "10.0.0.1");
    expect(user).toMatchObject({ username: "jdoe", email: "jdoe@uni.edu", isStaff: false, isSuperuser: false, oidcSubject: "abc" });
    expect((await listAuditEntries(db)).rows.map((r) => r.action)).toEqual(["user.create_sso"]);
  });

  it("matches an existing user by username, then by email, keeping their flags", async () => {
    const staff = await makeUser(db, { username: "cmart", email: "c@uni.edu", isStaff: true });
    const byName = await findOrCreateSsoUser(db, { sub: "s1", preferred_username: "CMART" }, null);
    expect(byName?.id).toBe(staff.id);
    expect(byName?.isStaff).toBe(true);
    const byEmail = await findOrCreateSsoUser(db, { sub: "s2", preferred_username: "chris", email: "C@uni.edu" }, null);
    expect(byEmail?.id).toBe(staff.id);
    expect((await getUserByUsername(db, "cmart"))?.oidcSubject).toBe("s1");
    expect(await getUserByUsername(db, "chris")).toBeUndefined();
  });

  it("falls back to the email's local part and refuses a profile with neither", async () => {
    expect((await findOrCreateSsoUser(db, { sub: "x", email: "alice@lab.org" }, null))?.username).toBe("alice");
    expect(await findOrCreateSsoUser(db, { sub: "y" }, null)).toBeUndefined();
  });
});
