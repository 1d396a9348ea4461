// Issue 12 §1: a stored credential is bound to where it was verified. A staff member who points
// a provider at a host they control must not receive the stored admin password.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { runAction } from "@/lib/actions/safe-action";
import { FRESH_AUTH_MS } from "@/lib/auth/fresh";
import { ActionError } from "@/lib/actions/errors";
import { createAuditEntry } from "@/lib/db/queries/audit";
import { getProvider, getProviderSecrets } from "@/lib/db/queries/providers";
import { auditLog, identities, providers, providerSecrets } from "@/lib/db/schema";
import { auditRows, depsAs } from "@/test/actions";
import { decryptSecret, encryptSecret } from "@/lib/secrets";
import { makeUser, testDb, truncateAll } from "@/test/db";
import { rotateAppCredential, switchToAppCredential } from "./actions";
import { updateProviderSettings, type AuditFn, type FreshAuthContext, type ProviderUpdate, type Verify } from "./manage";
import type { PreflightReport } from "./schemas";
import { settingsOf } from "./connection";

const STORED_PASSWORD = "stored-admin-Pa55word-never-leaves";
const ACCOUNT_SECRET = "0123456789abcdef0123456789abcdef";

vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

const passed: PreflightReport = {
  at: "2026-01-02T03:04:05.000Z",
  ok: true,
  checks: [{ id: "token", label: "Token issued", status: "pass", detail: "As admin" }],
  catalog: [],
};
/** A session signed in just now (or `ago` ms ago), as staff or superuser. */
const session = (isSuperuser: boolean, ago = 0): FreshAuthContext => ({
  user: { id: 1, username: isSuperuser ? "root" : "staff-mallory", authTime: Date.now() - ago, hasPassword: true, isSuperuser },
});

type Seen = { method: string; url: string; headers: http.IncomingHttpHeaders; body: string };

/** A throw-away HTTP listener that records every request; optionally answers like Keystone's root. */
async function listener(answer?: (req: Seen) => { status: number; json: unknown }) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const s = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      seen.push(s);
      const a = answer?.(s) ?? { status: 401, json: { error: { code: 401, message: "nope" } } };
      res.writeHead(a.status, { "content-type": "application/json" });
      res.end(JSON.stringify(a.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const everything = () => seen.map((s) => `${s.method} ${s.url}\n${JSON.stringify(s.headers)}\n${s.body}`).join("\n");
  return {
    url,
    seen,
    everything,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe("a stored credential is bound to the connection it was verified with", async () => {
  const db = await testDb();
  const open: Array<{ close: () => Promise<void> }> = [];
  beforeEach(() => truncateAll(db));
  afterEach(async () => {
    await Promise.all(open.splice(0).map((l) => l.close()));
  });

  async function makeProvider() {
    const [p] = await db
      .insert(providers)
      .values({
        name: "cloud-bound",
        authUrl: "https://keystone.example.org:5000/v3",
        region: "RegionOne",
        authMethod: "password",
        adminUsername: "admin",
        adminProjectName: "admin",
        networkName: "public",
        publicRouters: ["public_router"],
        cloudConfig: {
          network: { topology: "External Router Topology", dns_nameservers: ["8.8.8.8"], default_security_rules: [["TCP", 22, 22]] },
          user: { admin_role_name: "admin", user_role_name: "member", domain: "default" },
          deploy: { hostname_format: "vm%(four)s.example.org" },
        },
      })
      .returning();
    await db.insert(providerSecrets).values({
      providerId: p.id,
      credentialSecret: encryptSecret(STORED_PASSWORD),
      accountSecret: encryptSecret(ACCOUNT_SECRET),
    });
    return p;
  }

  const edit = (p: Awaited<ReturnType<typeof makeProvider>>, patch: (u: ProviderUpdate) => void): ProviderUpdate => {
    const u: ProviderUpdate = structuredClone(settingsOf(p));
    patch(u);
    return u;
  };
  const audit: AuditFn = (entry) => createAuditEntry(db, { id: null, username: "staff-mallory" }, entry);

  async function failure(promise: Promise<unknown>): Promise<ActionError> {
    const e = await promise.then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(ActionError);
    return e as ActionError;
  }

  it("refuses a new auth URL with a blank password: nothing reaches the new URL, the attempt is audited", async () => {
    const p = await makeProvider();
    const evil = await listener();
    open.push(evil);
    // The real preflight (no fake verify): on today's main it sends the stored password to evil.
    const e = await failure(updateProviderSettings(db, p.id, edit(p, (u) => void (u.connect.authUrl = evil.url)), { audit }));
    expect(e.message).toBe("Enter the password again to change the connection.");
    expect(e.fieldErrors?.password).toEqual(["Enter the password again to change the connection."]);
    expect(evil.seen).toEqual([]);
    expect(evil.everything()).not.toContain(STORED_PASSWORD);

    const rows = await db.select().from(auditLog).where(eq(auditLog.action, "provider.connection_change_attempt"));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actorUsername: "staff-mallory", targetType: "provider", targetId: String(p.id) });
    expect(rows[0].details).toMatchObject({
      changed: { authUrl: { from: "https://keystone.example.org:5000/v3", to: evil.url } },
      retyped: false,
      outcome: "refused: stored credential not sent, it must be typed again",
    });
    expect(JSON.stringify(rows[0].details)).not.toContain(STORED_PASSWORD);
    expect((await getProvider(db, p.id))!.authUrl).toBe("https://keystone.example.org:5000/v3");
  });

  it.each<[string, (u: ProviderUpdate) => void]>([
    ["the CA bundle", (u) => void (u.connect.caBundle = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----")],
    ["the username", (u) => void (u.connect.username = "someone-else")],
    ["the project", (u) => void (u.connect.projectName = "other")],
    ["the user domain", (u) => void (u.connect.userDomainName = "Evil")],
    ["the project domain", (u) => void (u.connect.projectDomainName = "Evil")],
    ["the region", (u) => void (u.connect.region = "RegionTwo")],
  ])("refuses a change of %s without the password", async (_what, patch) => {
    const p = await makeProvider();
    const e = await failure(updateProviderSettings(db, p.id, edit(p, patch), { audit, verify: async () => expect.unreachable("no preflight") }));
    expect(e.message).toBe("Enter the password again to change the connection.");
    expect(await db.select().from(auditLog).where(eq(auditLog.action, "provider.connection_change_attempt"))).toHaveLength(1);
  });

  it("with a typed password, the new URL only ever sees the typed one, and the attempt is audited before it is called", async () => {
    const p = await makeProvider();
    let auditedBeforeCall = false;
    const evil = await listener(() => ({ status: 404, json: {} }));
    open.push(evil);
    const typed = "typed-by-mallory-1";
    const guarded: AuditFn = async (entry) => {
      await audit(entry);
      if (entry.action === "provider.connection_change_attempt") auditedBeforeCall = evil.seen.length === 0;
    };
    const e = await failure(
      updateProviderSettings(db, p.id, { ...edit(p, (u) => void (u.connect.authUrl = evil.url)), credentialSecret: typed }, { audit: guarded }),
    );
    expect(e.message).toMatch(/Nothing was saved/);
    expect(auditedBeforeCall).toBe(true);
    expect(evil.seen.length).toBeGreaterThan(0);
    expect(evil.everything()).not.toContain(STORED_PASSWORD);
    const actions = (await db.select().from(auditLog)).map((r) => r.action);
    expect(actions).toEqual(["provider.connection_change_attempt", "provider.connection_change_failed"]);
    expect(decryptSecret((await getProviderSecrets(db, p.id))!.credentialSecret)).toBe(STORED_PASSWORD);
  });

  it("a blank password still keeps the stored one when the connection is unchanged", async () => {
    const p = await makeProvider();
    const r = await updateProviderSettings(db, p.id, edit(p, (u) => void (u.deploy.name = "cloud-renamed")), {
      audit,
      verify: async () => expect.unreachable("no preflight"),
    });
    expect(r.changed).toEqual(["name"]);
    expect(decryptSecret((await getProviderSecrets(db, p.id))!.credentialSecret)).toBe(STORED_PASSWORD);
    expect(await db.select().from(auditLog)).toEqual([]);
  });

  it("a Keystone at the typed URL whose self link names another host never gets the password POSTed to that host", async () => {
    const p = await makeProvider();
    const elsewhere = await listener();
    open.push(elsewhere);
    const keystone = await listener((req) =>
      req.method === "GET" && req.url === "/"
        ? { status: 300, json: { versions: { values: [{ id: "v3.14", status: "stable", links: [{ rel: "self", href: `${elsewhere.url}/v3/` }] }] } } }
        : { status: 401, json: { error: { code: 401, message: "The request you have made requires authentication." } } },
    );
    open.push(keystone);
    const typed = "typed-password-2";
    await failure(
      updateProviderSettings(db, p.id, { ...edit(p, (u) => void (u.connect.authUrl = keystone.url)), credentialSecret: typed }, { audit }),
    );
    expect(elsewhere.seen).toEqual([]);
    // The token request went to the typed URL's own /v3.
    expect(keystone.seen.map((s) => `${s.method} ${s.url}`)).toContain("POST /v3/auth/tokens");
  });

  async function withAccount(providerId: number) {
    const user = await makeUser(db, { username: "portal-ann" });
    await db.insert(identities).values({ userId: user.id, providerId, projectName: "portal-ann", state: "active" });
  }
  const attempts = () => db.select().from(auditLog).where(eq(auditLog.action, "provider.connection_change_attempt"));

  it("a staff member cannot point a provider with accounts at another host, even with a typed password: nothing reaches it", async () => {
    const p = await makeProvider();
    await withAccount(p.id);
    // A fake Keystone the staff member runs; its preflight would pass.
    const evil = await listener(() => ({ status: 201, json: {} }));
    open.push(evil);
    const update = { ...edit(p, (u) => void (u.connect.authUrl = `${evil.url}/v3`)), credentialSecret: "mallorys-own-keystone" };
    const e = await failure(updateProviderSettings(db, p.id, update, { audit, ctx: session(false), verify: async () => passed }));
    expect(e.code).toBe("forbidden");
    expect(e.message).toBe(
      `Only a superuser can move this provider to ${evil.url} while 1 account lives on it: their OpenStack passwords and credentials would be sent to whichever server answers there.`,
    );
    expect(e.fieldErrors?.authUrl).toEqual([e.message]);
    expect(evil.seen).toEqual([]);
    expect((await getProvider(db, p.id))!.authUrl).toBe("https://keystone.example.org:5000/v3");
    expect(decryptSecret((await getProviderSecrets(db, p.id))!.credentialSecret)).toBe(STORED_PASSWORD);
    expect((await attempts())[0].details).toMatchObject({ outcome: "refused: only a superuser may move a provider with accounts to another server" });

    // Trusting another CA for the same host would let a man in the middle answer as it.
    const ca = edit(p, (u) => void (u.connect.caBundle = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"));
    const caErr = await failure(updateProviderSettings(db, p.id, { ...ca, credentialSecret: "typed" }, { audit, ctx: session(false), verify: async () => passed }));
    expect(caErr.fieldErrors?.caBundle?.[0]).toMatch(/^Only a superuser can change the CA bundle this provider trusts while 1 account lives on it/);

    // The same host on another path is no move; a superuser (signed in just now) may move it.
    const path = { ...edit(p, (u) => void (u.connect.authUrl = "https://keystone.example.org:5000/identity/v3")), credentialSecret: "typed" };
    expect((await updateProviderSettings(db, p.id, path, { audit, ctx: session(false), verify: async () => passed })).changed).toContain("authUrl");
    const moved = await updateProviderSettings(db, p.id, update, { audit, ctx: session(true), verify: async () => passed });
    expect(moved.provider.authUrl).toBe(`${evil.url}/v3`);
  });

  it("a staff member may still move a provider that has no accounts", async () => {
    const p = await makeProvider();
    const update = { ...edit(p, (u) => void (u.connect.authUrl = "https://other.example.org:5000/v3")), credentialSecret: "typed" };
    const r = await updateProviderSettings(db, p.id, update, { audit, ctx: session(false), verify: async () => passed });
    expect(r.provider.authUrl).toBe("https://other.example.org:5000/v3");
  });

  it("a new secret on the same connection is audited before it is verified, and needs a fresh sign-in", async () => {
    const p = await makeProvider();
    const update = { ...edit(p, () => {}), credentialSecret: "rotated-admin-pass" };
    let attemptsBeforeVerify = -1;
    const verify: Verify = vi.fn(async () => {
      attemptsBeforeVerify = (await attempts()).length;
      return passed;
    });
    const stale = await failure(updateProviderSettings(db, p.id, update, { audit, ctx: session(false, FRESH_AUTH_MS + 60_000), verify }));
    expect(stale.code).toBe("reauth_required");
    expect(verify).not.toHaveBeenCalled();
    expect(await attempts()).toHaveLength(1);
    expect(decryptSecret((await getProviderSecrets(db, p.id))!.credentialSecret)).toBe(STORED_PASSWORD);

    const r = await updateProviderSettings(db, p.id, update, { audit, ctx: session(false), verify });
    expect(r.changed).toEqual(["password"]);
    expect(attemptsBeforeVerify).toBe(2);
    expect((await attempts())[1].details).toEqual({ changed: {}, retyped: true, outcome: "verifying" });
    expect(JSON.stringify(await db.select().from(auditLog))).not.toContain("rotated-admin-pass");
  });

  it("changing the connection needs a sign-in from the last 10 minutes: nothing is sent before it", async () => {
    const p = await makeProvider();
    const target = await listener(() => ({ status: 201, json: {} }));
    open.push(target);
    const update = { ...edit(p, (u) => void (u.connect.authUrl = `${target.url}/v3`)), credentialSecret: "typed-for-new-url" };
    for (const authTime of [Date.now() - FRESH_AUTH_MS - 60_000, null, undefined]) {
      const ctx = { user: { ...session(true).user, authTime } };
      const e = await failure(updateProviderSettings(db, p.id, update, { audit, ctx, verify: async () => expect.unreachable("no preflight") }));
      expect(e).toMatchObject({ code: "reauth_required", message: expect.stringMatching(/^Confirm your password to continue/), fieldErrors: { _reauth: ["password"] } });
    }
    expect(target.seen).toEqual([]);
    expect((await getProvider(db, p.id))!.authUrl).toBe("https://keystone.example.org:5000/v3");
    const fresh = { user: { ...session(true).user, authTime: Date.now() - FRESH_AUTH_MS + 60_000 } };
    expect((await updateProviderSettings(db, p.id, update, { audit, ctx: fresh, verify: async () => passed })).changed).toContain("authUrl");
  });

  it.each([
    ["switching to an application credential", switchToAppCredential, {}],
    ["rotating the application credential", rotateAppCredential, { password: "admin-pass" }],
  ] as const)("%s needs a sign-in from the last 10 minutes, checked before anything is audited or sent", async (_what, def, extra) => {
    const p = await makeProvider();
    for (const authTime of [Date.now() - FRESH_AUTH_MS - 60_000, null]) {
      const deps = await depsAs(db, { isStaff: true });
      deps.user!.authTime = authTime;
      const r = await runAction(deps, def, { providerId: p.id, days: 30, ...extra });
      expect(r).toMatchObject({ ok: false, error: { code: "reauth_required", message: expect.stringMatching(/^Confirm your password to continue/) } });
    }
    expect(await auditRows(db)).toEqual([]);
    expect(decryptSecret((await getProviderSecrets(db, p.id))!.credentialSecret)).toBe(STORED_PASSWORD);
  });
});
