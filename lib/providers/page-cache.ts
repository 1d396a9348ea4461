import "server-only";
import { cache } from "react";
import { getDb } from "@/lib/db";
import { getProvider } from "@/lib/db/queries/providers";
import type { Provider } from "@/lib/db/schema";

/**
 * The provider named by a page's `[id]` segment, read once per request: the provider layout
 * (breadcrumb, tabs) and the page under it both need it, and React's cache() lets them share
 * one query. Ids that cannot be a provider's (not digits, beyond int4) are simply not found.
 */
export const getProviderForRequest = cache(async (rawId: string): Promise<Provider | undefined> => {
  if (!/^\d{1,9}$/.test(rawId)) return undefined;
  return getProvider(await getDb(), Number(rawId));
});
