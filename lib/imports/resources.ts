// What can be imported, shared by the importers, the scheduler and the UI (no I/O here).
import { plural } from "@/lib/domain/format";

// In "Import all" order: instances read sizes for their vCPUs, members belong to images.
export const IMPORT_RESOURCES = ["sizes", "machines", "members", "instances", "volumes"] as const;
export type ImportResource = (typeof IMPORT_RESOURCES)[number];

export const IMPORT_KINDS = {
  sizes: "import.sizes",
  machines: "import.machines",
  members: "import.members",
  instances: "import.instances",
  volumes: "import.volumes",
} as const satisfies Record<ImportResource, string>;
export type ImportKind = (typeof IMPORT_KINDS)[ImportResource];

export const IMPORT_KIND_LIST: ImportKind[] = IMPORT_RESOURCES.map((r) => IMPORT_KINDS[r]);

/** People call machines "images"; the table keeps Atmosphere's name. */
export const RESOURCE_LABELS: Record<ImportResource, string> = {
  sizes: "Sizes",
  machines: "Images",
  members: "Image members",
  instances: "Instances",
  volumes: "Volumes",
};

/**
 * Atmosphere's resync intervals (instances 15 min, sizes 30 min, images daily, volumes 30 min),
 * and image members hourly: Glance does not change an image's updated_at when its members
 * change, so members are re-read on their own clock.
 */
export const DEFAULT_INTERVAL_SECONDS: Record<ImportResource, number> = {
  sizes: 30 * 60,
  machines: 24 * 60 * 60,
  members: 60 * 60,
  instances: 15 * 60,
  volumes: 30 * 60,
};

export const INTERVAL_UNITS = { minutes: 60, hours: 3600, days: 86_400 } as const;
export type IntervalUnit = keyof typeof INTERVAL_UNITS;

/** The largest unit that expresses an interval exactly, for the form's initial values. */
export function splitInterval(seconds: number): { every: number; unit: IntervalUnit } {
  if (seconds % INTERVAL_UNITS.days === 0) return { every: seconds / INTERVAL_UNITS.days, unit: "days" };
  if (seconds % INTERVAL_UNITS.hours === 0) return { every: seconds / INTERVAL_UNITS.hours, unit: "hours" };
  return { every: Math.round((seconds / 60) * 100) / 100, unit: "minutes" };
}

export const MIN_INTERVAL_SECONDS = 5 * 60;
export const MAX_INTERVAL_SECONDS = 7 * 24 * 60 * 60;

/** The dedupe key that keeps one resource of one provider from importing twice at once. */
export function importDedupeKey(resource: ImportResource, providerId: number): string {
  return `import:${resource}:${providerId}`;
}

export function resourceOfKind(kind: string): ImportResource | undefined {
  return IMPORT_RESOURCES.find((r) => IMPORT_KINDS[r] === kind);
}

export function isImportResource(value: string): value is ImportResource {
  return (IMPORT_RESOURCES as readonly string[]).includes(value);
}

/** What a run found, stored in the job's counts as it goes. */
export type ImportCounts = {
  /** Items the cloud listed (before filtering out what is not imported). */
  listed: number;
  /** Items that passed the filters and were written. */
  imported: number;
  added: number;
  updated: number;
  unchanged: number;
  /** End-dated rows that reappeared and were brought back. */
  restored: number;
  endDated: number;
  /** Listed but not imported (images: not active, kernel/ramdisk, snapshots). */
  skipped: number;
  pages: number;
  /** Instances only: status-history segments opened. */
  statusChanges?: number;
  /** Images: member lists read for new shared images after the image rows, and how long that took. */
  membersFetched?: number;
  memberSeconds?: number;
  /** Images only: time spent writing the image rows (listing and database), without the member step. */
  rowSeconds?: number;
};

export type ImportNames = { added: string[]; updated: string[]; restored: string[]; endDated: string[] };

/** The job's result: counts and the names of what changed, capped (see NAME_CAP). */
export type ImportSummary = {
  resource: ImportResource;
  runId: string;
  counts: ImportCounts;
  names: ImportNames;
  /** True for a list that hit the cap; the counts stay exact. */
  truncated: Partial<Record<keyof ImportNames, boolean>>;
  startedAt: string;
  finishedAt?: string;
};

export const NAME_CAP = 200;

/** Minutes/hours/days text for an interval, e.g. 900 → "15 min", 86400 → "1 day". */
export function formatInterval(seconds: number): string {
  if (seconds % 86_400 === 0) return plural(seconds / 86_400, "day");
  if (seconds % 3600 === 0) return plural(seconds / 3600, "hour");
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** "5 added · 1 updated · 2 end-dated" — only the non-zero changes, or "no changes". */
export function formatCounts(c: Partial<ImportCounts> | null | undefined): string {
  if (!c) return "—";
  const parts: string[] = [];
  if (c.added) parts.push(`${c.added} added`);
  if (c.updated) parts.push(`${c.updated} updated`);
  if (c.restored) parts.push(`${c.restored} restored`);
  if (c.endDated) parts.push(`${c.endDated} end-dated`);
  if (c.unchanged) parts.push(`${c.unchanged} unchanged`);
  return parts.length ? parts.join(" · ") : "no changes";
}
