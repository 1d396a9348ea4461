import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import type { SessionUser } from "@/lib/auth/dal";
import { runAction } from "@/lib/actions/safe-action";
import type { Db } from "@/lib/db/client";
import { listAuditEntries } from "@/lib/db/queries/audit";
import { ldapDirectories, ldapGroupSources, providers } from "@/lib/db/schema";
import { decryptSecret } from "@/lib/secrets";
import { makeUser, testDb, truncateAll } from "@/test/db";
import { deleteLdapDirectoryDef, saveLdapDirectoryDef, setLdapGroupSyncDef, testLdapDirectoryDef } from "./actions";
import { directoryForConnect, listDirectories, upsertSource } from "./store";
import { runLdapSchedulerTick, LDAP_SYNC_JOB } from "./sync";
import { jobs } from "@/lib/db/schema";

let db: Db;

/** Deps as a new user: a superuser by default (directories are theirs), signed in `signedInAgoMs` ago. */
async function as(role: "superuser" | "staff" | "none" = "superuser", signedInAgoMs = 0) {
  const user = await makeUser(db, { username: `op${Math.random().toString(36).slice(2, 6)}`, isStaff: role !== "none", isSuperuser: role === "superuser" });
  const session = { ...user, authTime: Date.now() - signedInAgoMs, hasPassword: true } as SessionUser;
  return { getUser: async () => session, getDb: async () => db, getIp: async () => "10.0.0.7" };
}

const form = {
  name: "Campus",
  url: "ldaps://ldap.example.org:636",
  bindDn: "cn=reader,dc=example,dc=org",
  bindPassword: "s3cret-bind-pass",
  baseDn: "dc=example,dc=org",
  groupFilter: "(objectClass=groupOfNames)",
  usernameAttribute: "uid",
  caBundle: "",
};

beforeEach(async () => {
  db = await testDb();
  await truncateAll(db);
});

describe("LDAP directory settings", () => {
  it("stores the bind password sealed, audits without it, and a blank password keeps the stored one", async () => {
    const staff = await as();
    const r = await runAction(staff, saveLdapDirectoryDef, form);
    expect(r).toMatchObject({ ok: true, data: { message: 'Directory "Campus" saved.' } });
    const [row] = await db.select().from(ldapDirectories);
    expect(row.bindPasswordSecret).not.toBe(form.bindPassword);
    expect(row.bindPasswordSecret).not.toContain(form.bindPassword);
    expect(decryptSecret(row.bindPasswordSecret)).toBe(form.bindPassword);
    expect(row.caBundle).toBeNull();

    const sealed = row.bindPasswordSecret;
    const update = await runAction(staff, saveLdapDirectoryDef, { ...form, id: String(row.id), bindPassword: "", baseDn: "ou=people,dc=example,dc=org" });
    expect(update).toMatchObject({ ok: true, data: { message: expect.stringContaining("stored password was kept") } });
    const [after] = await db.select().from(ldapDirectories);
    expect(after.bindPasswordSecret).toBe(sealed);
    expect(after.baseDn).toBe("ou=people,dc=example,dc=org");
    expect((await directoryForConnect(db, row.id))?.bindPassword).toBe(form.bindPassword);

    await runAction(staff, saveLdapDirectoryDef, { ...form, id: row.id, bindPassword: "new-pass" });
    expect(decryptSecret((await db.select().from(ldapDirectories))[0].bindPasswordSecret)).toBe("new-pass");

    const audit = await listAuditEntries(db, {});
    const actions = audit.rows.map((a) => a.action).sort();
    expect(actions).toEqual(["ldap.directory_created", "ldap.directory_updated", "ldap.directory_updated"]);
    for (const a of audit.rows) {
      expect(JSON.stringify(a.details)).not.toContain(form.bindPassword);
      expect(JSON.stringify(a.details)).not.toContain("new-pass");
    }
    expect(audit.rows.find((a) => a.action === "ldap.directory_created")?.details).toMatchObject({ passwordChanged: true, url: form.url });

    // What pages get: no password, only that one is stored.
    const listed = await listDirectories(db);
    expect(listed).toHaveLength(1);
    expect(listed[0].hasPassword).toBe(true);
    expect(JSON.stringify(listed)).not.toContain(sealed);
    expect(Object.keys(listed[0])).not.toContain("bindPasswordSecret");
  });

  it("says what to fix: bad URL, filter, attribute, missing password, taken name; non-staff refused", async () => {
    const staff = await as();
    const bad = await runAction(staff, saveLdapDirectoryDef, { ...form, url: "http://x", groupFilter: "objectClass=group", usernameAttribute: "u id", caBundle: "not a cert" });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.fieldErrors?.url?.[0]).toMatch(/ldap:\/\/host:port/);
      expect(bad.error.fieldErrors?.groupFilter?.[0]).toMatch(/in parentheses/);
      expect(bad.error.fieldErrors?.usernameAttribute?.[0]).toMatch(/attribute name/);
      expect(bad.error.fieldErrors?.caBundle?.[0]).toMatch(/PEM/);
    }
    expect(await runAction(staff, saveLdapDirectoryDef, { ...form, bindPassword: "" })).toMatchObject({ ok: false, error: { fieldErrors: { bindPassword: ["Enter the bind password."] } } });
    expect(await runAction(staff, saveLdapDirectoryDef, form)).toMatchObject({ ok: true });
    expect(await runAction(staff, saveLdapDirectoryDef, { ...form, name: "campus" })).toMatchObject({ ok: false, error: { code: "conflict", fieldErrors: { name: ["This name is taken."] } } });
    expect(await runAction(await as("none"), saveLdapDirectoryDef, { ...form, name: "Other" })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await db.select().from(ldapDirectories)).toHaveLength(1);
  });

  it("saving and deleting a directory is for a superuser with a fresh sign-in; staff only test it as saved", async () => {
    const root = await as();
    // Nothing listens on 127.0.0.1:1: a test of it fails at once.
    const local = { ...form, url: "ldaps://127.0.0.1:1" };
    const saved = await runAction(root, saveLdapDirectoryDef, local);
    if (!saved.ok) throw new Error(saved.error.message);
    const dirId = saved.data.id;
    const staff = await as("staff");
    const superuserOnly = { ok: false, error: { code: "forbidden", message: expect.stringContaining("Only a superuser can add, change or delete an LDAP directory") } };
    expect(await runAction(staff, saveLdapDirectoryDef, { ...form, name: "Staff's" })).toMatchObject(superuserOnly);
    expect(await runAction(staff, saveLdapDirectoryDef, { ...local, id: dirId, bindPassword: "", baseDn: "dc=other" })).toMatchObject(superuserOnly);
    expect(await runAction(staff, deleteLdapDirectoryDef, { id: dirId })).toMatchObject(superuserOnly);

    // A superuser whose sign-in is older than 10 minutes confirms it first; nothing changes meanwhile.
    const stale = await as("superuser", 11 * 60_000);
    expect(await runAction(stale, saveLdapDirectoryDef, { ...local, id: dirId, bindPassword: "new-pass" })).toMatchObject({ ok: false, error: { code: "reauth_required", fieldErrors: { _reauth: ["password"] } } });
    expect(await runAction(stale, deleteLdapDirectoryDef, { id: dirId })).toMatchObject({ ok: false, error: { code: "reauth_required" } });
    const [row] = await db.select().from(ldapDirectories);
    expect(decryptSecret(row.bindPasswordSecret)).toBe(form.bindPassword);
    expect((await listAuditEntries(db, {})).rows.map((a) => a.action)).toEqual(["ldap.directory_created"]);

    // Staff may test only the saved settings with the stored password: no other URL, DN or password.
    const staffOnly = { ok: false, error: { code: "forbidden", message: expect.stringContaining("Staff can test a saved directory as it is saved") } };
    expect(await runAction(staff, testLdapDirectoryDef, { ...local, bindPassword: "theirs" })).toMatchObject(staffOnly);
    expect(await runAction(staff, testLdapDirectoryDef, { ...local, id: dirId, bindPassword: "theirs" })).toMatchObject(staffOnly);
    expect(await runAction(staff, testLdapDirectoryDef, { ...local, id: dirId, bindPassword: "", url: "ldap://10.1.2.3:389" })).toMatchObject(staffOnly);
    expect(await runAction(staff, testLdapDirectoryDef, { ...local, id: dirId, bindPassword: "", bindDn: "cn=admin,dc=example,dc=org" })).toMatchObject(staffOnly);
    // As saved (the URL in another spelling), the test binds to the stored URL and says why it failed.
    const asSaved = await runAction(staff, testLdapDirectoryDef, { ...local, id: dirId, bindPassword: "", url: "LDAPS://127.0.0.1:1/" });
    expect(asSaved).toMatchObject({ ok: false, error: { code: "upstream", message: expect.stringMatching(/^Could not connect and bind to 127\.0\.0\.1:1: /) } });
    expect((await listAuditEntries(db, { action: "ldap.directory_tested" })).rows[0].details).toMatchObject({ url: "ldaps://127.0.0.1:1", ok: false });
  });

  it("deletes a directory with its group sources and audits it", async () => {
    const staff = await as();
    const r = await runAction(staff, saveLdapDirectoryDef, form);
    if (!r.ok) throw new Error(r.error.message);
    const [p] = await db.insert(providers).values({ name: "cloud-l", authUrl: "https://l.example.org:5000/v3" }).returning({ id: providers.id });
    await upsertSource(db, { providerId: p.id, directoryId: r.data.id, groupName: "atmo-user" });
    expect(await runAction(staff, deleteLdapDirectoryDef, { id: r.data.id })).toMatchObject({ ok: true });
    expect(await db.select().from(ldapDirectories)).toHaveLength(0);
    expect(await db.select().from(ldapGroupSources)).toHaveLength(0);
    expect((await listAuditEntries(db, { action: "ldap.directory_deleted" })).rows).toHaveLength(1);
    expect(await runAction(staff, deleteLdapDirectoryDef, { id: r.data.id })).toMatchObject({ ok: false, error: { code: "not_found" } });
  });

  it("schedules a sync only for sources with sync on, once per interval", async () => {
    const staff = await as();
    const r = await runAction(staff, saveLdapDirectoryDef, form);
    if (!r.ok) throw new Error(r.error.message);
    const [p] = await db.insert(providers).values({ name: "cloud-s", authUrl: "https://s.example.org:5000/v3" }).returning({ id: providers.id });
    await upsertSource(db, { providerId: p.id, directoryId: r.data.id, groupName: "off" });
    const on = await upsertSource(db, { providerId: p.id, directoryId: r.data.id, groupName: "on" }, { syncEnabled: true, intervalSeconds: 3600 });
    expect(await runLdapSchedulerTick(db)).toBe(1);
    expect(await runLdapSchedulerTick(db)).toBe(0);
    const queued = await db.select().from(jobs).where(eq(jobs.kind, LDAP_SYNC_JOB));
    expect(queued.map((j) => j.params)).toEqual([{ sourceId: on.id }]);
  });

  it("never sends the stored password to another URL or CA: changing them needs the password again", async () => {
    const staff = await as();
    const r = await runAction(staff, saveLdapDirectoryDef, form);
    if (!r.ok) throw new Error(r.error.message);
    const moved = { ...form, id: r.data.id, bindPassword: "", url: "ldaps://evil.example.net:636" };
    const refusedSave = await runAction(staff, saveLdapDirectoryDef, moved);
    expect(refusedSave).toMatchObject({ ok: false, error: { message: expect.stringContaining("directory URL changed: enter the bind password again"), fieldErrors: { bindPassword: ["Enter the bind password again."] } } });
    const refusedTest = await runAction(staff, testLdapDirectoryDef, moved);
    expect(refusedTest).toMatchObject({ ok: false, error: { fieldErrors: { bindPassword: ["Enter the bind password again."] } } });
    const newCa = await runAction(staff, saveLdapDirectoryDef, { ...form, id: r.data.id, bindPassword: "", caBundle: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----" });
    expect(newCa).toMatchObject({ ok: false, error: { message: expect.stringContaining("CA bundle changed") } });
    expect((await db.select().from(ldapDirectories))[0].url).toBe(form.url);
    // With the password typed again, the move is saved.
    expect(await runAction(staff, saveLdapDirectoryDef, { ...moved, bindPassword: "other-pass" })).toMatchObject({ ok: true });
    expect((await db.select().from(ldapDirectories))[0].url).toBe("ldaps://evil.example.net:636");
  });

  it("turns a group's sync on (due now) and off, audited; another provider's source is not found", async () => {
    const staff = await as();
    const r = await runAction(staff, saveLdapDirectoryDef, form);
    if (!r.ok) throw new Error(r.error.message);
    const [p] = await db.insert(providers).values({ name: "cloud-t", authUrl: "https://t.example.org:5000/v3" }).returning({ id: providers.id });
    const src = await upsertSource(db, { providerId: p.id, directoryId: r.data.id, groupName: "g" }, { nextRunAt: new Date(Date.now() + 3600_000) });
    expect(await runAction(staff, setLdapGroupSyncDef, { providerId: p.id, sourceId: src.id, enabled: "on" })).toMatchObject({ ok: true, data: { message: expect.stringContaining("is on") } });
    expect(await runLdapSchedulerTick(db)).toBe(1);
    expect(await runAction(staff, setLdapGroupSyncDef, { providerId: p.id, sourceId: src.id, enabled: "" })).toMatchObject({ ok: true, data: { message: expect.stringContaining("is off") } });
    expect((await db.select().from(ldapGroupSources))[0].syncEnabled).toBe(false);
    expect(await runAction(staff, setLdapGroupSyncDef, { providerId: p.id + 1, sourceId: src.id, enabled: "on" })).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect((await listAuditEntries(db, {})).rows.map((a) => a.action)).toEqual(expect.arrayContaining(["ldap.sync_enabled", "ldap.sync_disabled"]));
  });
});
