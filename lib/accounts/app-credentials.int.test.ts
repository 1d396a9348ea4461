// A federated provider's account signs in with the application credential staff supplied: kept
// only when Keystone accepts it and it is the account's own user and project (the lab's admin
// credential, or a wrong secret, is refused); the secret is sealed. The account here is a local
// Keystone user (the lab has no identity provider to sign a federated user in), which is the same
// for Keystone's application-credential sign-in.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openMemoryDb } from "@/lib/accounts/testing/memory-db";
import { accountAppCredentials, identities, providers, providerSecrets, users } from "@/lib/db/schema";
import { generateAccountSecret } from "@/lib/domain/account-password";
import { createTestAccount } from "@/lib/launch/testing";
import { createClient } from "@/lib/openstack/client";
import { labOptions, testName } from "@/lib/openstack/testing/env";
import { useLabClient } from "@/lib/openstack/testing/lab-client";
import { accountClientOptions, accountConnection } from "@/lib/providers/connection";
import { encryptSecret } from "@/lib/secrets";
import { saveAccountAppCredential } from "./app-credentials";

const lab = useLabClient();

describe("application credentials of federated accounts", () => {
  it("verifies the credential is the account's own, seals it, and launch sign-in uses it", async () => {
    const { db, close } = await openMemoryDb();
    try {
      const secret = generateAccountSecret();
      const account = await createTestAccount(lab.os, { name: testName("fedac"), accountSecret: secret, cidr: "172.31.249.0/24" });
      lab.undo.push(() => account.remove());
      const base = labOptions();
      const [provider] = await db
        .insert(providers)
        .values({
          name: testName("fed"),
          authUrl: base.authUrl,
          region: base.region ?? "RegionOne",
          cloudConfig: { user: { domain: "default", federation: { idp: "egi.eu", protocol: "openid" } } },
        })
        .returning();
      await db.insert(providerSecrets).values({ providerId: provider.id, credentialSecret: encryptSecret("unused"), accountSecret: encryptSecret(secret) });
      const [user] = await db.insert(users).values({ username: account.username }).returning();
      const [identity] = await db
        .insert(identities)
        .values({ userId: user.id, providerId: provider.id, projectName: account.projectName, projectId: account.projectId, openstackUserId: account.userId, state: "active" })
        .returning();

      // No credential yet: the launch sign-in says what is needed.
      await expect(accountConnection(db, identity.id)).rejects.toThrow(/needs an application credential of the account, supplied by staff/);

      // The user's own credential, made by the user.
      const asUser = await createClient(accountClientOptions(provider, account, secret));
      const cred = await asUser.identity.applicationCredentials.create({ name: testName("launch"), description: "cloudport launch tests" });
      lab.undo.push(() => lab.os.identity.users.get(account.userId).then(() => asUser.identity.applicationCredentials.delete(cred.id)).finally(() => asUser.close()));

      // Refused: a wrong secret, and the lab admin's own credential (another user, another project).
      await expect(saveAccountAppCredential(db, provider.id, account.username, { id: cred.id, secret: "x".repeat(40) }, null)).rejects.toThrow(
        /Keystone did not accept this application credential/,
      );
      const adminCred = await lab.os.identity.applicationCredentials.create({ name: testName("notyours") });
      lab.undo.push(() => lab.os.identity.applicationCredentials.delete(adminCred.id));
      await expect(saveAccountAppCredential(db, provider.id, account.username, { id: adminCred.id, secret: adminCred.secret }, null)).rejects.toThrow(
        new RegExp(`signs in as Keystone user ${lab.os.token.user.id} .*not as ${account.username}'s account`),
      );
      expect(await db.select().from(accountAppCredentials)).toEqual([]);

      const saved = await saveAccountAppCredential(db, provider.id, account.username, { id: cred.id, secret: cred.secret }, null);
      expect(saved).toMatchObject({ identityId: identity.id, userId: account.userId, projectId: account.projectId });
      const [row] = await db.select().from(accountAppCredentials).where(eq(accountAppCredentials.identityId, identity.id));
      expect(row.secret).not.toContain(cred.secret);
      expect(row.credentialId).toBe(cred.id);

      const { open } = await accountConnection(db, identity.id);
      const client = await open();
      try {
        expect(client.token.user.id).toBe(account.userId);
        expect(client.token.project?.id).toBe(account.projectId);
        expect(client.token.applicationCredentialId).toBe(cred.id);
      } finally {
        await client.close();
      }

      // A provider that is not federated needs none.
      await db.update(providers).set({ cloudConfig: { user: { domain: "default" } } }).where(eq(providers.id, provider.id));
      await expect(saveAccountAppCredential(db, provider.id, account.username, { id: cred.id, secret: cred.secret }, null)).rejects.toThrow(/no application credential is needed/);
    } finally {
      await close();
    }
  }, 120_000);
});
