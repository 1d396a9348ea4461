import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { auditLog, users } from "@/lib/db/schema";
import { makeUser, testDb, truncateAll } from "@/test/db";
import { authenticate, MAX_FAILURES_PER_IP, MAX_FAILURES_PER_USER } from "./authenticate";

const PASSWORD = "Correct-Horse-9";

describe("authenticate", async () => {
  const db = await testDb();
  beforeEach(() => truncateAll(db));

  it("signs in with the right password, stamps last_login and audits it", async () => {
    const user = await makeUser(db, { username: "cmart", password: PASSWORD, isStaff: true });
    const now = new Date("2026-11-01T12:00:00Z");
    const result = await authenticate(db, { username: "CMart", password: PASSWORD, ip: "10.0.0.1" }, now);
    expect(result.ok).toBe(true);
    const [row] = await db.select().from(users).where(eq(users.id, user.id));
    expect(row.lastLogin?.toISOString()).toBe(now.toISOString());
    const audit = await db.select().from(auditLog);
    expect(audit.map((a) => [a.action, a.actorUsername, a.ip])).toEqual([["auth.login", "cmart", "10.0.0.1"]]);
  });

  it("refuses a wrong password, an unknown user and an inactive user alike", async () => {
    await makeUser(db, { username: "cmart", password: PASSWORD });
    await makeUser(db, { username: "gone", password: PASSWORD, isActive: false });
    for (const [username, password] of [["cmart", "wrong"], ["nobody", PASSWORD], ["gone", PASSWORD]]) {
      expect(await authenticate(db, { username, password, ip: "10.0.0.1" })).toEqual({ ok: false, reason: "invalid" });
    }
    const audit = await db.select().from(auditLog);
    expect(audit.map((a) => a.action)).toEqual(["auth.login_failed", "auth.login_failed", "auth.login_failed"]);
  });

  it("locks a username after repeated failures, even with the right password, until the window passes", async () => {
    await makeUser(db, { username: "cmart", password: PASSWORD });
    const t0 = new Date("2026-11-01T12:00:00Z");
    for (let i = 0; i < MAX_FAILURES_PER_USER; i++) {
      await authenticate(db, { username: "cmart", password: "nope", ip: `10.0.0.${i}` }, t0);
    }
    expect(await authenticate(db, { username: "cmart", password: PASSWORD, ip: "10.9.9.9" }, t0)).toEqual({
      ok: false,
      reason: "locked",
    });
    // The attempts were stamped with the real clock; 16 minutes past it they no longer count.
    const later = new Date(Date.now() + 16 * 60 * 1000);
    expect((await authenticate(db, { username: "cmart", password: PASSWORD, ip: "10.9.9.9" }, later)).ok).toBe(true);
  });

  it("locks an IP that tries many usernames", async () => {
    await makeUser(db, { username: "cmart", password: PASSWORD });
    for (let i = 0; i < MAX_FAILURES_PER_IP; i++) {
      await authenticate(db, { username: `guess${i}`, password: "nope", ip: "192.0.2.7" });
    }
    expect((await authenticate(db, { username: "cmart", password: PASSWORD, ip: "192.0.2.7" })).ok).toBe(false);
    expect((await authenticate(db, { username: "cmart", password: PASSWORD, ip: "192.0.2.8" })).ok).toBe(true);
  });
});
