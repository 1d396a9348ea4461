// Images (Glance) → machines, and their member lists.
//
// Why members have their own step: a shared image's member list is one call per image, and on a
// cloud with thousands of shared images those calls were >90 % of an image import. Glance does
// not change an image's updated_at when a member is added or removed (checked on the lab), so
// nothing in the listing says when a list went stale. Hence:
//  - the image import writes image rows only, never members (`members` is not one of the synced
//    fields, so a resync can never wipe a known list), then reads the lists of the shared images
//    that have none yet (new images, or images that just became shared) — "the member step",
//    timed and counted on its own;
//  - the members refresh (its own schedule, hourly by default, and a button) re-reads the list of
//    every live shared image a few at a time and stamps `members_refreshed_at`, which the images
//    table shows, so nobody mistakes an old list for a fresh one.
// Both steps only ever replace a list with one Glance just returned.
import type { Db } from "@/lib/db/client";
import { and, asc, eq, gt, isNull, sql } from "drizzle-orm";
import { machines } from "@/lib/db/schema";
import { isStatus } from "@/lib/openstack/core/errors";
import type { Image, ImportClient } from "./client";
import { DEFAULT_BATCH_SIZE, ImportTally, chunks, fraction, mapLimit, previousListedCount, readAhead, throwIfAborted, type ImportOptions, type ImportProgress } from "./run";
import type { ImportSummary } from "./resources";
import { endDateUnseen, writeBatch, type SyncSpec } from "./sync";
import { plural } from "@/lib/domain/format";

type MachineRow = typeof machines.$inferInsert;

export const machineSpec: SyncSpec<typeof machines> = {
  table: machines,
  keyColumn: machines.imageId,
  key: (r) => r.imageId,
  fields: [
    "name",
    "visibility",
    "ownerProjectId",
    "sizeBytes",
    "diskFormat",
    "containerFormat",
    "minDiskGb",
    "minRamMb",
    "tags",
    "imageCreatedAt",
    "imageUpdatedAt",
  ],
  label: (r) => r.name || r.imageId,
  // An image that changes visibility gets its member list read again by the member step.
  onChange: {
    membersRefreshedAt: sql`case when excluded."visibility" is distinct from ${machines.visibility} then null else ${machines.membersRefreshedAt} end`,
  },
};

const KERNEL_RAMDISK = new Set(["aki", "ari"]);
const MEMBER_CONCURRENCY = 8;

/** Why an image is not a machine users can launch, or null when it is one. */
export function machineSkipReason(image: Image, opts: { includeInactive?: boolean } = {}): string | null {
  if (!opts.includeInactive && image.status !== "active") return `status ${image.status}`;
  if (KERNEL_RAMDISK.has(image.diskFormat ?? "") || KERNEL_RAMDISK.has(image.containerFormat ?? "")) return "kernel or ramdisk";
  const p = image.properties;
  if (p.image_type === "snapshot" || (typeof p.instance_uuid === "string" && p.instance_uuid !== "")) return "snapshot";
  return null;
}

/** The image row as listed; members are not part of it (see the header). */
export function machineRow(providerId: number, image: Image): MachineRow {
  return {
    providerId,
    imageId: image.id,
    name: image.name ?? "",
    visibility: image.visibility,
    ownerProjectId: image.owner,
    sizeBytes: image.sizeBytes,
    diskFormat: image.diskFormat,
    containerFormat: image.containerFormat,
    minDiskGb: image.minDiskGb,
    minRamMb: image.minRamMb,
    tags: [...image.tags].sort(),
    imageCreatedAt: image.createdAt,
    imageUpdatedAt: image.updatedAt,
  };
}

export type MachineImportOptions = ImportOptions & {
  /** Benchmark only: import every listed image, whatever its status. */
  includeInactive?: boolean;
};

/**
 * Imports Glance images that users can launch (active, not kernel/ramdisk, not snapshots),
 * keyed by image id; images gone, or no longer active, are end-dated. Shared images keep the
 * projects they are shared with. Each page is written as it arrives, so memory stays flat
 * however many images the cloud holds.
 */
export async function importMachines(
  db: Db,
  client: ImportClient,
  providerId: number,
  progress: ImportProgress,
  opts: MachineImportOptions = {},
): Promise<ImportSummary> {
  const now = opts.now ?? (() => new Date());
  const tally = new ImportTally("machines", opts.runId);
  const expected = await previousListedCount(db, providerId, "machines");
  await progress({ progress: 0, progressText: "Listing images…", counts: tally.counts });
  // Asking Glance for active images only spares a page walk over queued or deleted ones; the
  // filter below still checks, so a cloud that ignores the parameter imports the same.
  const pages = client.image.images.pages({
    visibility: "all",
    status: opts.includeInactive ? undefined : "active",
    limit: opts.pageSize,
  });
  const rowsStarted = Date.now();
  for await (const page of readAhead(pages)) {
    throwIfAborted(opts.signal);
    const seenAt = now();
    tally.counts.pages++;
    tally.counts.listed += page.length;
    const rows = page.filter((image) => machineSkipReason(image, opts) === null).map((image) => machineRow(providerId, image));
    tally.counts.skipped += page.length - rows.length;
    for (const batch of chunks(rows, opts.batchSize ?? DEFAULT_BATCH_SIZE)) {
      await writeBatch(db, machineSpec, providerId, batch, tally, seenAt);
    }
    await progress({
      progress: fraction(tally.counts.listed, expected) * 0.9,
      progressText: `${plural(tally.counts.pages, "page")} done, ${plural(tally.counts.listed, "image")} read`,
      counts: tally.counts,
      result: tally.summary(),
    });
  }
  // A run cancelled (or taken over after a stall) while its last page was written must not
  // end-date what a newer run has seen since.
  throwIfAborted(opts.signal);
  await endDateUnseen(db, machineSpec, providerId, tally, now());
  tally.counts.rowSeconds = (Date.now() - rowsStarted) / 1000;
  const memberStarted = Date.now();
  const step = await refreshMembers(db, client, providerId, async (u) => progress({ ...u, progress: 0.9 + (u.progress ?? 0) * 0.1, counts: tally.counts }), {
    onlyUnread: true,
    signal: opts.signal,
  });
  tally.counts.membersFetched = step.read;
  tally.counts.memberSeconds = (Date.now() - memberStarted) / 1000;
  const summary = tally.summary(true);
  await progress({
    progress: 1,
    progressText: `${plural(tally.counts.imported, "image")} imported (${tally.counts.skipped} skipped)${step.read ? `, members of ${plural(step.read, "new shared image")} read` : ""}${step.failed ? `; ${plural(step.failed, "member list")} could not be read (tried again next time): ${step.firstError}` : ""}`,
    counts: tally.counts,
    result: summary,
  });
  return summary;
}

export type MemberRefreshOptions = {
  /** Only shared images whose list was never read (the image import's member step). */
  onlyUnread?: boolean;
  signal?: AbortSignal;
  /** Rows read from the database per round. */
  batchSize?: number;
};

/**
 * Reads the member lists of a provider's live shared images from Glance, MEMBER_CONCURRENCY at a
 * time, and stores each with the time it was read. An image Glance no longer has (404) is left
 * for the next image import to end-date. Walks the table by id, so memory stays flat.
 */
export async function refreshMembers(
  db: Db,
  client: Pick<ImportClient, "image">,
  providerId: number,
  progress: ImportProgress,
  opts: MemberRefreshOptions = {},
): Promise<{ read: number; changed: number; gone: number; failed: number; firstError: string | null; total: number }> {
  const live = and(eq(machines.providerId, providerId), isNull(machines.endDate), eq(machines.visibility, "shared"));
  const scope = opts.onlyUnread ? and(live, isNull(machines.membersRefreshedAt)) : live;
  const [{ total }] = await db.select({ total: sql<number>`count(*)::int` }).from(machines).where(scope);
  const out = { read: 0, changed: 0, gone: 0, failed: 0, firstError: null as string | null, total };
  if (total === 0) return out;
  let after = 0;
  for (;;) {
    throwIfAborted(opts.signal);
    const batch = await db
      .select({ id: machines.id, imageId: machines.imageId, members: machines.members })
      .from(machines)
      .where(and(scope, gt(machines.id, after)))
      .orderBy(asc(machines.id))
      .limit(opts.batchSize ?? DEFAULT_BATCH_SIZE);
    if (batch.length === 0) break;
    after = batch[batch.length - 1].id;
    // One image's list that cannot be read (a 403, a 500, a time-out) keeps its old list and
    // date and is counted; the others are read all the same.
    const lists = await mapLimit(batch, MEMBER_CONCURRENCY, async (row): Promise<string[] | "gone" | "failed"> => {
      try {
        return (await client.image.members.list(row.imageId)).map((m) => m.memberId).sort();
      } catch (error) {
        if (isStatus(error, 404)) return "gone";
        if (opts.signal?.aborted) throw error;
        out.failed++;
        out.firstError ??= `${row.imageId}: ${error instanceof Error ? error.message : String(error)}`;
        return "failed";
      }
    });
    const readAt = new Date();
    await db.transaction(async (tx) => {
      for (const [i, row] of batch.entries()) {
        const members = lists[i];
        if (members === "gone") {
          out.gone++;
          continue;
        }
        if (members === "failed") continue;
        const changed = members.join(",") !== [...row.members].sort().join(",");
        if (changed) out.changed++;
        await tx
          .update(machines)
          .set(changed ? { members, membersRefreshedAt: readAt } : { membersRefreshedAt: readAt })
          .where(eq(machines.id, row.id));
      }
    });
    out.read += lists.filter((l) => Array.isArray(l)).length;
    await progress({
      progress: Math.min(1, (out.read + out.gone) / total),
      progressText: `Members of ${out.read + out.gone} of ${plural(total, "shared image")} read${out.failed ? `, ${out.failed} could not be` : ""}`,
    });
  }
  // A members refresh that read nothing at all failed (Glance down, say), with the first reason.
  // The image import's step only reports it: one image with a broken list must not fail
  // every image import from then on.
  if (!opts.onlyUnread && out.failed && out.read === 0) throw new Error(`No member list could be read from Glance: ${out.firstError}`);
  return out;
}

/** The "Image members" import: every shared image's member list, read again. */
export async function importMembers(
  db: Db,
  client: ImportClient,
  providerId: number,
  progress: ImportProgress,
  opts: ImportOptions = {},
): Promise<ImportSummary> {
  const tally = new ImportTally("members", opts.runId);
  await progress({ progress: 0, progressText: "Reading the member lists of shared images…", counts: tally.counts });
  const result = await refreshMembers(db, client, providerId, (u) => progress({ ...u, counts: tally.counts }), { signal: opts.signal });
  Object.assign(tally.counts, { listed: result.total, imported: result.read, updated: result.changed, unchanged: result.read - result.changed, skipped: result.gone + result.failed });
  const summary = tally.summary(true);
  await progress({
    progress: 1,
    progressText: result.total
      ? `Members of ${plural(result.read, "shared image")} read: ${result.changed} changed${result.failed ? `; ${result.failed} could not be read and keep their last list (${result.firstError})` : ""}`
      : "No shared images: nothing to read",
    counts: tally.counts,
    result: summary,
  });
  return summary;
}
