import { and, desc, eq } from "drizzle-orm";
import type { DraftData, DraftSecrets } from "@/lib/providers/schemas";
import { decryptSecret, encryptSecret } from "@/lib/secrets";
import type { Db } from "../client";
import { providerDrafts } from "../schema";

export type Draft = { id: string; step: string; data: DraftData; secrets: DraftSecrets; updatedAt: Date };

function open(row: typeof providerDrafts.$inferSelect): Draft {
  return {
    id: row.id,
    step: row.step,
    data: row.data as DraftData,
    secrets: row.sealedSecrets ? (JSON.parse(decryptSecret(row.sealedSecrets)) as DraftSecrets) : {},
    updatedAt: row.updatedAt,
  };
}

export async function createProviderDraft(db: Db, userId: number, data: DraftData = {}, secrets: DraftSecrets = {}): Promise<Draft> {
  const [row] = await db
    .insert(providerDrafts)
    .values({ createdBy: userId, data, sealedSecrets: encryptSecret(JSON.stringify(secrets)) })
    .returning();
  return open(row);
}

/** A user's draft; drafts are private to whoever started them. */
export async function getProviderDraft(db: Db, userId: number, id: string): Promise<Draft | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const [row] = await db
    .select()
    .from(providerDrafts)
    .where(and(eq(providerDrafts.id, id), eq(providerDrafts.createdBy, userId)))
    .limit(1);
  return row ? open(row) : undefined;
}

export async function listProviderDrafts(db: Db, userId: number) {
  return db
    .select({ id: providerDrafts.id, step: providerDrafts.step, data: providerDrafts.data, updatedAt: providerDrafts.updatedAt })
    .from(providerDrafts)
    .where(eq(providerDrafts.createdBy, userId))
    .orderBy(desc(providerDrafts.updatedAt));
}

/** Merges a step's data (and secrets) into the draft. */
export async function updateProviderDraft(
  db: Db,
  draft: Draft,
  patch: { step?: string; data?: Partial<DraftData>; secrets?: Partial<DraftSecrets> },
): Promise<Draft> {
  const data = { ...draft.data, ...patch.data };
  const secrets = { ...draft.secrets, ...patch.secrets };
  const [row] = await db
    .update(providerDrafts)
    .set({ step: patch.step ?? draft.step, data, sealedSecrets: encryptSecret(JSON.stringify(secrets)) })
    .where(eq(providerDrafts.id, draft.id))
    .returning();
  return open(row);
}

export async function deleteProviderDraft(db: Db, id: string): Promise<void> {
  await db.delete(providerDrafts).where(eq(providerDrafts.id, id));
}
