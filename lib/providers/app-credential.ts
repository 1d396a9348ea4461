import "server-only";
import { eq } from "drizzle-orm";
import { ActionError } from "@/lib/actions/errors";
import type { Db } from "@/lib/db/client";
import { getProvider } from "@/lib/db/queries/providers";
import { providers, providerSecrets, type Provider } from "@/lib/db/schema";
import { isStatus, type OpenStackClient } from "@/lib/openstack";
import { encryptSecret } from "@/lib/secrets";
import { clientOptions, connect, loadProvider, settingsOf } from "./connection";
import { credentialName } from "./credential-name";
import type { ConnectData } from "./schemas";

// Issue 12 §6: least privilege for the cloud credential. Cloudport trades the admin password for
// a Keystone application credential (named cloudport-<provider>, with an expiry) and keeps only
// that. The credential is RESTRICTED (unrestricted=false): a stolen one cannot mint further
// credentials or trusts and dies at its expiry. Rotation therefore asks for the admin password
// again (used for that one request, never stored): Keystone forbids a restricted application
// credential from creating another one.

export const DEFAULT_CREDENTIAL_DAYS = 90;
export const MAX_CREDENTIAL_DAYS = 366;
/** The provider page warns this many days before the credential expires. */
export const CREDENTIAL_WARN_DAYS = 30;

export type MintedCredential = { id: string; name: string; secret: string; expiresAt: Date };

export { credentialName };

/** Days until the credential expires (negative once expired), or null when none is known. */
export function daysToExpiry(expiresAt: Date | null | undefined, now = new Date()): number | null {
  if (!expiresAt) return null;
  return Math.floor((expiresAt.getTime() - now.getTime()) / 86_400_000);
}

/** What the provider page says about the credential's expiry. */
export function expiryNotice(expiresAt: Date | null | undefined, now = new Date()): { tone: "neutral" | "warning" | "danger"; text: string } | null {
  const days = daysToExpiry(expiresAt, now);
  if (days === null || !expiresAt) return null;
  const on = expiresAt.toISOString().slice(0, 10);
  if (days < 0) return { tone: "danger", text: `The application credential expired on ${on}: Cloudport can no longer reach this cloud. Rotate it.` };
  if (days < CREDENTIAL_WARN_DAYS) return { tone: "warning", text: `The application credential expires on ${on} (in ${days} ${days === 1 ? "day" : "days"}). Rotate it before then.` };
  return { tone: "neutral", text: `The application credential expires on ${on} (in ${days} days).` };
}

function checkDays(days: number) {
  if (!Number.isInteger(days) || days < 1 || days > MAX_CREDENTIAL_DAYS) {
    throw new ActionError("invalid_input", `Choose an expiry between 1 and ${MAX_CREDENTIAL_DAYS} days.`, { days: [`1–${MAX_CREDENTIAL_DAYS} days`] });
  }
}

/** Verifies an application credential the way the provider will use it: a token and a catalog with the services accounts need. */
export async function verifyApplicationCredential(conn: ConnectData, id: string, secret: string): Promise<void> {
  const client = await connect(clientOptions({ ...conn, authMethod: "application_credential", applicationCredentialId: id }, { applicationCredentialSecret: secret }));
  try {
    const missing = ["identity", "compute", "network", "image"].filter((t) => !client.hasService(t));
    if (missing.length) throw new ActionError("upstream", `The new application credential's token has no ${missing.join(", ")} in its catalog.`);
  } finally {
    await client.close();
  }
}

/**
 * Creates (and verifies) an application credential with a password client's user and project.
 * The password client is the caller's; it is not closed here.
 */
export async function mintApplicationCredential(
  passwordClient: OpenStackClient,
  conn: ConnectData,
  name: string,
  days: number,
): Promise<MintedCredential> {
  checkDays(days);
  const expiresAt = new Date(Date.now() + days * 86_400_000);
  let created;
  try {
    created = await passwordClient.identity.applicationCredentials.create({
      name,
      description: "Cloudport's credential for this cloud (restricted: cannot create credentials or trusts). Rotate it from the provider page.",
      expiresAt,
      unrestricted: false,
    });
  } catch (error) {
    if (isStatus(error, 409)) {
      throw new ActionError("conflict", `Keystone has an application credential named ${name} already: delete it (openstack application credential delete ${name}) or rename the provider.`);
    }
    throw error;
  }
  try {
    await verifyApplicationCredential(conn, created.id, created.secret);
  } catch (error) {
    // A credential that does not work is not left behind.
    await passwordClient.identity.applicationCredentials.delete(created.id).catch(() => {});
    throw error;
  }
  return { id: created.id, name: created.name, secret: created.secret, expiresAt: created.expiresAt ?? expiresAt };
}

/** Opens a password client for a connection (the provider's, unchanged) with a password typed now. */
async function passwordClientFor(conn: ConnectData, password: string): Promise<OpenStackClient> {
  if (!conn.username || !conn.projectName) {
    throw new ActionError("invalid_input", "The provider has no admin username and project stored: edit the provider to set them, then try again.");
  }
  return connect(clientOptions({ ...conn, authMethod: "password", projectId: undefined }, { password }));
}

async function storeCredential(db: Db, id: number, minted: MintedCredential): Promise<Provider> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(providers)
      .set({ authMethod: "application_credential", applicationCredentialId: minted.id, credentialExpiresAt: minted.expiresAt })
      .where(eq(providers.id, id))
      .returning();
    await tx.update(providerSecrets).set({ credentialSecret: encryptSecret(minted.secret) }).where(eq(providerSecrets.providerId, id));
    return row;
  });
}

async function requireProvider(db: Db, id: number): Promise<Provider> {
  const p = await getProvider(db, id);
  if (!p) throw new ActionError("not_found", `There is no provider ${id}. It may have been deleted.`);
  return p;
}

/**
 * Switches a password provider to an application credential made from its STORED password (it
 * was verified against this very connection), then discards the password.
 */
export async function switchToApplicationCredential(db: Db, id: number, days = DEFAULT_CREDENTIAL_DAYS): Promise<{ provider: Provider; minted: Omit<MintedCredential, "secret"> }> {
  const { provider, secrets } = await loadProvider(db, id);
  if (provider.authMethod !== "password") throw new ActionError("conflict", "This provider signs in with an application credential already; rotate it instead.");
  const conn = settingsOf(provider).connect;
  const client = await passwordClientFor(conn, secrets.credentialSecret);
  try {
    const minted = await mintApplicationCredential(client, conn, credentialName(provider.name), days);
    const saved = await storeCredential(db, id, minted);
    return { provider: saved, minted: { id: minted.id, name: minted.name, expiresAt: minted.expiresAt } };
  } finally {
    await client.close();
  }
}

export type RotateResult = { provider: Provider; minted: Omit<MintedCredential, "secret">; oldId: string | null; oldDeleted: boolean; oldDeleteError?: string };

/**
 * Rotation: with the admin password typed again (a restricted credential cannot create its
 * successor), makes a new credential, verifies it (token + catalog), switches the provider to
 * it, then deletes the old one in Keystone.
 */
export async function rotateApplicationCredential(db: Db, id: number, input: { password: string; days?: number }): Promise<RotateResult> {
  const provider = await requireProvider(db, id);
  if (provider.authMethod !== "application_credential") throw new ActionError("conflict", "This provider signs in with a password: switch it to an application credential first.");
  if (!input.password) throw new ActionError("invalid_input", "Enter the admin password: Keystone lets only the user create a new application credential.", { password: ["Enter the admin password."] });
  const conn = settingsOf(provider).connect;
  const client = await passwordClientFor(conn, input.password);
  try {
    const minted = await mintApplicationCredential(client, conn, credentialName(provider.name, new Date()), input.days ?? DEFAULT_CREDENTIAL_DAYS);
    const saved = await storeCredential(db, id, minted);
    const oldId = provider.applicationCredentialId;
    let oldDeleted = false;
    let oldDeleteError: string | undefined;
    if (oldId && oldId !== minted.id) {
      try {
        await client.identity.applicationCredentials.delete(oldId);
        oldDeleted = true;
      } catch (error) {
        if (isStatus(error, 404)) oldDeleted = true;
        else oldDeleteError = `The old credential ${oldId} could not be deleted (${error instanceof Error ? error.message : String(error)}); delete it with openstack application credential delete ${oldId}.`;
      }
    }
    return { provider: saved, minted: { id: minted.id, name: minted.name, expiresAt: minted.expiresAt }, oldId, oldDeleted, oldDeleteError };
  } finally {
    await client.close();
  }
}

/** The wizard's minting (createProviderFromDraft's `mint`): a password client for the draft's connection, then a credential. */
export function minterFor(days: number) {
  return async (conn: ConnectData, password: string, name: string): Promise<MintedCredential> => {
    const client = await passwordClientFor(conn, password);
    try {
      return await mintApplicationCredential(client, conn, name, days);
    } finally {
      await client.close();
    }
  };
}
