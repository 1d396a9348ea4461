// Issue 12 §6 on the lab: a provider that holds only a (restricted) Keystone application
// credential still imports, provisions and launches; rotation replaces it and deletes the old
// one in Keystone.
process.env.CLOUDPORT_SECRET_KEY ??= Buffer.alloc(32, 11).toString("base64");

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { runProvisionBatch, runRemoveBatch } from "@/lib/accounts/batch";
import { accountClientOptions } from "@/lib/providers/connection";
import { insertLabProvider } from "@/lib/accounts/testing/lab-provider";
import { openMemoryDb } from "@/lib/accounts/testing/memory-db";
import type { Db } from "@/lib/db/client";
import { identities, providerSecrets, sizes, type Provider } from "@/lib/db/schema";
import { importSizes } from "@/lib/imports/sizes";
import { Recorder } from "@/lib/launch/recorder";
import { executeRun } from "@/lib/launch/runner";
import { createClient, OpenStackHttpError, type OpenStackClient } from "@/lib/openstack";
import { cleanup, labEnv, labOptions, testName } from "@/lib/openstack/testing/env";
import { decryptSecret } from "@/lib/secrets";
import { credentialName, rotateApplicationCredential, switchToApplicationCredential } from "./app-credential";
import { openAdminClient } from "./connection";

let os: OpenStackClient;
let db: Db;
let closeDb: () => Promise<void>;
let provider: Provider;
let accountSecret: string;
const name = testName("trust-appcred");
const account = testName("trust-ac");
const minted: string[] = [];

beforeAll(async () => {
  os = await createClient(labOptions({ timeoutMs: 30_000 }));
  ({ db, close: closeDb } = await openMemoryDb());
  ({ provider, accountSecret } = await insertLabProvider(db, { name }));
});

afterAll(async () => {
  try {
    const steps: Array<() => Promise<unknown>> = [];
    const live = await db.select().from(identities).where(eq(identities.providerId, provider.id));
    if (live.some((i) => !i.endDate)) {
      steps.push(async () => {
        const { client } = await openAdminClient(db, provider.id);
        try {
          await runRemoveBatch(db, client, provider, { identityIds: live.filter((i) => !i.endDate).map((i) => i.id) });
        } finally {
          await client.close();
        }
      });
    }
    for (const id of minted) steps.push(() => os.identity.applicationCredentials.delete(id));
    await cleanup(steps);
  } finally {
    await os.close();
    await closeDb();
  }
});

async function storedSecret(): Promise<string> {
  const [row] = await db.select().from(providerSecrets).where(eq(providerSecrets.providerId, provider.id));
  return decryptSecret(row.credentialSecret);
}

describe("a provider with only an application credential", () => {
  let firstId = "";

  it("is switched from the admin password to a new restricted application credential named cloudport-<provider>", async () => {
    const { provider: saved, minted: m } = await switchToApplicationCredential(db, provider.id, 90);
    minted.push(m.id);
    firstId = m.id;
    provider = saved;
    expect(saved).toMatchObject({ authMethod: "application_credential", applicationCredentialId: m.id });
    expect(m.name).toBe(credentialName(name));
    const days = (saved.credentialExpiresAt!.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89);
    expect(days).toBeLessThanOrEqual(90);
    // Only the application credential's secret is stored: the password is gone.
    const secret = await storedSecret();
    expect(secret).not.toBe(labEnv().OS_PASSWORD);
    const inKeystone = await os.identity.applicationCredentials.get(m.id);
    expect(inKeystone).toMatchObject({ name: m.name, unrestricted: false });
    expect(inKeystone.expiresAt?.getTime()).toBe(saved.credentialExpiresAt!.getTime());
  });

  it("imports sizes, provisions an account and passes a launch test with it", async () => {
    const { client } = await openAdminClient(db, provider.id);
    try {
      expect(client.token.applicationCredentialId).toBe(firstId);
      const summary = await importSizes(db, client, provider.id, async () => {});
      expect(summary.counts.listed).toBeGreaterThan(0);
      expect((await db.select().from(sizes).where(eq(sizes.providerId, provider.id))).length).toBe(summary.counts.listed);

      const counts = await runProvisionBatch(db, client, provider, accountSecret, { usernames: [account] });
      expect(counts.users[account]).toMatchObject({ status: "done", error: null });
    } finally {
      await client.close();
    }
    const [identity] = await db
      .select()
      .from(identities)
      .where(and(eq(identities.providerId, provider.id), eq(identities.projectName, account)));
    const [flavor, image] = await Promise.all([os.compute.flavors.findByName("m1.nano"), os.image.images.findByName("cirros-0.6-fake")]);
    const rec = new Recorder();
    const outcome = await executeRun({
      runId: 920_000 + Math.floor(Math.random() * 9_999),
      kind: "launch",
      rec,
      choices: {
        identityId: identity.id,
        username: account,
        projectName: account,
        imageId: image!.id,
        imageName: image!.name ?? "cirros",
        flavorId: flavor!.id,
        flavorName: "m1.nano",
        networkId: identity.networkId!,
        cleanup: "auto",
        sshWaitSeconds: 1,
      },
      provider: { networkName: "public", hostnameFormat: "vm%(four)s.lab.example.org" },
      connect: () => createClient(accountClientOptions(provider, { username: account, projectName: account, projectId: identity.projectId }, accountSecret, { timeoutMs: 30_000 })),
      timing: { pollMs: 500, bootTimeoutMs: 180_000, deleteTimeoutMs: 180_000, volumeTimeoutMs: 60_000 },
    });
    expect(outcome.error).toBeNull();
    expect(outcome.state).toBe("passed");
  });

  it("refuses to rotate without the admin password (a restricted credential cannot create its successor)", async () => {
    await expect(rotateApplicationCredential(db, provider.id, { password: "" })).rejects.toThrow(/Enter the admin password/);
    await expect(rotateApplicationCredential(db, provider.id, { password: "not-the-password" })).rejects.toThrow(/Keystone refused/);
    expect((await storedSecret()).length).toBeGreaterThan(0);
  });

  it("rotates: a new verified credential is stored and the old one is gone from Keystone", async () => {
    const before = await storedSecret();
    const r = await rotateApplicationCredential(db, provider.id, { password: labEnv().OS_PASSWORD!, days: 30 });
    minted.push(r.minted.id);
    provider = r.provider;
    expect(r).toMatchObject({ oldId: firstId, oldDeleted: true });
    expect(r.minted.id).not.toBe(firstId);
    expect(provider.applicationCredentialId).toBe(r.minted.id);
    expect(await storedSecret()).not.toBe(before);
    const gone = await os.identity.applicationCredentials.get(firstId).then(
      () => null,
      (e: unknown) => e,
    );
    expect(gone).toBeInstanceOf(OpenStackHttpError);
    expect((gone as OpenStackHttpError).status).toBe(404);
    // The provider works with the new one.
    const { client } = await openAdminClient(db, provider.id);
    try {
      expect(client.token.applicationCredentialId).toBe(r.minted.id);
    } finally {
      await client.close();
    }
  });
});
