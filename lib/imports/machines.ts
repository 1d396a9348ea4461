import type { Db } from "@/lib/db/client";
import { machines } from "@/lib/db/schema";
import type { Image, ImportClient } from "./client";
import { DEFAULT_BATCH_SIZE, ImportTally, chunks, fraction, mapLimit, previousListedCount, throwIfAborted, type ImportOptions, type ImportProgress } from "./run";
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
    "members",
    "imageCreatedAt",
    "imageUpdatedAt",
  ],
  label: (r) => r.name || r.imageId,
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

export function machineRow(providerId: number, image: Image, members: string[]): MachineRow {
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
    members,
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
  for await (const page of pages) {
    throwIfAborted(opts.signal);
    const seenAt = now();
    tally.counts.pages++;
    tally.counts.listed += page.length;
    const wanted = page.filter((image) => machineSkipReason(image, opts) === null);
    tally.counts.skipped += page.length - wanted.length;
    // Members come from the API before the transaction opens: no transaction waits on HTTP.
    // Glance's default visibility is "shared", so a cloud may hold thousands of them: one
    // call per image, a few at a time.
    const rows = await mapLimit(wanted, MEMBER_CONCURRENCY, async (image) => {
      const members =
        image.visibility === "shared" ? (await client.image.members.list(image.id)).map((m) => m.memberId).sort() : [];
      return machineRow(providerId, image, members);
    });
    for (const batch of chunks(rows, opts.batchSize ?? DEFAULT_BATCH_SIZE)) {
      await writeBatch(db, machineSpec, providerId, batch, tally, seenAt);
    }
    await progress({
      progress: fraction(tally.counts.listed, expected),
      progressText: `${plural(tally.counts.pages, "page")} done, ${plural(tally.counts.listed, "image")} read`,
      counts: tally.counts,
      result: tally.summary(),
    });
  }
  await endDateUnseen(db, machineSpec, providerId, tally, now());
  const summary = tally.summary(true);
  await progress({
    progress: 1,
    progressText: `${plural(tally.counts.imported, "image")} imported (${tally.counts.skipped} skipped)`,
    counts: tally.counts,
    result: summary,
  });
  return summary;
}
