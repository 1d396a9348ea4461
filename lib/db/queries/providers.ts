import { and, asc, count, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../client";
import { allocationStrategies, identities, machines, providers, providerSecrets, sizes, type Provider } from "../schema";
import { MAX_ROW_ID } from "@/lib/domain/paging";

export async function getProvider(db: Db, id: number): Promise<Provider | undefined> {
  // Row ids are Postgres integers: a larger number names nothing (and must not reach SQL).
  if (!Number.isSafeInteger(id) || id < 1 || id > MAX_ROW_ID) return undefined;
  const [row] = await db.select().from(providers).where(eq(providers.id, id)).limit(1);
  return row;
}

export async function getProviderByName(db: Db, name: string): Promise<Provider | undefined> {
  const [row] = await db
    .select()
    .from(providers)
    .where(sql`lower(${providers.name}) = lower(${name})`)
    .limit(1);
  return row;
}

/** Ids and names of the active providers, for pickers: no counts to compute. */
export async function listActiveProviderNames(db: Db): Promise<Array<{ id: number; name: string }>> {
  return db.select({ id: providers.id, name: providers.name }).from(providers).where(eq(providers.isActive, true)).orderBy(asc(providers.id));
}

/** Providers with the counts the list shows, in one query. */
export async function listProvidersWithCounts(db: Db) {
  // Each count needs its own column name: Drizzle renders subquery fields unqualified, so
  // three columns called "n" would be ambiguous in the outer select.
  const live = (table: typeof identities | typeof machines | typeof sizes, alias: string) =>
    db
      .select({ providerId: table.providerId, n: count().as(`${alias}_n`) })
      .from(table)
      .where(isNull(table.endDate))
      .groupBy(table.providerId)
      .as(`${alias}_counts`);
  const ic = live(identities, "i");
  const mc = live(machines, "m");
  const sc = live(sizes, "s");
  return db
    .select({
      id: providers.id,
      name: providers.name,
      region: providers.region,
      authUrl: providers.authUrl,
      isActive: providers.isActive,
      isPublic: providers.isPublic,
      platform: providers.platform,
      lastPreflight: providers.lastPreflight,
      lastPreflightAt: providers.lastPreflightAt,
      accounts: sql<number>`coalesce(${ic.n}, 0)::int`,
      images: sql<number>`coalesce(${mc.n}, 0)::int`,
      sizes: sql<number>`coalesce(${sc.n}, 0)::int`,
    })
    .from(providers)
    .leftJoin(ic, eq(ic.providerId, providers.id))
    .leftJoin(mc, eq(mc.providerId, providers.id))
    .leftJoin(sc, eq(sc.providerId, providers.id))
    .orderBy(asc(providers.id));
}

export async function countLiveIdentities(db: Db, providerId: number): Promise<number> {
  const [{ n }] = await db
    .select({ n: count() })
    .from(identities)
    .where(and(eq(identities.providerId, providerId), isNull(identities.endDate)));
  return Number(n);
}

/** Any identity ever made on the provider, removed ones included: the secret derived them. */
export async function countAllIdentities(db: Db, providerId: number): Promise<number> {
  const [{ n }] = await db.select({ n: count() }).from(identities).where(eq(identities.providerId, providerId));
  return Number(n);
}

export async function getProviderSecrets(db: Db, providerId: number) {
  const [row] = await db.select().from(providerSecrets).where(eq(providerSecrets.providerId, providerId)).limit(1);
  return row;
}

export async function getAllocationStrategy(db: Db, providerId: number) {
  const [row] = await db.select().from(allocationStrategies).where(eq(allocationStrategies.providerId, providerId)).limit(1);
  return row;
}
