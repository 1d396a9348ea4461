// Quota tiers in the database: seeded per provider on first use, edited by staff.
import { and, asc, eq, ne } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { identities, quotaTiers, type Identity, type QuotaTier } from "@/lib/db/schema";
import { mergeQuota, QUOTA_KEYS, SEED_TIERS, type QuotaValues } from "@/lib/domain/quotas";

export type Tier = Omit<QuotaTier, "values"> & { values: QuotaValues };

/** Stored JSON → a full set of values (a key missing from an old row reads as unlimited). */
export function valuesOf(raw: unknown): QuotaValues {
  const src = (raw ?? {}) as Record<string, unknown>;
  const out = {} as QuotaValues;
  for (const key of QUOTA_KEYS) out[key] = typeof src[key] === "number" ? (src[key] as number) : -1;
  return out;
}

/** Only the known numeric keys of custom values, or null when there are none. */
export function customOf(raw: unknown): Partial<QuotaValues> | null {
  if (!raw || typeof raw !== "object") return null;
  const out: Partial<QuotaValues> = {};
  for (const key of QUOTA_KEYS) {
    const v = (raw as Record<string, unknown>)[key];
    if (typeof v === "number") out[key] = v;
  }
  return Object.keys(out).length ? out : null;
}

const toTier = (row: QuotaTier): Tier => ({ ...row, values: valuesOf(row.values) });

/** The provider's tiers, seeding small/medium/large (medium the default) the first time. */
export async function listTiers(db: Db, providerId: number): Promise<Tier[]> {
  let rows = await db.select().from(quotaTiers).where(eq(quotaTiers.providerId, providerId)).orderBy(asc(quotaTiers.id));
  if (rows.length === 0) {
    await db
      .insert(quotaTiers)
      .values(SEED_TIERS.map((t) => ({ providerId, name: t.name, description: t.description, values: t.values, isDefault: t.isDefault })))
      .onConflictDoNothing();
    rows = await db.select().from(quotaTiers).where(eq(quotaTiers.providerId, providerId)).orderBy(asc(quotaTiers.id));
  }
  return rows.map(toTier);
}

export async function getTier(db: Db, providerId: number, tierId: number): Promise<Tier | undefined> {
  const [row] = await db
    .select()
    .from(quotaTiers)
    .where(and(eq(quotaTiers.providerId, providerId), eq(quotaTiers.id, tierId)));
  return row && toTier(row);
}

export type TierInput = { name: string; description: string; values: QuotaValues; isDefault: boolean };

/** Creates or updates a tier; making it the default takes the flag from the previous one. */
export async function saveTier(db: Db, providerId: number, tierId: number | null, input: TierInput): Promise<{ before: Tier | null; after: Tier }> {
  return db.transaction(async (tx) => {
    const before = tierId ? ((await getTier(tx as unknown as Db, providerId, tierId)) ?? null) : null;
    if (tierId && !before) throw new Error(`Tier ${tierId} is not a tier of provider ${providerId}.`);
    if (input.isDefault) {
      await tx
        .update(quotaTiers)
        .set({ isDefault: false })
        .where(and(eq(quotaTiers.providerId, providerId), eq(quotaTiers.isDefault, true), ...(tierId ? [ne(quotaTiers.id, tierId)] : [])));
    }
    const row = { name: input.name, description: input.description, values: input.values, isDefault: input.isDefault };
    const [saved] = tierId
      ? await tx.update(quotaTiers).set(row).where(eq(quotaTiers.id, tierId)).returning()
      : await tx.insert(quotaTiers).values({ providerId, ...row }).returning();
    return { before, after: toTier(saved) };
  });
}

export type DesiredQuota = {
  /** The tier the values come from (the account's, else the provider's default), or null. */
  tier: Tier | null;
  custom: Partial<QuotaValues> | null;
  /** Tier values with the custom ones on top; null when there is neither tier nor custom values. */
  values: QuotaValues | null;
};

/** What an account's project should have: its tier (or the default) with its custom values on top. */
export async function desiredQuotaOf(
  db: Db,
  identity: Pick<Identity, "providerId" | "quotaTierId" | "quotaCustom">,
  tiers?: Tier[],
): Promise<DesiredQuota> {
  const all = tiers ?? (await listTiers(db, identity.providerId));
  const tier = all.find((t) => t.id === identity.quotaTierId) ?? all.find((t) => t.isDefault) ?? null;
  const custom = customOf(identity.quotaCustom);
  if (!tier && !custom) return { tier: null, custom: null, values: null };
  return { tier, custom, values: mergeQuota(tier?.values ?? valuesOf({}), custom) };
}

/** Records an account's tier / custom values and what was applied. */
export async function setIdentityQuota(
  db: Db,
  identityId: number,
  patch: { quotaTierId?: number | null; quotaCustom?: Partial<QuotaValues> | null; quotaApplied?: Partial<QuotaValues> | null; adoptQuota?: true },
): Promise<void> {
  await db
    .update(identities)
    .set({ ...patch, ...(patch.quotaApplied !== undefined ? { quotaAppliedAt: new Date() } : {}) })
    .where(eq(identities.id, identityId));
}
