import { groupVarsFileName, groupVarsLines, hostsFileLines, inventoryGroupName, normalizeOrigin, originProblem, zoneFileLines, type GroupVars, type InventorySource } from "./generate";
import type { TarFile } from "./stream";

// Which files the inventory export offers, their names and their lines. Pure.

export const INVENTORY_FILES = ["hosts", "group_vars", "zone", "tar"] as const;
export type InventoryFile = (typeof INVENTORY_FILES)[number];

export function isInventoryFile(v: string | null | undefined): v is InventoryFile {
  return (INVENTORY_FILES as readonly string[]).includes(v ?? "");
}

/** The download name of each file. */
export function inventoryFileName(file: InventoryFile, providerName: string): string {
  const group = inventoryGroupName(providerName);
  switch (file) {
    case "hosts":
      return "hosts";
    case "group_vars":
      return groupVarsFileName(providerName);
    case "zone":
      return `${group}.zone`;
    case "tar":
      return `${group}-inventory.tar`;
  }
}

/** The archive's layout mirrors atmosphere-ansible's repository, plus the DNS snippet. */
export function inventoryTarFiles(src: InventorySource, vars: GroupVars, opts: { origin?: string; mtime?: Date } = {}): TarFile[] {
  const group = inventoryGroupName(src.providerName);
  return [
    { name: "ansible/hosts", lines: () => hostsFileLines(src), mtime: opts.mtime },
    { name: `ansible/group_vars/${groupVarsFileName(src.providerName)}`, lines: () => groupVarsLines(src, vars), mtime: opts.mtime },
    { name: `dns/${group}.zone`, lines: () => zoneFileLines(src, { origin: opts.origin }), mtime: opts.mtime },
  ];
}

/** The lines of one text file. */
export function inventoryLines(file: Exclude<InventoryFile, "tar">, src: InventorySource, vars: GroupVars, opts: { origin?: string } = {}): Iterable<string> {
  if (file === "hosts") return hostsFileLines(src);
  if (file === "group_vars") return groupVarsLines(src, vars);
  return zoneFileLines(src, opts);
}

/**
 * The query of GET /providers/:id/inventory/download: which file, and the zone origin. An origin
 * that is not a DNS name (a line break, a `$ORIGIN` of its own, spaces) is a 400 with the reason.
 */
export function parseInventoryDownload(
  params: URLSearchParams,
): { ok: true; file: InventoryFile; origin: string | undefined } | { ok: false; status: 400; message: string } {
  const file = params.get("file") ?? "hosts";
  if (!isInventoryFile(file)) return { ok: false, status: 400, message: "Ask for file=hosts, group_vars, zone or tar." };
  const problem = originProblem(params.get("origin"));
  if (problem) return { ok: false, status: 400, message: problem };
  return { ok: true, file, origin: normalizeOrigin(params.get("origin")) };
}
