import crypto from "node:crypto";
import { execFileSync } from "node:child_process";
import { and, eq, inArray } from "drizzle-orm";
import { Attribute, Change, Client } from "ldapts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openMemoryDb } from "@/lib/accounts/testing/memory-db";
import { PROVISION_JOB, REMOVE_JOB } from "@/lib/accounts/jobs";
import type { SessionUser } from "@/lib/auth/dal";
import { runAction } from "@/lib/actions/safe-action";
import type { Db } from "@/lib/db/client";
import { listAuditEntries } from "@/lib/db/queries/audit";
import { createUser } from "@/lib/db/queries/users";
import { identities, jobs, ldapDirectories, ldapGroupSources, providers, users, type Job } from "@/lib/db/schema";
import { previewLdapGroupDef, previewLdapLeaversDef, provisionLdapGroupDef, removeLdapLeaversDef, saveLdapDirectoryDef, testLdapDirectoryDef } from "./actions";
import { LDAP_SYNC_JOB, ldapSyncJobHandler, runLdapSchedulerTick } from "./sync";

// Against Debian's slapd started by `bash scripts/ldap.sh start` (fixture scripts/ldap/fixture.ldif),
// with an in-memory PostgreSQL (PGlite). The key seals the bind password for this run only.
process.env.CLOUDPORT_SECRET_KEY = crypto.randomBytes(32).toString("base64");

const ldapEnv = Object.fromEntries(
  execFileSync("bash", ["scripts/ldap.sh", "env"], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
);
const form = {
  name: "Fixture",
  url: ldapEnv.LDAP_TEST_URL,
  bindDn: ldapEnv.LDAP_TEST_BIND_DN,
  bindPassword: ldapEnv.LDAP_TEST_BIND_PASSWORD,
  baseDn: ldapEnv.LDAP_TEST_BASE_DN,
  groupFilter: "(objectClass=groupOfNames)",
  usernameAttribute: "uid",
};

let db: Db;
let close: () => Promise<void>;
let deps: Parameters<typeof runAction>[0];
let providerId: number;
let directoryId: number;

beforeAll(async () => {
  ({ db, close } = await openMemoryDb());
  // A superuser (directories are theirs) signed in just now (saving one needs a fresh sign-in).
  const op = { ...(await createUser(db, { username: "operator", isStaff: true, isSuperuser: true })), authTime: Date.now(), hasPassword: true };
  deps = { getUser: async () => op as SessionUser, getDb: async () => db, getIp: async () => "10.0.0.8" };
  const [p] = await db.insert(providers).values({ name: "cloud-ldap", authUrl: "https://ldap-cloud.example.org:5000/v3" }).returning({ id: providers.id });
  providerId = p.id;
  const saved = await runAction(deps, saveLdapDirectoryDef, form);
  if (!saved.ok) throw new Error(saved.error.message);
  directoryId = saved.data.id;
});

afterAll(async () => {
  await close?.();
});

describe("LDAP directory against slapd", () => {
  it("Test connection binds and counts the fixture's groups and members, with the stored password", async () => {
    const r = await runAction(deps, testLdapDirectoryDef, { ...form, id: directoryId, bindPassword: "" });
    expect(r).toMatchObject({ ok: true, data: { groups: 3, members: 5 } });
    if (r.ok) expect(r.data.message).toMatch(/^Connected: 3 groups with 5 members/);
    const [row] = await db.select().from(ldapDirectories);
    expect(row.bindPasswordSecret).not.toContain(form.bindPassword);
  });

  it("Test connection fails with a clear message, never the password or a stack", async () => {
    const wrong = await runAction(deps, testLdapDirectoryDef, { ...form, bindPassword: "not-the-password-123" });
    expect(wrong).toMatchObject({ ok: false, error: { code: "upstream", message: expect.stringMatching(/^Could not connect and bind to 127\.0\.0\.1:3389/) } });
    if (!wrong.ok) {
      expect(wrong.error.message).not.toContain("not-the-password-123");
      expect(wrong.error.message).not.toMatch(/\n\s+at /);
    }
    const down = await runAction(deps, testLdapDirectoryDef, { ...form, url: "ldap://127.0.0.1:1" });
    expect(down).toMatchObject({ ok: false, error: { message: expect.stringContaining("Could not connect and bind to 127.0.0.1:1") } });
    const base = await runAction(deps, testLdapDirectoryDef, { ...form, baseDn: "ou=groups,dc=cloudport,dc=test", groupFilter: "(objectClass=posixGroup)" });
    expect(base).toMatchObject({ ok: true, data: { groups: 0, message: expect.stringContaining("check the base DN and the group filter") } });
    const nowhere = await runAction(deps, testLdapDirectoryDef, { ...form, baseDn: "dc=nowhere,dc=test" });
    expect(nowhere).toMatchObject({ ok: false, error: { message: expect.stringContaining("Bound, but searching dc=nowhere,dc=test failed") } });
    const audit = await listAuditEntries(db, { action: "ldap.directory_tested" });
    expect(audit.rows.length).toBeGreaterThanOrEqual(4);
    for (const a of audit.rows) expect(JSON.stringify(a.details)).not.toContain("not-the-password-123");
  });
});

describe("Provision members of an LDAP group", () => {
  it("previews the group: portal user / account here per member, and the rejected member with its reason", async () => {
    const alice = await createUser(db, { username: "alice" });
    await db.insert(identities).values({ userId: alice.id, providerId, projectName: "alice", projectId: "p-alice", state: "active" });
    const r = await runAction(deps, previewLdapGroupDef, { providerId, directoryId, groupName: "atmo-user" });
    expect(r).toMatchObject({
      ok: true,
      data: {
        directory: { id: directoryId, name: "Fixture" },
        members: [
          { username: "alice", portalUser: true, account: "active" },
          { username: "bob", portalUser: false, account: null },
        ],
        rejected: [{ dn: "uid=bad/ name,ou=people,dc=cloudport,dc=test", username: "bad/ name", reason: expect.stringContaining("only letters") }],
      },
    });
    const missing = await runAction(deps, previewLdapGroupDef, { providerId, directoryId, groupName: "no-such-group" });
    expect(missing).toMatchObject({ ok: false, error: { message: 'No group named "no-such-group" under dc=cloudport,dc=test.' } });
    expect(await runAction(deps, previewLdapGroupDef, { providerId, directoryId: "", groupName: "" })).toMatchObject({ ok: false, error: { code: "invalid_input" } });
  });

  it("provisions only members without an account, creates their portal users without a password, and is idempotent", async () => {
    const before = await db.select().from(users);
    const r = await runAction(deps, provisionLdapGroupDef, { providerId, directoryId, groupName: "atmo-user" });
    expect(r).toMatchObject({ ok: true, data: { queued: ["bob"], createdUsers: ["bob"], rejected: 1, message: "Provisioning 1 member of atmo-user (1 new portal user)." } });
    const [bob] = await db.select().from(users).where(eq(users.username, "bob"));
    expect(bob).toMatchObject({ passwordHash: null, isStaff: false, isSuperuser: false });
    const provisionJobs = await db.select().from(jobs).where(eq(jobs.kind, PROVISION_JOB));
    expect(provisionJobs).toHaveLength(1);
    expect(provisionJobs[0].params).toMatchObject({ providerId, usernames: ["bob"] });
    const [source] = await db.select().from(ldapGroupSources);
    expect(source).toMatchObject({ providerId, directoryId, groupName: "atmo-user", syncEnabled: false });
    expect(source.lastResult).toMatchObject({ members: ["alice", "bob"], new: ["bob"], left: [] });
    const audit = await listAuditEntries(db, { action: "ldap.group_provision" });
    expect(audit.rows[0].details).toMatchObject({ group: "atmo-user", queued: ["bob"], createdUsers: ["bob"], jobId: provisionJobs[0].id });

    const again = await runAction(deps, provisionLdapGroupDef, { providerId, directoryId, groupName: "atmo-user" });
    expect(again).toMatchObject({ ok: true, data: { createdUsers: [], jobId: provisionJobs[0].id, message: expect.stringContaining("already being provisioned") } });
    expect(await db.select().from(users)).toHaveLength(before.length + 1);
    expect(await db.select().from(jobs).where(eq(jobs.kind, PROVISION_JOB))).toHaveLength(1);
    expect(await db.select().from(ldapGroupSources)).toHaveLength(1);

    // Once bob's account exists, nothing is queued at all.
    await db.update(jobs).set({ state: "succeeded" }).where(eq(jobs.id, provisionJobs[0].id));
    await db.insert(identities).values({ userId: bob.id, providerId, projectName: "bob", projectId: "p-bob", state: "active" });
    const third = await runAction(deps, provisionLdapGroupDef, { providerId, directoryId, groupName: "atmo-user" });
    expect(third).toMatchObject({ ok: true, data: { queued: [], jobId: null, message: "Nothing to do: all 2 members of atmo-user have an account here." } });
    expect(await db.select().from(jobs).where(eq(jobs.kind, PROVISION_JOB))).toHaveLength(1);
  });

  it("scheduled sync provisions new members, records who left, and removes nobody", async () => {
    const on = await runAction(deps, provisionLdapGroupDef, { providerId, directoryId, groupName: "atmo-staff", sync: "on", intervalHours: "6" });
    expect(on).toMatchObject({ ok: true, data: { queued: ["carol"], message: expect.stringContaining("every 6 h") } });
    const [source] = await db.select().from(ldapGroupSources).where(and(eq(ldapGroupSources.providerId, providerId), eq(ldapGroupSources.groupName, "atmo-staff")));
    expect(source).toMatchObject({ syncEnabled: true, intervalSeconds: 21_600 });
    // Pretend "dave" was a member last time and carol's job has run.
    const carol = (await db.select().from(users).where(eq(users.username, "carol")))[0];
    const dave = await createUser(db, { username: "dave" });
    await db.insert(identities).values([
      { userId: carol.id, providerId, projectName: "carol", projectId: "p-carol", state: "active" },
      { userId: dave.id, providerId, projectName: "dave", projectId: "p-dave", state: "active" },
    ]);
    await db.update(ldapGroupSources).set({ lastResult: { ...source.lastResult!, members: ["carol", "dave"] }, nextRunAt: new Date(Date.now() - 1000) }).where(eq(ldapGroupSources.id, source.id));
    const identitiesBefore = await db.select().from(identities);

    expect(await runLdapSchedulerTick(db)).toBe(1);
    const [syncJob] = await db.select().from(jobs).where(eq(jobs.kind, LDAP_SYNC_JOB));
    expect(syncJob.params).toEqual({ sourceId: source.id });
    const out = await ldapSyncJobHandler({ job: syncJob as Job, db, progress: async () => {}, signal: new AbortController().signal });
    expect(out).toMatchObject({ members: 1, queued: 0, left: 1, provisionJobId: null });
    const [after] = await db.select().from(ldapGroupSources).where(eq(ldapGroupSources.id, source.id));
    expect(after.lastResult).toMatchObject({ members: ["carol"], new: [], left: ["dave"] });
    expect(after.nextRunAt.getTime()).toBeGreaterThan(Date.now() + 5 * 3600_000);
    // Nobody removed: dave's account is as it was.
    expect(await db.select().from(identities)).toEqual(identitiesBefore);
    expect((await listAuditEntries(db, { action: "ldap.sync" })).rows[0].details).toMatchObject({ left: ["dave"], queued: [] });

    // The next run still lists dave (he has not rejoined), and still removes nobody.
    const again = await ldapSyncJobHandler({ job: syncJob as Job, db, progress: async () => {}, signal: new AbortController().signal });
    expect(again).toMatchObject({ left: 1, queued: 0 });
    expect((await db.select().from(ldapGroupSources).where(eq(ldapGroupSources.id, source.id)))[0].lastResult).toMatchObject({ left: ["dave"] });
    expect(await db.select().from(identities)).toEqual(identitiesBefore);
  });
});

// Entries of this run only (a groupOfUniqueNames, so the fixture's group counts above stay as
// they are for anyone else using the shared slapd), deleted afterwards.
describe("Scheduled sync against a group that changes", () => {
  const tag = crypto.randomBytes(3).toString("hex");
  const [fresh, removed, off, op, later] = ["fresh", "removed", "off", "op", "later"].map((n) => `i17${n}${tag}`);
  const person = (uid: string) => `uid=${uid},ou=people,${form.baseDn}`;
  const group = `i17-sync-${tag}`;
  const groupDn = `cn=${group},ou=groups,${form.baseDn}`;
  let admin: Client;
  let uniqueDirectoryId: number;

  beforeAll(async () => {
    admin = new Client({ url: form.url });
    await admin.bind(form.bindDn, form.bindPassword);
    for (const uid of [fresh, removed, off, op, later]) await admin.add(person(uid), { objectClass: "inetOrgPerson", uid, cn: uid, sn: uid });
    await admin.add(groupDn, { objectClass: "groupOfUniqueNames", cn: group, uniqueMember: [fresh, removed, off, op].map(person) });
    const saved = await runAction(deps, saveLdapDirectoryDef, { ...form, name: `Unique ${tag}`, groupFilter: "(objectClass=groupOfUniqueNames)" });
    if (!saved.ok) throw new Error(saved.error.message);
    uniqueDirectoryId = saved.data.id;
  });

  afterAll(async () => {
    await admin.del(groupDn).catch(() => {});
    for (const uid of [fresh, removed, off, op, later]) await admin.del(person(uid)).catch(() => {});
    await admin.unbind().catch(() => {});
  });

  const userOf = async (username: string) => (await db.select().from(users).where(eq(users.username, username)))[0];
  const provisionJobsFor = async (name: string) => (await db.select().from(jobs).where(eq(jobs.kind, PROVISION_JOB))).filter((j) => (j.params as { usernames: string[] }).usernames.includes(name));
  const finishJobs = () => db.update(jobs).set({ state: "succeeded" }).where(inArray(jobs.kind, [PROVISION_JOB, LDAP_SYNC_JOB]));

  it("queues who joined, never brings back an account staff removed, skips deactivated and privileged users; a staff click can", async () => {
    await createUser(db, { username: off, isActive: false });
    await createUser(db, { username: op.toUpperCase(), isStaff: true });
    const input = { providerId, directoryId: uniqueDirectoryId, groupName: group };

    // The preview shows who the names match and in which state.
    const preview = await runAction(deps, previewLdapGroupDef, input);
    expect(preview.ok).toBe(true);
    if (!preview.ok) return;
    expect(preview.data.members.find((m) => m.username === off)).toMatchObject({ portalUser: true, deactivated: true, privileged: [] });
    expect(preview.data.members.find((m) => m.username === op)).toMatchObject({ portalUser: true, portalUsername: op.toUpperCase(), privileged: ["staff"], account: null });

    // A staff click without confirmations: the deactivated and the staff user are held back, with why.
    const first = await runAction(deps, provisionLdapGroupDef, { ...input, sync: "on", intervalHours: "1" });
    expect(first).toMatchObject({ ok: true, data: { queued: [fresh, removed] } });
    if (!first.ok) return;
    expect(first.data.skipped).toEqual([
      { username: off, kind: "deactivated", reason: `The portal user ${off} is deactivated: activate them under Users to provision them.` },
      { username: op, kind: "confirm", reason: `Matches the portal user ${op.toUpperCase()}, who is staff: confirm them by name in the preview to provision them.` },
    ]);
    expect(first.data.message).toBe(`Provisioning 2 members of ${group} (2 new portal users). Not provisioned: ${off} (deactivated), ${op} (needs your confirmation). New members will be provisioned every 1 h.`);
    expect(await userOf(op)).toBeUndefined();
    expect((await db.select().from(users).where(eq(users.username, op.toUpperCase())))[0]).toMatchObject({ isStaff: true });

    // The accounts job ran; then staff removed the account of `removed` (it is still in the group).
    await finishJobs();
    await db.insert(identities).values([
      { userId: (await userOf(fresh)).id, providerId, projectName: fresh, projectId: `p-${fresh}`, state: "active" },
      { userId: (await userOf(removed)).id, providerId, projectName: removed, projectId: `p-${removed}`, state: "removed", endDate: new Date("2026-11-02T10:00:00Z") },
    ]);

    // Someone joins the group between runs.
    await admin.modify(groupDn, new Change({ operation: "add", modification: new Attribute({ type: "uniqueMember", values: [person(later)] }) }));
    const [source] = await db.select().from(ldapGroupSources).where(eq(ldapGroupSources.groupName, group));
    await db.update(ldapGroupSources).set({ nextRunAt: new Date(Date.now() - 1000) }).where(eq(ldapGroupSources.id, source.id));
    expect(await runLdapSchedulerTick(db)).toBe(1);
    const syncJob = (await db.select().from(jobs).where(eq(jobs.kind, LDAP_SYNC_JOB))).find((j) => (j.params as { sourceId: number }).sourceId === source.id)!;
    const out = await ldapSyncJobHandler({ job: syncJob as Job, db, progress: async () => {}, signal: new AbortController().signal });
    expect(out).toMatchObject({ members: 5, queued: 1, skipped: 3, left: 0 });
    const laterJobs = await provisionJobsFor(later);
    expect(laterJobs).toHaveLength(1);
    expect(laterJobs[0].params).toMatchObject({ providerId, usernames: [later] });
    expect((out as { provisionJobId: string }).provisionJobId).toBe(laterJobs[0].id);
    expect(await userOf(later)).toMatchObject({ isStaff: false, passwordHash: null });
    // The removed account stays removed and nobody privileged or deactivated is queued.
    expect(await provisionJobsFor(removed)).toHaveLength(1);
    expect(await provisionJobsFor(off)).toHaveLength(0);
    expect(await provisionJobsFor(op)).toHaveLength(0);
    expect(await provisionJobsFor(op.toUpperCase())).toHaveLength(0);
    const [after] = await db.select().from(ldapGroupSources).where(eq(ldapGroupSources.id, source.id));
    expect(after.lastResult).toMatchObject({ new: [later] });
    expect(after.lastResult?.skipped?.map((m) => [m.username, m.kind])).toEqual([
      [off, "deactivated"],
      [op, "confirm"],
      [removed, "removed"],
    ]);
    expect(after.lastResult?.skipped?.find((m) => m.kind === "removed")?.reason).toBe("Removed by staff on 2026-11-02: the schedule does not provision them again; Provision on this card does.");
    const audit = (await listAuditEntries(db, { action: "ldap.sync" })).rows.find((a) => (a.details as { group?: string }).group === group);
    expect(audit?.details).toMatchObject({ queued: [later], skipped: expect.arrayContaining([expect.objectContaining({ username: removed, kind: "removed" })]) });

    // Staff click, confirming the staff user by name: both held-back members are provisioned.
    await finishJobs();
    await db.insert(identities).values({ userId: (await userOf(later)).id, providerId, projectName: later, projectId: `p-${later}`, state: "active" });
    const previewAgain = await runAction(deps, previewLdapGroupDef, input);
    expect(previewAgain.ok && previewAgain.data.members.find((m) => m.username === removed)).toMatchObject({ account: null, removedAt: "2026-11-02T10:00:00.000Z" });
    const second = await runAction(deps, provisionLdapGroupDef, { ...input, sync: "on", intervalHours: "1", confirm: `${op}, someone-else` });
    expect(second).toMatchObject({ ok: true, data: { queued: [op, removed], skipped: [{ username: off, kind: "deactivated" }] } });
    if (!second.ok) return;
    expect(second.data.createdUsers).toEqual([]);
    const [job] = await db.select().from(jobs).where(eq(jobs.id, second.data.jobId!));
    // The staff user's own row, matched case-insensitively, not a new one.
    expect(job.params).toMatchObject({ usernames: [op.toUpperCase(), removed] });
    const provisionAudit = (await listAuditEntries(db, { action: "ldap.group_provision" })).rows[0];
    expect(provisionAudit.details).toMatchObject({ group, confirmed: [{ username: op, portalUser: op.toUpperCase(), privileged: ["staff"] }] });
  });

  it("Remove those who left: lists the leavers' accounts (read against the group now) and removes only the confirmed ones through the removal job", async () => {
    const [source] = await db.select().from(ldapGroupSources).where(eq(ldapGroupSources.groupName, group));
    const members = (uids: string[]) => new Attribute({ type: "uniqueMember", values: uids.map(person) });
    // fresh and later leave; the next scheduled run lists them.
    await admin.modify(groupDn, new Change({ operation: "delete", modification: members([fresh, later]) }));
    await finishJobs();
    const syncJob = (await db.select().from(jobs).where(eq(jobs.kind, LDAP_SYNC_JOB))).find((j) => (j.params as { sourceId: number }).sourceId === source.id)!;
    expect(await ldapSyncJobHandler({ job: syncJob as Job, db, progress: async () => {}, signal: new AbortController().signal })).toMatchObject({ left: 2 });
    expect((await db.select().from(ldapGroupSources).where(eq(ldapGroupSources.id, source.id)))[0].lastResult?.left).toEqual([fresh, later]);
    // later comes back before anyone clicks: not a leaver any more.
    await admin.modify(groupDn, new Change({ operation: "add", modification: members([later]) }));

    const listed = await runAction(deps, previewLdapLeaversDef, { providerId, sourceId: source.id });
    const freshAccount = (await db.select().from(identities).where(and(eq(identities.userId, (await userOf(fresh)).id), eq(identities.providerId, providerId))))[0];
    expect(listed).toEqual({ ok: true, data: { group, leavers: [{ identityId: freshAccount.id, username: fresh, state: "active" }] } });
    // Listing changes nothing.
    expect(await db.select().from(jobs).where(eq(jobs.kind, REMOVE_JOB))).toHaveLength(0);

    expect(await runAction(deps, removeLdapLeaversDef, { providerId, sourceId: source.id, confirm: "" })).toMatchObject({ ok: false, error: { code: "invalid_input", message: expect.stringContaining("Confirm the accounts to remove") } });
    expect(await runAction(deps, removeLdapLeaversDef, { providerId: providerId + 1000, sourceId: source.id, confirm: fresh })).toMatchObject({ ok: false, error: { code: "not_found" } });
    const removed = await runAction(deps, removeLdapLeaversDef, { providerId, sourceId: source.id, confirm: [fresh, later] });
    expect(removed).toMatchObject({ ok: true, data: { removed: [fresh], notRemoved: [later] } });
    if (!removed.ok) return;
    expect(removed.data.message).toBe(`Removing 1 account of members who left ${group}: ${fresh}. Not removed (back in the group, or no account here now): ${later}.`);
    const removeJobs = await db.select().from(jobs).where(eq(jobs.kind, REMOVE_JOB));
    expect(removeJobs).toHaveLength(1);
    expect(removeJobs[0]).toMatchObject({ id: removed.data.jobId, params: { providerId, identityIds: [freshAccount.id] } });
    const audit = (await listAuditEntries(db, { action: "ldap.remove_left" })).rows;
    expect(audit).toHaveLength(1);
    expect(audit[0].details).toMatchObject({ group, removed: [fresh], notRemoved: [later], jobId: removed.data.jobId });
    // later's account is untouched.
    expect((await db.select().from(identities).where(eq(identities.userId, (await userOf(later)).id)))[0]).toMatchObject({ state: "active", endDate: null });
  });
});

