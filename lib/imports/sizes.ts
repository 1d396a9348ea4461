import type { Db } from "@/lib/db/client";
import { sizes } from "@/lib/db/schema";
import type { Flavor, ImportClient } from "./client";
import { DEFAULT_BATCH_SIZE, ImportTally, chunks, fraction, previousListedCount, readAhead, throwIfAborted, type ImportOptions, type ImportProgress } from "./run";
import type { ImportSummary } from "./resources";
import { endDateUnseen, writeBatch, type SyncSpec } from "./sync";
import { plural } from "@/lib/domain/format";

type SizeRow = typeof sizes.$inferInsert;

export const sizeSpec: SyncSpec<typeof sizes> = {
  table: sizes,
  keyColumn: sizes.flavorId,
  key: (r) => r.flavorId,
  fields: ["name", "vcpus", "ramMb", "diskGb", "ephemeralGb", "swapMb", "isPublic", "extraSpecs"],
  label: (r) => r.name,
};

export function sizeRow(providerId: number, f: Flavor, extraSpecs: Record<string, string>): SizeRow {
  return {
    providerId,
    flavorId: f.id,
    name: f.name,
    vcpus: f.vcpus,
    ramMb: f.ramMb,
    diskGb: f.diskGb,
    ephemeralGb: f.ephemeralGb,
    swapMb: f.swapMb,
    isPublic: f.isPublic,
    extraSpecs,
  };
}

/**
 * Imports every flavor (public and private) as a size, keyed by flavor id; flavors gone from
 * the cloud are end-dated, and brought back if they reappear. Nova lists flavors page by page;
 * each page is written in its own transaction.
 */
export async function importSizes(
  db: Db,
  client: ImportClient,
  providerId: number,
  progress: ImportProgress,
  opts: ImportOptions = {},
): Promise<ImportSummary> {
  const now = opts.now ?? (() => new Date());
  const tally = new ImportTally("sizes", opts.runId);
  const expected = await previousListedCount(db, providerId, "sizes");
  await progress({ progress: 0, progressText: "Listing flavors…", counts: tally.counts });
  for await (const page of readAhead(client.compute.flavors.pages({ visibility: "all", limit: opts.pageSize }))) {
    throwIfAborted(opts.signal);
    const seenAt = now();
    tally.counts.pages++;
    tally.counts.listed += page.length;
    const rows: SizeRow[] = [];
    // Below microversion 2.61 the listing has no extra specs: ask for them one flavor at a time.
    for (const f of page) rows.push(sizeRow(providerId, f, f.extraSpecs ?? (await client.compute.flavors.extraSpecs(f.id))));
    for (const batch of chunks(rows, opts.batchSize ?? DEFAULT_BATCH_SIZE)) {
      await writeBatch(db, sizeSpec, providerId, batch, tally, seenAt);
    }
    await progress({
      progress: fraction(tally.counts.listed, expected),
      progressText: `${plural(tally.counts.listed, "flavor")} read`,
      counts: tally.counts,
      result: tally.summary(),
    });
  }
  // Cancelled or taken over while the last page was written: end-date nothing (see machines.ts).
  throwIfAborted(opts.signal);
  await endDateUnseen(db, sizeSpec, providerId, tally, now());
  const summary = tally.summary(true);
  await progress({ progress: 1, progressText: `${plural(tally.counts.imported, "size")} imported`, counts: tally.counts, result: summary });
  return summary;
}
