import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { identityClientOptions } from "@/lib/accounts/config";
import { ActionError } from "@/lib/actions/errors";
import type { Db } from "@/lib/db/client";
import { getProvider, getProviderSecrets } from "@/lib/db/queries/providers";
import { identities, users } from "@/lib/db/schema";
import { createClient } from "@/lib/openstack";
import { asActionError } from "@/lib/providers/connection";
import { decryptSecret } from "@/lib/secrets";

export type IdentityNetwork = { id: string; name: string; shared: boolean; external: boolean; owned: boolean };

/**
 * The networks an account can boot on, listed AS the account (so this also proves it can sign
 * in): its own first, then shared ones; external networks last (Nova usually refuses them).
 * GET /v2.0/networks
 */
export async function listIdentityNetworks(db: Db, identityId: number): Promise<{ networks: IdentityNetwork[]; defaultId: string | null }> {
  const [identity] = await db
    .select({ providerId: identities.providerId, projectName: identities.projectName, projectId: identities.projectId, networkId: identities.networkId, username: users.username })
    .from(identities)
    .innerJoin(users, eq(users.id, identities.userId))
    .where(and(eq(identities.id, identityId), isNull(identities.endDate)))
    .limit(1);
  if (!identity) throw new ActionError("not_found", "That account does not exist or was removed.");
  const provider = await getProvider(db, identity.providerId);
  const secrets = await getProviderSecrets(db, identity.providerId);
  if (!provider || !secrets) throw new ActionError("not_found", "The account's provider is gone.");
  let client;
  try {
    client = await createClient(identityClientOptions(provider, identity, decryptSecret(secrets.accountSecret), { timeoutMs: 10_000 }));
  } catch (error) {
    throw asActionError(error);
  }
  try {
    const projectId = client.token.project?.id ?? identity.projectId;
    const list = await client.network.networks.list();
    const networks = list
      .map((n) => ({ id: n.id, name: n.name || n.id, shared: Boolean(n.shared), external: Boolean(n.routerExternal), owned: n.projectId === projectId }))
      .sort((a, b) => Number(a.external) - Number(b.external) || Number(b.owned) - Number(a.owned) || a.name.localeCompare(b.name));
    const defaultId = networks.find((n) => n.id === identity.networkId)?.id ?? networks.find((n) => n.owned && !n.external)?.id ?? null;
    return { networks, defaultId };
  } catch (error) {
    throw asActionError(error);
  } finally {
    await client.close();
  }
}
