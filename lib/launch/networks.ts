import "server-only";
import type { Db } from "@/lib/db/client";
import { asActionError, openAccountClient } from "@/lib/providers/connection";

export type IdentityNetwork = { id: string; name: string; shared: boolean; external: boolean; owned: boolean };

/**
 * The networks an account can boot on, listed AS the account (so this also proves it can sign
 * in): its own first, then shared ones; external networks last (Nova usually refuses them).
 * GET /v2.0/networks
 */
export async function listIdentityNetworks(db: Db, identityId: number): Promise<{ networks: IdentityNetwork[]; defaultId: string | null }> {
  const { identity, client } = await openAccountClient(db, identityId, { timeoutMs: 10_000 });
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
