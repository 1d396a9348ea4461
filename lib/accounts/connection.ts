import { eq } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { providers, providerSecrets, type Provider } from "@/lib/db/schema";
import { createClient, type ClientOptions, type OpenStackClient } from "@/lib/openstack/client";
import { decryptSecret } from "@/lib/secrets";

/**
 * The admin client options of a stored provider. Mirrors lib/providers/connection.ts, which is
 * server-only: this module also runs in the job worker and under tsx (bench, tests).
 */
export function adminClientOptions(p: Provider, credentialSecret: string, timeoutMs = 30_000): ClientOptions {
  const base = { authUrl: p.authUrl, region: p.region, interface: "public" as const, caBundle: p.caBundle ?? undefined, timeoutMs };
  if (p.authMethod === "application_credential") {
    return { ...base, auth: { type: "applicationCredential", id: p.applicationCredentialId ?? undefined, secret: credentialSecret } };
  }
  return {
    ...base,
    auth: {
      type: "password",
      username: p.adminUsername ?? undefined,
      password: credentialSecret,
      userDomainName: p.userDomainName,
      projectName: p.adminProjectName ?? undefined,
      projectDomainName: p.projectDomainName,
    },
  };
}

/** A provider with its decrypted secrets; the caller must never log or return them. */
export async function loadProviderWithSecrets(
  db: Db,
  providerId: number,
): Promise<{ provider: Provider; credentialSecret: string; accountSecret: string } | undefined> {
  const [row] = await db
    .select({ provider: providers, credential: providerSecrets.credentialSecret, account: providerSecrets.accountSecret })
    .from(providers)
    .innerJoin(providerSecrets, eq(providerSecrets.providerId, providers.id))
    .where(eq(providers.id, providerId));
  if (!row) return undefined;
  return { provider: row.provider, credentialSecret: decryptSecret(row.credential), accountSecret: decryptSecret(row.account) };
}

/** An admin client for the provider plus what provisioning needs; close the client when done. */
export async function openProvider(db: Db, providerId: number) {
  const loaded = await loadProviderWithSecrets(db, providerId);
  if (!loaded) throw new Error(`There is no provider ${providerId}.`);
  const client: OpenStackClient = await createClient(adminClientOptions(loaded.provider, loaded.credentialSecret));
  return { provider: loaded.provider, accountSecret: loaded.accountSecret, client };
}
