import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { ActionError } from "@/lib/actions/errors";
import { getProvider, getProviderSecrets } from "@/lib/db/queries/providers";
import { identities, providers, providerSecrets, sizes } from "@/lib/db/schema";
import { parseProviderJson } from "@/lib/domain/credentials-import";
import { decryptSecret, encryptSecret } from "@/lib/secrets";
import { makeUser, testDb, truncateAll } from "@/test/db";
import {
  deleteProviderChecked,
  exportProvider,
  rerunProviderPreflight,
  setProviderActive,
  updateProviderSettings,
  type ProviderUpdate,
  type Verify,
} from "./manage";
import type { PreflightReport } from "./schemas";
import { settingsOf } from "./connection";
import type { FederationCheck } from "./federation";

const PASSWORD = "admin-pass-1";
const ACCOUNT_SECRET = "0123456789abcdef0123456789abcdef";

const report = (ok: boolean): PreflightReport => ({
  at: "2026-01-02T03:04:05.000Z",
  ok,
  checks: ok
    ? [{ id: "token", label: "Token issued", status: "pass", detail: "As admin" }]
    : [
        { id: "discovery", label: "Keystone v3 discovered", status: "pass", detail: "ok" },
        { id: "token", label: "Token issued", status: "fail", detail: "keystone said 401: bad password", remedy: "Check it." },
      ],
  catalog: [],
});

describe("provider management", async () => {
  const db = await testDb();
  beforeEach(() => truncateAll(db));

  async function makeProvider(name = "cloud-a") {
    const [p] = await db
      .insert(providers)
      .values({
        name,
        authUrl: "https://keystone.example.org:5000/v3",
        adminUrl: "https://keystone.example.org:35357/v3",
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
          extra: { kept: true },
        },
      })
      .returning();
    await db.insert(providerSecrets).values({
      providerId: p.id,
      credentialSecret: encryptSecret(PASSWORD),
      accountSecret: encryptSecret(ACCOUNT_SECRET),
    });
    return p;
  }

  async function makeIdentity(providerId: number, removed = false) {
    const user = await makeUser(db);
    await db.insert(identities).values({
      userId: user.id,
      providerId,
      projectName: user.username,
      state: removed ? "removed" : "active",
      endDate: removed ? new Date() : null,
    });
  }

  const editOf = (p: Awaited<ReturnType<typeof makeProvider>>, patch: (u: ProviderUpdate) => void = () => {}): ProviderUpdate => {
    const u: ProviderUpdate = structuredClone(settingsOf(p));
    patch(u);
    return u;
  };

  async function rejection(promise: Promise<unknown>): Promise<ActionError> {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ActionError);
    return error as ActionError;
  }

  describe("updateProviderSettings", () => {
    it("saves nothing and verifies nothing when nothing changed", async () => {
      const p = await makeProvider();
      const verify = vi.fn<Verify>();
      const r = await updateProviderSettings(db, p.id, editOf(p), { verify });
      expect(r.changed).toEqual([]);
      expect(verify).not.toHaveBeenCalled();
    });

    it("saves settings that are not the connection without verifying, keeping unknown cloud_config keys", async () => {
      const p = await makeProvider();
      const verify = vi.fn<Verify>();
      const r = await updateProviderSettings(
        db,
        p.id,
        editOf(p, (u) => {
          u.deploy.name = "cloud-renamed";
          u.deploy.isPublic = false;
          u.network.dnsNameservers = ["1.1.1.1", "9.9.9.9"];
          u.network.securityRules.push({ protocol: "UDP", fromPort: 53, toPort: 53 });
          u.accounts.userRoleName = "_member_";
          u.deploy.instanceDomain = "cloud.example.org";
        }),
        { verify },
      );
      expect(verify).not.toHaveBeenCalled();
      expect(r.changed).toEqual(["dnsNameservers", "securityRules", "userRoleName", "name", "isPublic", "instanceDomain"]);
      const saved = (await getProvider(db, p.id))!;
      expect(saved).toMatchObject({ name: "cloud-renamed", isPublic: false });
      expect(saved.cloudConfig).toEqual({
        network: {
          topology: "External Router Topology",
          dns_nameservers: ["1.1.1.1", "9.9.9.9"],
          default_security_rules: [
            ["TCP", 22, 22],
            ["UDP", 53, 53],
          ],
        },
        user: { admin_role_name: "admin", user_role_name: "_member_", domain: "default" },
        deploy: { hostname_format: "vm%(four)s.example.org", domain: "cloud.example.org" },
        extra: { kept: true },
      });
    });

    it("refuses a name another provider has, in any case, as a field error", async () => {
      const p = await makeProvider("cloud-a");
      await makeProvider("Cloud-B");
      const e = await rejection(updateProviderSettings(db, p.id, editOf(p, (u) => void (u.deploy.name = "cloud-b"))));
      expect(e.code).toBe("conflict");
      expect(e.fieldErrors?.name).toEqual(["This name is taken: choose another."]);
      // Its own name in another case is fine.
      const r = await updateProviderSettings(db, p.id, editOf(p, (u) => void (u.deploy.name = "Cloud-A")));
      expect(r.changed).toEqual(["name"]);
    });

    it("changes the account secret while no account exists", async () => {
      const p = await makeProvider();
      const secret = "a-brand-new-secret-of-at-least-32-chars";
      const r = await updateProviderSettings(db, p.id, { ...editOf(p), accountSecret: secret });
      expect(r.changed).toEqual(["accountSecret"]);
      const row = (await getProviderSecrets(db, p.id))!;
      expect(row.accountSecret).not.toContain(secret);
      expect(decryptSecret(row.accountSecret)).toBe(secret);
      expect(decryptSecret(row.credentialSecret)).toBe(PASSWORD);
    });

    it.each([
      ["a live account", false],
      ["only a removed account", true],
    ])("locks the account secret once %s exists", async (_what, removed) => {
      const p = await makeProvider();
      await makeIdentity(p.id, removed);
      const e = await rejection(updateProviderSettings(db, p.id, { ...editOf(p), accountSecret: "b".repeat(40) }));
      expect(e.code).toBe("conflict");
      expect(e.message).toMatch(/locked: 1 account was made with it/);
      expect(e.fieldErrors?.accountSecret?.[0]).toMatch(/locked/);
      expect(decryptSecret((await getProviderSecrets(db, p.id))!.accountSecret)).toBe(ACCOUNT_SECRET);
      // Sending the same secret again is not a change.
      const r = await updateProviderSettings(db, p.id, { ...editOf(p), accountSecret: ACCOUNT_SECRET });
      expect(r.changed).toEqual([]);
    });

    it("switches Keystone federation on and off while no account is live, and refuses it while one is", async () => {
      const p = await makeProvider();
      const federate = (u: ProviderUpdate) => {
        u.accounts.federationIdp = "egi.eu";
        u.accounts.federationProtocol = "openid";
      };
      const checkFederation = vi.fn<FederationCheck>(async () => {});
      const on = await updateProviderSettings(db, p.id, editOf(p, federate), { checkFederation });
      expect(on.changed).toEqual(["federationIdp", "federationProtocol"]);
      expect(checkFederation).toHaveBeenCalledTimes(1);
      expect(checkFederation.mock.calls[0].slice(1)).toEqual([settingsOf(p).accounts.domain, { idp: "egi.eu", protocol: "openid" }]);
      expect(checkFederation.mock.calls[0][0]).toMatchObject({ authUrl: p.authUrl });
      const stored = (await getProvider(db, p.id))!;
      expect((stored.cloudConfig as { user: unknown }).user).toMatchObject({ federation: { idp: "egi.eu", protocol: "openid" } });
      expect((stored.cloudConfig as { extra: unknown }).extra).toEqual({ kept: true });

      // A change elsewhere does not ask Keystone again.
      await updateProviderSettings(db, p.id, editOf(stored, (u) => (u.deploy.isPublic = !u.deploy.isPublic)), { checkFederation });
      expect(checkFederation).toHaveBeenCalledTimes(1);

      await makeIdentity(p.id);
      const e = await rejection(updateProviderSettings(db, p.id, editOf(stored, (u) => (u.accounts.federationIdp = "other-idp")), { checkFederation }));
      expect(e.code).toBe("conflict");
      expect(e.message).toMatch(/federation cannot change while 1 account exists/);
      expect(e.fieldErrors?.federationIdp?.[0]).toMatch(/remove them first/);
      expect(settingsOf((await getProvider(db, p.id))!).accounts.federationIdp).toBe("egi.eu");
    });

    it("checks a new federation setting or account domain like the wizard, and saves nothing when Keystone refuses it", async () => {
      const p = await makeProvider();
      const refuse = vi.fn<FederationCheck>(async () => {
        throw new ActionError("invalid_input", 'Keystone federation: Mapping "m" does not put users in the account domain: …', { federationIdp: ["…"] });
      });
      const federate = (u: ProviderUpdate) => {
        u.accounts.federationIdp = "egi.eu";
        u.accounts.federationProtocol = "openid";
      };
      const e = await rejection(updateProviderSettings(db, p.id, editOf(p, federate), { checkFederation: refuse }));
      expect(e).toMatchObject({ code: "invalid_input", message: expect.stringMatching(/^Keystone federation: Mapping "m" does not put users/) });
      expect(settingsOf((await getProvider(db, p.id))!).accounts.federationIdp).toBeFalsy();

      const pass = vi.fn<FederationCheck>(async () => {});
      await updateProviderSettings(db, p.id, editOf(p, federate), { checkFederation: pass });
      const stored = (await getProvider(db, p.id))!;
      // The account domain moves: the mapping must put users in the new one, so it is checked again.
      const moved = editOf(stored, (u) => (u.accounts.domain = "research"));
      const e2 = await rejection(updateProviderSettings(db, p.id, moved, { checkFederation: refuse }));
      expect(e2.message).toMatch(/^Keystone federation/);
      expect(refuse.mock.calls.at(-1)?.slice(1)).toEqual(["research", { idp: "egi.eu", protocol: "openid" }]);
      expect(settingsOf((await getProvider(db, p.id))!).accounts.domain).toBe(settingsOf(stored).accounts.domain);
    });

    it("verifies a changed connection and saves nothing when the preflight fails", async () => {
      const p = await makeProvider();
      const verify = vi.fn<Verify>(async () => report(false));
      const e = await rejection(
        updateProviderSettings(
          db,
          p.id,
          { ...editOf(p, (u) => void (u.connect.region = "RegionTwo")), credentialSecret: "wrong-pass" },
          { verify },
        ),
      );
      expect(e.code).toBe("upstream");
      expect(e.message).toMatch(/Nothing was saved/);
      expect(e.fieldErrors?.preflight).toEqual(["Token issued: keystone said 401: bad password"]);
      const input = verify.mock.calls[0][0];
      expect(input.options).toMatchObject({ region: "RegionTwo", auth: { type: "password", password: "wrong-pass", username: "admin" } });
      expect(input.adminRoleName).toBe("admin");
      const saved = (await getProvider(db, p.id))!;
      expect(saved.region).toBe("RegionOne");
      expect(saved.lastPreflight).toBeNull();
      expect(decryptSecret((await getProviderSecrets(db, p.id))!.credentialSecret)).toBe(PASSWORD);
    });

    it("saves a verified connection with its new password and keeps the report", async () => {
      const p = await makeProvider();
      const verify = vi.fn<Verify>(async () => report(true));
      const r = await updateProviderSettings(db, p.id, { ...editOf(p), credentialSecret: "new-pass" }, { verify });
      expect(verify).toHaveBeenCalledOnce();
      expect(r.changed).toEqual(["password"]);
      expect(decryptSecret((await getProviderSecrets(db, p.id))!.credentialSecret)).toBe("new-pass");
      const saved = (await getProvider(db, p.id))!;
      expect(saved.lastPreflight).toEqual(report(true));
      expect(saved.lastPreflightAt?.toISOString()).toBe("2026-01-02T03:04:05.000Z");
    });

    it("needs the new secret when the sign-in method changes", async () => {
      const p = await makeProvider();
      const verify = vi.fn<Verify>(async () => report(true));
      const edit = editOf(p, (u) => {
        u.connect.authMethod = "application_credential";
        u.connect.applicationCredentialId = "abc123";
      });
      const e = await rejection(updateProviderSettings(db, p.id, edit, { verify }));
      expect(e.fieldErrors?.applicationCredentialSecret).toBeDefined();
      const r = await updateProviderSettings(db, p.id, { ...edit, credentialSecret: "app-secret" }, { verify });
      expect(r.changed).toEqual(["authMethod", "applicationCredentialId", "applicationCredentialSecret"]);
      expect(verify.mock.calls[0][0].options.auth).toEqual({ type: "applicationCredential", id: "abc123", secret: "app-secret" });
      expect((await getProvider(db, p.id))!).toMatchObject({ authMethod: "application_credential", applicationCredentialId: "abc123" });
    });

    it("drops the public routers for External Network Topology", async () => {
      const p = await makeProvider();
      await updateProviderSettings(db, p.id, editOf(p, (u) => void (u.network.topology = "External Network Topology")));
      expect((await getProvider(db, p.id))!.publicRouters).toEqual([]);
    });

    it("says when the provider is gone", async () => {
      const e = await rejection(updateProviderSettings(db, 999, editOf(await makeProvider())));
      expect(e.code).toBe("not_found");
    });
  });

  describe("setProviderActive", () => {
    it("deactivates and activates, reporting whether anything changed", async () => {
      const p = await makeProvider();
      expect((await setProviderActive(db, p.id, false)).changed).toBe(true);
      expect((await getProvider(db, p.id))!.isActive).toBe(false);
      expect((await setProviderActive(db, p.id, false)).changed).toBe(false);
      expect((await setProviderActive(db, p.id, true)).provider.isActive).toBe(true);
    });
  });

  describe("deleteProviderChecked", () => {
    it("needs the provider's name typed exactly", async () => {
      const p = await makeProvider("cloud-a");
      const e = await rejection(deleteProviderChecked(db, p.id, "CLOUD-A"));
      expect(e.fieldErrors?.confirmName?.[0]).toMatch(/Type the provider's name, cloud-a/);
      expect(await getProvider(db, p.id)).toBeDefined();
    });

    it("refuses while accounts exist, saying how many", async () => {
      const p = await makeProvider();
      await makeIdentity(p.id);
      await makeIdentity(p.id);
      await makeIdentity(p.id, true);
      const e = await rejection(deleteProviderChecked(db, p.id, "cloud-a"));
      expect(e.code).toBe("conflict");
      expect(e.message).toBe(
        `Provider ${p.id} has 2 accounts (and 1 removed, kept as history). Remove them first, or deactivate the provider instead.`,
      );
    });

    it("refuses when only removed accounts remain, and says to deactivate", async () => {
      const p = await makeProvider();
      await makeIdentity(p.id, true);
      const e = await rejection(deleteProviderChecked(db, p.id, "cloud-a"));
      expect(e.message).toMatch(/had 1 account, removed but kept as history.*Deactivate it instead/);
    });

    it("deletes a provider without accounts, with its secrets and imports", async () => {
      const p = await makeProvider();
      await db.insert(sizes).values({ providerId: p.id, flavorId: "1", name: "m1.tiny", vcpus: 1, ramMb: 512, diskGb: 1 });
      expect((await deleteProviderChecked(db, p.id, " cloud-a ")).id).toBe(p.id);
      expect(await getProvider(db, p.id)).toBeUndefined();
      expect(await getProviderSecrets(db, p.id)).toBeUndefined();
      expect(await db.select().from(sizes).where(eq(sizes.providerId, p.id))).toEqual([]);
    });
  });

  describe("rerunProviderPreflight", () => {
    it("runs with the stored, decrypted credentials and keeps the report", async () => {
      const p = await makeProvider();
      const verify = vi.fn<Verify>(async () => report(false));
      const r = await rerunProviderPreflight(db, p.id, { verify });
      expect(r.ok).toBe(false);
      expect(verify.mock.calls[0][0]).toMatchObject({
        options: { authUrl: p.authUrl, region: "RegionOne", auth: { type: "password", password: PASSWORD } },
        adminUrl: p.adminUrl,
        adminRoleName: "admin",
      });
      expect((await getProvider(db, p.id))!.lastPreflight).toEqual(report(false));
    });
  });

  describe("exportProvider", () => {
    it("leaves the secrets out unless asked, and round-trips with them", async () => {
      const p = await makeProvider();
      const plain = await exportProvider(db, p.id, "json", false);
      expect(plain.body).not.toContain(PASSWORD);
      expect(plain.body).not.toContain(ACCOUNT_SECRET);
      expect(plain.fileName).toBe("cloud-a.json");
      const full = await exportProvider(db, p.id, "json", true);
      expect(full.fileName).toBe("cloud-a-with-secrets.json");
      const draft = parseProviderJson(full.body);
      expect(draft.password).toBe(PASSWORD);
      expect((draft.cloudConfig as { user: { secret: string } }).user.secret).toBe(ACCOUNT_SECRET);
      const yaml = await exportProvider(db, p.id, "clouds.yaml", false);
      expect(yaml.body).toContain("cloud-a:");
      expect(yaml.body).not.toContain(PASSWORD);
      await expect(exportProvider(db, p.id, "ca.pem", false)).rejects.toThrow(/no CA bundle/);
    });
  });
});
