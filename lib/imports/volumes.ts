// Cinder volumes across projects → volumes, matched to identities by project, end-dated like
// sizes and images (Atmosphere's monitor_volumes_for).
import { plural } from "@/lib/domain/format";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { identities, volumes } from "@/lib/db/schema";
import type { ImportClient, Volume } from "./client";
import type { ImportSummary } from "./resources";
import { DEFAULT_BATCH_SIZE, ImportTally, chunks, fraction, previousListedCount, readAhead, throwIfAborted, type ImportOptions, type ImportProgress } from "./run";
import { endDateUnseen, writeBatch, type SyncSpec } from "./sync";

type VolumeRow = typeof volumes.$inferInsert;

export const volumeSpec: SyncSpec<typeof volumes> = {
  table: volumes,
  keyColumn: volumes.volumeId,
  key: (r) => r.volumeId,
  fields: ["identityId", "name", "projectId", "sizeGb", "volumeType", "status", "bootable", "availabilityZone", "attachedTo", "volumeCreatedAt"],
  label: (r) => r.name || r.volumeId,
};

export function volumeRow(providerId: number, v: Volume, identityId: number | null): VolumeRow {
  return {
    providerId,
    identityId,
    volumeId: v.id,
    name: v.name ?? "",
    projectId: v.projectId,
    sizeGb: v.sizeGb,
    volumeType: v.volumeType,
    status: v.status,
    bootable: v.bootable,
    availabilityZone: v.availabilityZone,
    attachedTo: [...new Set(v.attachments.map((a) => a.serverId).filter((id): id is string => Boolean(id)))].sort(),
    volumeCreatedAt: v.createdAt,
  };
}

/** Live identities first, so a project reused after a removal matches the current account. */
async function identitiesByProject(db: Db, providerId: number, projectIds: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (projectIds.length === 0) return out;
  const rows = await db
    .select({ id: identities.id, projectId: identities.projectId })
    .from(identities)
    .where(and(eq(identities.providerId, providerId), inArray(identities.projectId, projectIds)))
    .orderBy(sql`${identities.endDate} is null desc`, desc(identities.id));
  for (const r of rows) if (r.projectId && !out.has(r.projectId)) out.set(r.projectId, r.id);
  return out;
}

/**
 * Imports every project's volumes (admin listing with all_tenants), page by page. A cloud whose
 * catalog has no volume service imports nothing and says so, without end-dating anything.
 */
export async function importVolumes(
  db: Db,
  client: ImportClient,
  providerId: number,
  progress: ImportProgress,
  opts: ImportOptions = {},
): Promise<ImportSummary> {
  const now = opts.now ?? (() => new Date());
  const tally = new ImportTally("volumes", opts.runId);
  if (!client.hasService("block-storage")) {
    const summary = tally.summary(true);
    await progress({ progress: 1, progressText: "This cloud's catalog has no volume service (Cinder): nothing to import.", counts: tally.counts, result: summary });
    return summary;
  }
  const expected = await previousListedCount(db, providerId, "volumes");
  await progress({ progress: 0, progressText: "Listing volumes…", counts: tally.counts });
  for await (const page of readAhead(client.blockStorage.volumes.pages({ allTenants: true, limit: opts.pageSize }))) {
    throwIfAborted(opts.signal);
    const seenAt = now();
    tally.counts.pages++;
    tally.counts.listed += page.length;
    const byProject = await identitiesByProject(db, providerId, [...new Set(page.map((v) => v.projectId).filter((p): p is string => Boolean(p)))]);
    const rows = page.map((v) => volumeRow(providerId, v, (v.projectId && byProject.get(v.projectId)) || null));
    for (const batch of chunks(rows, opts.batchSize ?? DEFAULT_BATCH_SIZE)) await writeBatch(db, volumeSpec, providerId, batch, tally, seenAt);
    await progress({
      progress: fraction(tally.counts.listed, expected),
      progressText: `${plural(tally.counts.pages, "page")} done, ${plural(tally.counts.listed, "volume")} read`,
      counts: tally.counts,
      result: tally.summary(),
    });
  }
  // Cancelled or taken over while the last page was written: end-date nothing (see machines.ts).
  throwIfAborted(opts.signal);
  await endDateUnseen(db, volumeSpec, providerId, tally, now());
  const summary = tally.summary(true);
  await progress({ progress: 1, progressText: `${tally.counts.imported} ${tally.counts.imported === 1 ? "volume" : "volumes"} imported`, counts: tally.counts, result: summary });
  return summary;
}
