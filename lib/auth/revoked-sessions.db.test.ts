// Issue 12: a plain "Sign out" ends that session and every copy of its cookie, and only that
// session: the user's other browsers stay signed in ("Sign out everywhere" ends them all).
import { beforeEach, describe, expect, it } from "vitest";
import { revokedSessions } from "@/lib/db/schema";
import { signOutEverywhere } from "@/lib/users/self";
import { makeUser, testDb, truncateAll } from "@/test/db";
import { liveSessionUser, replacedSessionCookie, retireReplacedSession, revokeSession, SESSION_MAX_AGE_S } from "./revoked-sessions";

describe("signed-out sessions", async () => {
  const db = await testDb();
  beforeEach(() => truncateAll(db));

  it("a signed-out session's copied cookie is no session; the user's other sessions live on", async () => {
    const user = await makeUser(db, { username: "cmart", isStaff: true });
    const laptop = { uid: user.id, sv: user.sessionVersion, at: Date.now(), sid: "sid-laptop" };
    const copied = { ...laptop }; // the same cookie, taken by someone else
    const phone = { ...laptop, sid: "sid-phone" };
    expect(await liveSessionUser(db, copied)).toMatchObject({ id: user.id });

    await revokeSession(db, laptop.sid, user.id);
    expect(await liveSessionUser(db, laptop)).toBeNull();
    expect(await liveSessionUser(db, copied)).toBeNull();
    expect(await liveSessionUser(db, phone)).toMatchObject({ id: user.id, username: "cmart" });
    // Signing out twice is fine.
    await revokeSession(db, laptop.sid, user.id);

    // "Sign out everywhere" still ends the rest.
    await signOutEverywhere(db, { id: user.id, username: user.username });
    expect(await liveSessionUser(db, phone)).toBeNull();
  });

  it("keeps a revocation as long as a token can live, then prunes it", async () => {
    const user = await makeUser(db);
    const t0 = new Date("2030-05-01T08:00:00Z");
    await revokeSession(db, "old", user.id, t0);
    const [row] = await db.select().from(revokedSessions);
    expect(row.expiresAt.getTime() - t0.getTime()).toBe(SESSION_MAX_AGE_S * 1000);
    await revokeSession(db, "new", user.id, new Date(t0.getTime() + SESSION_MAX_AGE_S * 1000 + 1));
    expect((await db.select().from(revokedSessions)).map((r) => r.sid)).toEqual(["new"]);
  });

  it("a token without a session id (issued before) still counts until its version changes", async () => {
    const user = await makeUser(db);
    expect(await liveSessionUser(db, { uid: user.id, sv: user.sessionVersion, at: Date.now() })).toMatchObject({ id: user.id });
    expect(await liveSessionUser(db, {})).toBeNull();
  });

  it("a fresh SSO sign-in retires the session it replaces, and only a signed cookie of that same user does", async () => {
    const ada = await makeUser(db, { username: "ada" });
    const eve = await makeUser(db, { username: "eve" });
    const claims = (u: typeof ada, sid: string) => ({ uid: u.id, sv: u.sessionVersion, at: Date.now(), sid });
    const secret = "test-secret";
    // Someone else's cookie, a forged signature, another secret's signature: nothing is revoked.
    expect(await retireReplacedSession(db, replacedSessionCookie(ada.id, "ada-old", secret), eve.id, secret)).toBeNull();
    const forged = replacedSessionCookie(eve.id, "ada-old", secret).replace(/\.[^.]+$/, ".AAAA");
    expect(await retireReplacedSession(db, forged, eve.id, secret)).toBeNull();
    expect(await retireReplacedSession(db, replacedSessionCookie(eve.id, "ada-old", "other-secret"), eve.id, secret)).toBeNull();
    expect(await retireReplacedSession(db, undefined, ada.id, secret)).toBeNull();
    expect(await liveSessionUser(db, claims(ada, "ada-old"))).toMatchObject({ id: ada.id });
    // Ada's own, signed: her old session (and every copy of its cookie) ends; her new one lives.
    expect(await retireReplacedSession(db, replacedSessionCookie(ada.id, "ada-old", secret), ada.id, secret)).toBe("ada-old");
    expect(await liveSessionUser(db, claims(ada, "ada-old"))).toBeNull();
    expect(await liveSessionUser(db, claims(ada, "ada-new"))).toMatchObject({ id: ada.id });
  });
});
