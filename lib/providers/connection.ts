import "server-only";
import { eq } from "drizzle-orm";
import { ActionError } from "@/lib/actions/errors";
import type { Db } from "@/lib/db/client";
import { providers, providerSecrets, type Provider } from "@/lib/db/schema";
import { createClient, OpenStackError, OpenStackHttpError, type ClientOptions, type OpenStackClient } from "@/lib/openstack";
import { decryptSecret } from "@/lib/secrets";
import type { ConnectData, DraftSecrets } from "./schemas";
import { settingsOf } from "./settings";

/** Client options for a connection typed in the wizard or stored on a provider. */
export function clientOptions(
  conn: ConnectData,
  secrets: Pick<DraftSecrets, "password" | "applicationCredentialSecret">,
  timeoutMs = 10_000,
): ClientOptions {
  const base = { authUrl: conn.authUrl, region: conn.region, interface: "public" as const, caBundle: conn.caBundle, timeoutMs };
  if (conn.authMethod === "application_credential") {
    if (!secrets.applicationCredentialSecret) throw new ActionError("invalid_input", "Enter the application credential secret.");
    return { ...base, auth: { type: "applicationCredential", id: conn.applicationCredentialId, secret: secrets.applicationCredentialSecret } };
  }
  if (!secrets.password) throw new ActionError("invalid_input", "Enter the admin password.");
  return {
    ...base,
    auth: {
      type: "password",
      username: conn.username,
      password: secrets.password,
      userDomainName: conn.userDomainName,
      projectName: conn.projectId ? undefined : conn.projectName,
      projectId: conn.projectId,
      projectDomainName: conn.projectDomainName,
    },
  };
}

/** The wizard's connect data of a stored provider, so one code path serves drafts and providers. */
export function connectDataOf(p: Provider): ConnectData {
  return settingsOf(p).connect;
}

/** Opens an admin client for a stored provider, decrypting its credential. */
export async function clientForProvider(db: Db, providerId: number): Promise<{ provider: Provider; client: OpenStackClient }> {
  const [row] = await db
    .select({ provider: providers, secret: providerSecrets.credentialSecret })
    .from(providers)
    .innerJoin(providerSecrets, eq(providerSecrets.providerId, providers.id))
    .where(eq(providers.id, providerId))
    .limit(1);
  if (!row) throw new ActionError("not_found", `There is no provider ${providerId}.`);
  const secret = decryptSecret(row.secret);
  const conn = connectDataOf(row.provider);
  const options = clientOptions(
    conn,
    conn.authMethod === "password" ? { password: secret } : { applicationCredentialSecret: secret },
  );
  return { provider: row.provider, client: await connect(options) };
}

/** Authenticates, turning OpenStack failures into messages an operator can act on. */
export async function connect(options: ClientOptions): Promise<OpenStackClient> {
  try {
    return await createClient(options);
  } catch (error) {
    throw asActionError(error);
  }
}

/** Maps an OpenStack failure to a returned action error; anything else stays a bug. */
export function asActionError(error: unknown): unknown {
  if (error instanceof OpenStackHttpError && error.status === 401) {
    return new ActionError("upstream", `Keystone refused the credentials: ${error.serviceMessage ?? error.message}`);
  }
  if (error instanceof OpenStackError) return new ActionError("upstream", error.message);
  return error;
}
