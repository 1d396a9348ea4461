import { ActionError } from "@/lib/actions/errors";
import type { Db } from "@/lib/db/client";
import { getProviderByName } from "@/lib/db/queries/providers";
import type { Draft } from "@/lib/db/queries/provider-drafts";
import { allocationStrategies, providers, providerSecrets, type Provider } from "@/lib/db/schema";
import { encryptSecret } from "@/lib/secrets";
import { credentialSecretOf, providerColumns } from "./connection";
import type { DraftData, DraftSecrets } from "./schemas";
import { credentialName } from "./credential-name";

/** The seed's strategy ("Choose an Allocation Strategy"), given to every new provider. */
export const DEFAULT_STRATEGY = {
  countingBehavior: "1 Month - Calendar Window",
  refreshBehaviors: ["First of the Month"],
  rulesBehaviors: ["Ignore non-active status", "Multiply by Size CPU"],
  threshold: 168,
};

/** Which wizard steps are still missing, in order. */
export function missingSteps(data: DraftData, secrets: DraftSecrets): string[] {
  const missing: string[] = [];
  if (!data.connect || !(secrets.password || secrets.applicationCredentialSecret)) missing.push("connect");
  if (!data.preflight?.ok) missing.push("verify");
  if (!data.network) missing.push("network");
  if (!data.accounts || !secrets.accountSecret) missing.push("accounts");
  if (!data.deploy) missing.push("deploy");
  return missing;
}

/** Makes an application credential from the draft's password (lib/providers/app-credential.ts); injected so this file needs no cloud. */
export type MintFromPassword = (
  connect: Required<DraftData>["connect"],
  password: string,
  name: string,
) => Promise<{ id: string; secret: string; expiresAt: Date }>;

/**
 * Writes the provider, its sealed secrets and its default allocation strategy in one transaction.
 * With `mint` (issue 12 §6), a password draft stores an application credential made from the
 * password instead, and the password is discarded.
 */
export async function createProviderFromDraft(db: Db, draft: Draft, opts: { mint?: MintFromPassword } = {}): Promise<Provider> {
  const { data, secrets } = draft;
  const missing = missingSteps(data, secrets);
  if (missing.length) throw new ActionError("invalid_input", `Finish these steps first: ${missing.join(", ")}.`);
  const { connect, network, accounts, deploy, preflight } = data as Required<DraftData>;
  if (await getProviderByName(db, deploy.name)) {
    throw new ActionError("conflict", `A provider named "${deploy.name}" exists already: choose another name.`, {
      name: ["This name is taken."],
    });
  }
  let credential = credentialSecretOf(connect.authMethod, secrets)!;
  let appCredential: { id: string; expiresAt: Date } | null = null;
  if (opts.mint && connect.authMethod === "password") {
    const made = await opts.mint(connect, credential, credentialName(deploy.name));
    credential = made.secret;
    appCredential = { id: made.id, expiresAt: made.expiresAt };
  }
  return db.transaction(async (tx) => {
    const [provider] = await tx
      .insert(providers)
      .values({
        ...providerColumns({ connect, network, accounts, deploy }),
        ...(appCredential
          ? { authMethod: "application_credential" as const, applicationCredentialId: appCredential.id, credentialExpiresAt: appCredential.expiresAt }
          : {}),
        lastPreflight: preflight,
        lastPreflightAt: new Date(preflight.at),
      })
      .returning();
    await tx.insert(providerSecrets).values({
      providerId: provider.id,
      credentialSecret: encryptSecret(credential),
      accountSecret: encryptSecret(secrets.accountSecret!),
    });
    await tx.insert(allocationStrategies).values({ providerId: provider.id, ...DEFAULT_STRATEGY });
    return provider;
  });
}
