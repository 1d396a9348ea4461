import { cn } from "@/lib/utils";
import { classLabel, formatClassAmount, formatPercent } from "./format";

/** Used against usable of one class; the text carries the numbers for everyone. */
export function CapacityBar({
  resourceClass,
  used,
  usable,
  compact,
}: {
  resourceClass: string;
  used: number;
  usable: number;
  compact?: boolean;
}) {
  const fraction = usable > 0 ? used / usable : used > 0 ? 1 : 0;
  const tone = fraction >= 0.9 ? "bg-red-500" : fraction >= 0.75 ? "bg-amber-500" : "bg-brand-500";
  const label = `${classLabel(resourceClass)}: ${formatClassAmount(resourceClass, used)} of ${formatClassAmount(resourceClass, usable)} used (${formatPercent(fraction)})`;
  return (
    <div className="grid gap-1" data-class={resourceClass}>
      <div className="flex justify-between gap-2 text-xs">
        <span className="font-medium text-slate-700">{classLabel(resourceClass)}</span>
        <span className="tabular-nums text-slate-600">
          {formatClassAmount(resourceClass, used)} / {formatClassAmount(resourceClass, usable)}
          {compact ? "" : ` · ${formatPercent(fraction)}`}
        </span>
      </div>
      <div
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={usable}
        aria-valuenow={Math.min(used, usable)}
        className="h-2 overflow-hidden rounded-full bg-slate-200"
      >
        <div className={cn("h-full rounded-full", tone)} style={{ width: `${Math.min(fraction, 1) * 100}%` }} />
      </div>
    </div>
  );
}
