import { revalidatePath } from "next/cache";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { runAction } from "@/lib/actions/safe-action";
import { insertProvider } from "@/lib/allocation/fixtures";
import { getUserByUsername } from "@/lib/db/queries/users";
import { identities, jobs } from "@/lib/db/schema";
import { auditRows, depsAs } from "@/test/actions";
import { makeUser, testDb, truncateAll } from "@/test/db";
import { exportOpenrc, provisionAccounts, removeAccounts } from "./actions";
import { PROVISION_JOB, REMOVE_JOB } from "./jobs";

vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

describe("account actions", async () => {
  const db = await testDb();
  beforeEach(async () => {
    await truncateAll(db);
    vi.mocked(revalidatePath).mockClear();
  });

  async function account(providerId: number, username: string, projectId: string | null = "proj-1") {
    const user = await makeUser(db, { username });
    const [row] = await db.insert(identities).values({ userId: user.id, providerId, projectName: username, projectId, state: "active" }).returning();
    return row;
  }

  it("refuses a user without staff access: no job, no new portal user", async () => {
    const providerId = await insertProvider(db, "acc-lab");
    const deps = await depsAs(db, { isStaff: false });
    expect(await runAction(deps, provisionAccounts, { providerId, usernamesText: "newcomer" })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    expect(await runAction(deps, removeAccounts, { providerId, identityIds: [1] })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await getUserByUsername(db, "newcomer")).toBeFalsy();
    expect(await db.select().from(jobs)).toHaveLength(0);
    expect(await auditRows(db)).toHaveLength(0);
  });

  it("names the usernames that are not valid, and asks for a selection", async () => {
    const providerId = await insertProvider(db, "acc-lab");
    const deps = await depsAs(db, { isStaff: true });
    const bad = await runAction(deps, provisionAccounts, { providerId, usernamesText: "good-one, bad/name" });
    expect(bad).toMatchObject({ ok: false, error: { code: "invalid_input" } });
    expect(!bad.ok && bad.error.message).toContain("bad/name");
    expect(!bad.ok && bad.error.fieldErrors?.usernamesText?.[0]).toContain("bad/name");
    expect(await runAction(deps, removeAccounts, { providerId, identityIds: [] })).toMatchObject({
      ok: false,
      error: { code: "invalid_input", message: "Choose at least one account that has not been removed." },
    });
    expect(await runAction(deps, provisionAccounts, { providerId: "x", usernames: ["a"] })).toMatchObject({
      ok: false,
      error: { fieldErrors: { providerId: ["This provider link is broken."] } },
    });
  });

  it("queues provisioning (making the unknown user), then removal, each audited with the usernames", async () => {
    const providerId = await insertProvider(db, "acc-lab");
    const deps = await depsAs(db, { isStaff: true });
    await makeUser(db, { username: "known" });
    const p = await runAction(deps, provisionAccounts, { providerId, usernamesText: "known\nnewcomer" });
    expect(p).toMatchObject({ ok: true, data: { count: 2, createdUsers: ["newcomer"], alreadyQueued: false } });
    expect(await getUserByUsername(db, "newcomer")).toMatchObject({ isStaff: false });
    const again = await runAction(deps, provisionAccounts, { providerId, usernames: ["newcomer", "known"] });
    expect(again.ok && again.data.alreadyQueued).toBe(true);

    const a = await account(providerId, "leaving");
    const r = await runAction(deps, removeAccounts, { providerId, identityIds: [a.id] });
    expect(r).toMatchObject({ ok: true, data: { count: 1, alreadyQueued: false } });
    expect((await db.select().from(jobs)).map((j) => j.kind).sort()).toEqual([PROVISION_JOB, REMOVE_JOB].sort());

    const rows = await auditRows(db);
    expect(rows.map((x) => x.action)).toEqual(["accounts.provision", "accounts.provision", "accounts.remove"]);
    expect(rows[0]).toMatchObject({
      actorUsername: deps.user!.username,
      targetType: "provider",
      targetId: String(providerId),
      details: { usernames: ["known", "newcomer"], count: 2, createdUsers: ["newcomer"], alreadyQueued: false },
    });
    expect(rows[2].details).toMatchObject({ usernames: ["leaving"], count: 1 });
    expect(revalidatePath).toHaveBeenCalledWith(`/providers/${providerId}/accounts`);
  });

  it("exports an openrc without a password, audited; refuses an account with no project yet", async () => {
    const providerId = await insertProvider(db, "acc-lab");
    const deps = await depsAs(db, { isStaff: true });
    const ready = await account(providerId, "ready", "proj-ready");
    const r = await runAction(deps, exportOpenrc, { providerId, identityId: ready.id });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.data.body).toContain("OS_USERNAME");
    expect(r.data.body).toContain("proj-ready");
    expect(r.data.body).not.toMatch(/OS_PASSWORD=["']?[^"'$\s]/);
    expect(await auditRows(db)).toMatchObject([{ action: "accounts.export_openrc", targetType: "identity", targetId: String(ready.id) }]);

    const pending = await account(providerId, "pending", null);
    expect(await runAction(deps, exportOpenrc, { providerId, identityId: pending.id })).toMatchObject({
      ok: false,
      error: { code: "conflict", message: "The account of pending has no project yet: provision it first." },
    });
  });
});
