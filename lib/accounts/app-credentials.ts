// Application credentials of federated accounts, supplied by staff: Cloudport derives no password
// for a federated user, so signing in as one (launch tests) needs a credential the user made.
// A credential is only kept once Keystone accepts it AND its token is the account's own user and
// project: nobody can park another user's (or the admin's) credential on an account.
import { and, eq, isNull } from "drizzle-orm";
import { ActionError } from "@/lib/actions/errors";
import type { Db } from "@/lib/db/client";
import { accountAppCredentials, identities, users } from "@/lib/db/schema";
import { appCredentialClientOptions, connect, loadProvider, readCloudConfig } from "@/lib/providers/connection";
import { encryptSecret } from "@/lib/secrets";

export type SavedAppCredential = { identityId: number; username: string; userId: string; projectId: string };

/** Verifies the credential against the provider's Keystone and stores it sealed for the account. */
export async function saveAccountAppCredential(
  db: Db,
  providerId: number,
  username: string,
  credential: { id: string; secret: string },
  setBy: number | null,
): Promise<SavedAppCredential> {
  const { provider } = await loadProvider(db, providerId);
  if (!readCloudConfig(provider.cloudConfig).user.federation) {
    throw new ActionError("conflict", `Accounts on ${provider.name} sign in with the password Cloudport derives: no application credential is needed.`);
  }
  const [identity] = await db
    .select({ id: identities.id, projectId: identities.projectId, openstackUserId: identities.openstackUserId, username: users.username })
    .from(identities)
    .innerJoin(users, eq(users.id, identities.userId))
    .where(and(eq(identities.providerId, providerId), eq(users.username, username), isNull(identities.endDate)))
    .limit(1);
  if (!identity) throw new ActionError("not_found", `${username} has no live account on ${provider.name}: provision it first.`, { username: ["No live account with this username."] });
  if (!identity.projectId || !identity.openstackUserId) {
    throw new ActionError("conflict", `The account of ${username} is not fully provisioned yet (no Keystone user or project): provision it first.`);
  }
  const client = await connect(appCredentialClientOptions(provider, credential.id, credential.secret, { timeoutMs: 30_000 })).catch((error) => {
    if (error instanceof ActionError) {
      throw new ActionError("invalid_input", `Keystone did not accept this application credential: ${error.message.replace(/^Keystone refused the credentials: /, "")}`, {
        credentialSecret: ["Check the ID and the secret (the secret is shown once, when the credential is made)."],
      });
    }
    throw error;
  });
  try {
    const tokenUser = client.token.user.id;
    const tokenProject = client.token.project?.id ?? null;
    if (tokenUser !== identity.openstackUserId || tokenProject !== identity.projectId) {
      throw new ActionError(
        "invalid_input",
        `This application credential signs in as Keystone user ${tokenUser} in project ${tokenProject ?? "(none)"}, not as ${username}'s account (user ${identity.openstackUserId}, project ${identity.projectId}). Ask ${username} for a credential made in their own project.`,
        { credentialId: ["Not a credential of this account."] },
      );
    }
  } finally {
    await client.close();
  }
  const values = { credentialId: credential.id, secret: encryptSecret(credential.secret), openstackUserId: identity.openstackUserId, projectId: identity.projectId, setBy, verifiedAt: new Date() };
  await db.insert(accountAppCredentials).values({ identityId: identity.id, ...values }).onConflictDoUpdate({ target: accountAppCredentials.identityId, set: values });
  return { identityId: identity.id, username: identity.username, userId: identity.openstackUserId, projectId: identity.projectId };
}

/** Accounts of the provider with a stored credential (no secrets), for the page. */
export async function listAccountAppCredentials(db: Db, providerId: number) {
  return db
    .select({ identityId: accountAppCredentials.identityId, username: users.username, credentialId: accountAppCredentials.credentialId, verifiedAt: accountAppCredentials.verifiedAt })
    .from(accountAppCredentials)
    .innerJoin(identities, eq(identities.id, accountAppCredentials.identityId))
    .innerJoin(users, eq(users.id, identities.userId))
    .where(and(eq(identities.providerId, providerId), isNull(identities.endDate)))
    .orderBy(users.username)
    .limit(200);
}

/** Removes an account's stored credential. */
export async function deleteAccountAppCredential(db: Db, identityId: number): Promise<boolean> {
  const rows = await db.delete(accountAppCredentials).where(eq(accountAppCredentials.identityId, identityId)).returning({ id: accountAppCredentials.identityId });
  return rows.length > 0;
}
