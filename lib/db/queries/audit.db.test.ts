import { beforeEach, describe, expect, it } from "vitest";
import { testDb, truncateAll } from "@/test/db";
import { createAuditEntry, listAuditActions, listAuditEntries } from "./audit";

describe("audit log queries", async () => {
  const db = await testDb();
  beforeEach(() => truncateAll(db));

  it("never stores values under secret-looking keys", async () => {
    await createAuditEntry(db, { id: null, username: "alice" }, {
      action: "provider.create",
      details: {
        name: "c1",
        admin: { password: "hunter2", username: "atmoadmin" },
        accountSecret: "s".repeat(32),
        withSecrets: true,
      },
    });
    const { rows } = await listAuditEntries(db);
    expect(rows[0].details).toEqual({
      name: "c1",
      admin: { password: "[redacted]", username: "atmoadmin" },
      accountSecret: "[redacted]",
      // Flags stay readable: a boolean cannot leak a secret.
      withSecrets: true,
    });
    expect(JSON.stringify(rows)).not.toContain("hunter2");
  });

  it("lists newest first, paginates and filters by actor and action prefix", async () => {
    for (let i = 0; i < 7; i++) {
      await createAuditEntry(db, { id: null, username: i % 2 ? "bob" : "alice" }, { action: i < 4 ? "auth.login" : "user.create", targetId: i });
    }
    const page1 = await listAuditEntries(db, { pageSize: 3 });
    expect(page1.total).toBe(7);
    expect(page1.rows.map((r) => r.targetId)).toEqual(["6", "5", "4"]);
    const page3 = await listAuditEntries(db, { pageSize: 3, page: 3 });
    expect(page3.rows.map((r) => r.targetId)).toEqual(["0"]);

    const bob = await listAuditEntries(db, { actor: "bob" });
    expect(bob.rows.map((r) => r.targetId)).toEqual(["5", "3", "1"]);
    const auth = await listAuditEntries(db, { action: "auth." });
    expect(auth.total).toBe(4);
    const bobUsers = await listAuditEntries(db, { actor: "bob", action: "user" });
    expect(bobUsers.rows.map((r) => r.targetId)).toEqual(["5"]);
    // A LIKE wildcard typed by a person is matched literally.
    expect((await listAuditEntries(db, { action: "%" })).total).toBe(0);
    expect(await listAuditActions(db)).toEqual(["auth.login", "user.create"]);
  });
});
