// Keystone federation on the lab: an identity provider, mapping and protocol made through the
// OS-FEDERATION API; provisioning makes a federated user with the portal username as unique id,
// a re-run changes nothing, a local user of the same name is refused (never adopted), and
// removal deletes the federated user.
process.env.CLOUDPORT_SECRET_KEY ??= Buffer.alloc(32, 11).toString("base64");

import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { identities, type Identity, type Provider } from "@/lib/db/schema";
import { createClient, type OpenStackClient } from "@/lib/openstack/client";
import { isFederatedAs } from "@/lib/openstack/identity/v3/federation/requests";
import { cleanup, labOptions } from "@/lib/openstack/testing/env";
import { getProvider } from "@/lib/db/queries/providers";
import { settingsOf } from "@/lib/providers/connection";
import { federationOverview } from "@/lib/providers/federation";
import { updateProviderSettings, type ProviderUpdate } from "@/lib/providers/manage";
import { runProvisionBatch, runRemoveBatch } from "./batch";
import { insertLabProvider } from "./testing/lab-provider";
import { openMemoryDb } from "./testing/memory-db";

const tag = `cptest-federation-${randomBytes(3).toString("hex")}`;
const idpId = `${tag}-idp`;
const mappingId = `${tag}-map`;
const protocolId = "openid";
const fedUser = `${tag}-u1`;
const localUser = `${tag}-u2`;

let os: OpenStackClient;
let db: Db;
let closeDb: () => Promise<void>;
let provider: Provider;
let accountSecret: string;
let localUserId: string | null = null;

const identityOf = async (projectName: string): Promise<Identity> => {
  const [row] = await db
    .select()
    .from(identities)
    .where(and(eq(identities.providerId, provider.id), eq(identities.projectName, projectName)))
    .orderBy(identities.id);
  return row;
};
const ref = { idpId, protocolId, uniqueId: fedUser };

beforeAll(async () => {
  os = await createClient(labOptions({ timeoutMs: 30_000 }));
  ({ db, close: closeDb } = await openMemoryDb());
  const fed = os.identity.federation;
  await fed.createIdentityProvider({ id: idpId, domainId: "default", remoteIds: [`https://${tag}.invalid/`], description: "Cloudport test" });
  await fed.createMapping(mappingId, [
    { local: [{ user: { name: "{0}", domain: { id: "default" } } }], remote: [{ type: "OIDC-preferred_username" }] },
  ]);
  await fed.createProtocol(idpId, protocolId, mappingId);
  ({ provider, accountSecret } = await insertLabProvider(db, { name: `${tag}-provider`, federation: { idp: idpId, protocol: protocolId } }));
});

afterAll(async () => {
  try {
    const live = await db.select().from(identities).where(and(eq(identities.providerId, provider.id), isNull(identities.endDate)));
    if (live.length) await runRemoveBatch(db, os, provider, { identityIds: live.map((i) => i.id) }).catch(() => {});
    await cleanup([
      async () => {
        for (const u of await os.identity.federation.findUsers(ref)) await os.identity.users.delete(u.id);
      },
      async () => {
        for (const name of [fedUser, localUser]) for (const u of await os.identity.users.list({ name })) await os.identity.users.delete(u.id);
      },
      async () => {
        for (const name of [fedUser, localUser]) for (const p of await os.identity.projects.list({ name })) await os.identity.projects.delete(p.id);
      },
      () => os.identity.federation.deleteProtocol(idpId, protocolId),
      () => os.identity.federation.deleteIdentityProvider(idpId),
      () => os.identity.federation.deleteMapping(mappingId),
    ]);
  } finally {
    await os?.close();
    await closeDb?.();
  }
});

describe("Keystone federation on the lab", () => {
  it("lists the identity provider, its protocol and mapping, and the mapping puts users in the account domain", async () => {
    const overview = await federationOverview(os, { idp: idpId, protocol: protocolId }, { id: "default", name: "Default" });
    expect(overview.identityProviders.map((p) => p.id)).toContain(idpId);
    expect(overview.protocols).toEqual([{ id: protocolId, mappingId }]);
    expect(overview.mappings.map((m) => m.id)).toContain(mappingId);
    expect(overview.problem).toBeNull();
    expect(overview.check).toEqual({ ok: true });

    const elsewhere = await federationOverview(os, { idp: idpId, protocol: protocolId }, { id: "0123456789abcdef0123456789abcdef", name: "Other" });
    expect(elsewhere.problem).toMatch(/does not put users in the account domain/);
    const noProtocol = await federationOverview(os, { idp: idpId, protocol: "saml2" }, { id: "default", name: "Default" });
    expect(noProtocol.problem).toMatch(/has no protocol "saml2"/);
  });

  it("the edit form checks a changed federation setting or account domain against Keystone, like the wizard", async () => {
    const edit = (patch: (u: ProviderUpdate) => void): ProviderUpdate => {
      const u = structuredClone(settingsOf(provider)) as ProviderUpdate;
      patch(u);
      return u;
    };
    const refusal = (update: ProviderUpdate) => updateProviderSettings(db, provider.id, update).then(() => null, (e: unknown) => e);
    expect(await refusal(edit((u) => (u.accounts.federationProtocol = "saml2")))).toMatchObject({
      code: "invalid_input",
      message: `Keystone federation: Identity provider "${idpId}" has no protocol "saml2".`,
      fieldErrors: { federationIdp: [`Keystone federation: Identity provider "${idpId}" has no protocol "saml2".`] },
    });
    expect(await refusal(edit((u) => (u.accounts.federationIdp = `${tag}-nope`)))).toMatchObject({ message: `Keystone federation: Keystone has no identity provider "${tag}-nope".` });
    expect(await refusal(edit((u) => (u.accounts.domain = `${tag}-nodomain`)))).toMatchObject({ message: `Keystone has no domain "${tag}-nodomain".`, fieldErrors: { domain: expect.any(Array) } });
    // Nothing was saved by the refused edits.
    expect(settingsOf((await getProvider(db, provider.id))!).accounts).toMatchObject({ federationIdp: idpId, federationProtocol: protocolId, domain: "default" });

    // Off, then on again: the lab's mapping puts users in the account domain, so it is saved.
    const off = await updateProviderSettings(db, provider.id, edit((u) => ((u.accounts.federationIdp = ""), (u.accounts.federationProtocol = ""))));
    expect(off.changed).toEqual(["federationIdp", "federationProtocol"]);
    const on = await updateProviderSettings(db, provider.id, edit(() => {}));
    expect(on.changed).toEqual(["federationIdp", "federationProtocol"]);
    provider = (await getProvider(db, provider.id))!;
    expect(settingsOf(provider).accounts).toMatchObject({ federationIdp: idpId, federationProtocol: protocolId });
  });

  it("provisions a federated user with the username as unique id; a re-run and a rebuild are no-ops for the user", async () => {
    const counts = await runProvisionBatch(db, os, provider, accountSecret, { usernames: [fedUser] });
    expect(counts).toMatchObject({ total: 1, done: 1, failed: 0 });
    const identity = await identityOf(fedUser);
    expect(identity).toMatchObject({ state: "active", lastError: null });

    const user = await os.identity.users.get(identity.openstackUserId!);
    expect(user).toMatchObject({ name: fedUser, domainId: "default", defaultProjectId: identity.projectId });
    expect(isFederatedAs(user, ref)).toBe(true);
    const found = await os.identity.federation.findUsers(ref);
    expect(found.map((u) => u.id)).toEqual([user.id]);
    const [member] = await Promise.all([os.identity.roles.findByName("member")]);
    expect(await os.identity.roleAssignments.checkOnProject({ projectId: identity.projectId!, userId: user.id, roleId: member!.id })).toBe(true);

    for (const rebuild of [false, true]) {
      expect(await runProvisionBatch(db, os, provider, accountSecret, { usernames: [fedUser], rebuild })).toMatchObject({ done: 1, failed: 0 });
      const again = await identityOf(fedUser);
      expect(again.openstackUserId).toBe(user.id);
      // (Keystone may list a shadow user twice by name: one id is what counts.)
      expect([...new Set((await os.identity.users.list({ name: fedUser })).map((u) => u.id))]).toEqual([user.id]);
      expect((await os.identity.users.findByName(fedUser, { domainId: "default" }))?.id).toBe(user.id);
      expect((await os.identity.federation.findUsers(ref)).map((u) => u.id)).toEqual([user.id]);
    }
  });

  it("refuses a local user of the same name: it exists but is not federated, and is never adopted", async () => {
    // Even one carrying Cloudport's marker (made before the provider switched to federation),
    // and even after a superuser's explicit adoption of the account.
    const local = await os.identity.users.create({
      name: localUser,
      domainId: "default",
      password: randomBytes(16).toString("hex"),
      description: "Cloudport account (local, made before federation)",
    });
    localUserId = local.id;
    for (const adopted of [false, true]) {
      if (adopted) {
        const before = await identityOf(localUser);
        await db.update(identities).set({ adoptedAt: new Date() }).where(eq(identities.id, before.id));
      }
      const counts = await runProvisionBatch(db, os, provider, accountSecret, { usernames: [localUser] });
      expect(counts).toMatchObject({ total: 1, failed: 1 });
      const identity = await identityOf(localUser);
      expect(identity.state).toBe("failed");
      expect(identity.lastStep).toBe("user");
      expect(identity.lastError).toMatch(/exists but is not federated/);
      expect(identity.openstackUserId).toBeNull();
    }
    // Without the marker it is refused before anything is made, with the same words.
    await os.identity.users.update(local.id, { description: "someone's own user" });
    await runProvisionBatch(db, os, provider, accountSecret, { usernames: [localUser] });
    expect((await identityOf(localUser)).lastError).toMatch(/exists but is not federated/);
    const identity = await identityOf(localUser);
    expect(await os.identity.federation.findUsers({ idpId, protocolId, uniqueId: localUser })).toEqual([]);
    // Removing the failed account leaves the local user alone.
    await runRemoveBatch(db, os, provider, { identityIds: [identity.id] });
    expect((await os.identity.users.get(localUserId)).id).toBe(localUserId);
  });

  it("removal deletes the federated user and the project", async () => {
    const identity = await identityOf(fedUser);
    const counts = await runRemoveBatch(db, os, provider, { identityIds: [identity.id] });
    expect(counts).toMatchObject({ done: 1, failed: 0 });
    expect((await identityOf(fedUser)).state).toBe("removed");
    expect(await os.identity.federation.findUsers(ref)).toEqual([]);
    expect(await os.identity.users.list({ name: fedUser })).toEqual([]);
    expect(await os.identity.projects.list({ name: fedUser })).toEqual([]);
  });
});
