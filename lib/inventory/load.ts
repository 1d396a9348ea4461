import "server-only";
import { eq, sql } from "drizzle-orm";
import { ActionError } from "@/lib/actions/errors";
import type { Db } from "@/lib/db/client";
import { getProvider } from "@/lib/db/queries/providers";
import { providers, type Provider } from "@/lib/db/schema";
import type { Pool } from "@/lib/domain/ipv4";
import { asActionError, openAdminClient, readCloudConfig } from "@/lib/providers/connection";
import type { GroupVars, InventorySource } from "./generate";
import { readGroupVars } from "./group-vars";

export type LoadedInventory = { provider: Provider; source: InventorySource; groupVars: GroupVars };

/** The floating-IP allocation pools of the provider's external network, read as admin. GET /v2.0/networks, /v2.0/subnets */
export async function floatingIpPools(db: Db, providerId: number): Promise<{ provider: Provider; pools: Pool[] }> {
  const { provider, client } = await openAdminClient(db, providerId, { timeoutMs: 10_000 });
  try {
    if (!provider.networkName) {
      throw new ActionError("invalid_input", `Provider ${providerId} has no external network set: pick one under Edit settings → Network.`);
    }
    const network = await client.network.networks.findByName(provider.networkName);
    if (!network) {
      throw new ActionError("not_found", `The external network "${provider.networkName}" of provider ${providerId} no longer exists in Neutron.`);
    }
    const subnets = await client.network.subnets.list({ networkId: network.id, ipVersion: 4 });
    return { provider, pools: subnets.flatMap((s) => s.allocationPools) };
  } catch (error) {
    throw asActionError(error);
  } finally {
    await client.close();
  }
}

/** Everything the inventory files of a provider are generated from. */
export async function loadInventory(db: Db, providerId: number): Promise<LoadedInventory> {
  const { provider, pools } = await floatingIpPools(db, providerId);
  const cc = readCloudConfig(provider.cloudConfig);
  return {
    provider,
    groupVars: readGroupVars(provider.cloudConfig),
    source: {
      providerId: provider.id,
      providerName: provider.name,
      hostnameFormat: cc.deploy.hostname_format,
      domain: cc.deploy.domain,
      networkName: provider.networkName ?? undefined,
      pools,
    },
  };
}

/**
 * Replaces cloud_config.group_vars in one statement, so a concurrent edit of other settings is
 * not overwritten with a stale copy. Returns the values before and after.
 */
export async function saveGroupVars(db: Db, providerId: number, vars: GroupVars): Promise<{ provider: Provider; before: GroupVars }> {
  const existing = await getProvider(db, providerId);
  if (!existing) throw new ActionError("not_found", `There is no provider ${providerId}. It may have been deleted.`);
  const [row] = await db
    .update(providers)
    .set({
      // A cloud_config written as a JSON string (some raw-SQL imports do that; Drizzle reads
      // it as an object anyway) is unwrapped first, or its other keys would be lost.
      cloudConfig: sql`jsonb_set(
        case jsonb_typeof(${providers.cloudConfig})
          when 'object' then ${providers.cloudConfig}
          when 'string' then case when left(${providers.cloudConfig} #>> '{}', 1) = '{' then (${providers.cloudConfig} #>> '{}')::jsonb else '{}'::jsonb end
          else '{}'::jsonb
        end,
        '{group_vars}', ${JSON.stringify(vars)}::jsonb, true)`,
    })
    .where(eq(providers.id, providerId))
    .returning();
  if (!row) throw new ActionError("not_found", `There is no provider ${providerId}. It may have been deleted.`);
  return { provider: row, before: readGroupVars(existing.cloudConfig) };
}
