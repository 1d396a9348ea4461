import { cn } from "@/lib/utils";

/** Share of the credit used, as a number (Infinity when there is usage but no credit). */
export function usedShare(usage: number, credits: number): number {
  if (credits > 0) return usage / credits;
  return usage > 0 ? Infinity : 0;
}

export function formatShare(share: number): string {
  if (!Number.isFinite(share)) return "no credit";
  return `${Math.round(share * 100)}%`;
}

/** A bar of usage against credit; the text beside it carries the number for everyone. */
export function UsageBar({ usage, credits, className }: { usage: number; credits: number; className?: string }) {
  const share = usedShare(usage, credits);
  const width = Number.isFinite(share) ? Math.min(share, 1) * 100 : 100;
  const tone = share >= 1 ? "bg-red-500" : share >= 0.75 ? "bg-amber-500" : "bg-brand-500";
  return (
    <div className={cn("usage-bar", className)}>
      <div aria-hidden className="h-2 w-28 overflow-hidden rounded-full bg-slate-200">
        <div className={cn("h-full rounded-full", tone)} style={{ width: `${width}%` }} />
      </div>
      <span className={cn("text-xs tabular-nums", share >= 1 ? "font-medium text-red-700" : "text-slate-600")}>{formatShare(share)}</span>
    </div>
  );
}
