import {
  groupVarsLines,
  hostnameCollisions,
  hostsFileLineCount,
  hostsFileLines,
  inventoryProblem,
  PAGE_WALK_LIMIT,
  poolCount,
  takeLines,
  zoneFileLineCount,
  zoneFileLines,
  UnsafeTextError,
  type GroupVars,
  type InventorySource,
} from "./generate";

// What the inventory page shows of the files: the first lines of each and their sizes. Every
// walk here is bounded (first `lines` lines, at most PAGE_WALK_LIMIT addresses), so a /8 pool
// (16,777,216 addresses) renders as fast as a /24; the download streams the whole file.

export type InventoryPreview = {
  /** Why the files cannot be generated (hostname format, names with line breaks), or null. */
  problem: string | null;
  addresses: number;
  collisions: { count: number; examples: string[]; scanned: number; partial: boolean };
  hosts: { lines: string[]; total: number } | null;
  zone: { lines: string[]; total: number } | null;
  groupVars: { lines: string[]; total: number };
};

export function inventoryPreview(source: InventorySource, groupVars: GroupVars, opts: { origin?: string; lines?: number } = {}): InventoryPreview {
  const n = opts.lines ?? 20;
  const problem = inventoryProblem(source, { origin: opts.origin });
  let gv: string[] = [];
  try {
    gv = [...groupVarsLines(source, groupVars)];
  } catch (error) {
    if (!(error instanceof UnsafeTextError)) throw error;
  }
  const groupVarsPreview = { lines: gv.slice(0, n), total: gv.length };
  const addresses = poolCount(source.pools);
  if (problem) return { problem, addresses, collisions: { count: 0, examples: [], scanned: 0, partial: false }, hosts: null, zone: null, groupVars: groupVarsPreview };
  return {
    problem: null,
    addresses,
    collisions: hostnameCollisions(source.hostnameFormat, source.pools, 3, PAGE_WALK_LIMIT),
    hosts: { lines: takeLines(hostsFileLines(source), n).lines, total: hostsFileLineCount(source) },
    zone: { lines: takeLines(zoneFileLines(source, { origin: opts.origin, maxAddresses: PAGE_WALK_LIMIT }), n).lines, total: zoneFileLineCount(source, { origin: opts.origin }) },
    groupVars: groupVarsPreview,
  };
}
