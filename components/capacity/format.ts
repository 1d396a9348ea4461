// Amounts of a resource class the way people read them (no I/O, usable on server and client).
import { formatCount } from "@/lib/domain/format";

/** MEMORY_MB in GiB above 1 GiB, DISK_GB in GB, everything else as a count. */
export function formatClassAmount(resourceClass: string, n: number): string {
  if (!Number.isFinite(n)) return "unlimited";
  if (resourceClass === "MEMORY_MB") return Math.abs(n) >= 1024 ? `${trim(n / 1024)} GiB` : `${n} MiB`;
  if (resourceClass === "DISK_GB") return `${formatCount(n)} GB`;
  return formatCount(n);
}

const trim = (x: number) => (Number.isInteger(x) ? formatCount(x) : x.toFixed(1));

export const CLASS_LABELS: Record<string, string> = { VCPU: "vCPUs", MEMORY_MB: "Memory", DISK_GB: "Disk" };

export const classLabel = (rc: string) => CLASS_LABELS[rc] ?? rc;

export function formatPercent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

/** "3 min ago", "5 h ago", "2 days ago". */
export function formatAge(at: Date | string, now = new Date()): string {
  const s = Math.max(0, Math.round((now.getTime() - new Date(at).getTime()) / 1000));
  if (s < 60) return "just now";
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  const d = Math.round(s / 86_400);
  return `${d} day${d === 1 ? "" : "s"} ago`;
}
