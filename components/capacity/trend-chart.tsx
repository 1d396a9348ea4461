import type { FullIn, TrendPoint } from "@/lib/domain/capacity";
import { classLabel, formatClassAmount } from "./format";

const W = 320;
const H = 110;
const PAD = { l: 4, r: 4, t: 8, b: 16 };

/** The "full in about N days" sentence for a class. */
export function fullInText(f: FullIn): string {
  switch (f.kind) {
    case "full":
      return "Full now.";
    case "not-growing":
      return "Not growing over the last 30 days.";
    case "unknown":
      return "Not enough snapshots yet for a trend.";
    case "days":
      return `Full in about ${f.days.toLocaleString("en-US")} day${f.days === 1 ? "" : "s"} at the last 30 days' growth.`;
  }
}

/** Used (line) against usable (dashed) of one class over the last 30 days, as inline SVG. */
export function TrendChart({ resourceClass, points, fullIn }: { resourceClass: string; points: TrendPoint[]; fullIn: FullIn }) {
  const label = classLabel(resourceClass);
  const last = points.at(-1);
  if (points.length === 0) return null;
  const t0 = points[0].at.getTime();
  const t1 = Math.max(points.at(-1)!.at.getTime(), t0 + 1);
  const max = Math.max(1, ...points.map((p) => Math.max(p.used, p.usable)));
  const x = (t: Date) => PAD.l + ((t.getTime() - t0) / (t1 - t0)) * (W - PAD.l - PAD.r);
  const y = (v: number) => PAD.t + (1 - v / max) * (H - PAD.t - PAD.b);
  const line = (pick: (p: TrendPoint) => number) => points.map((p) => `${x(p.at).toFixed(1)},${y(pick(p)).toFixed(1)}`).join(" ");
  return (
    <figure className="grid gap-1 rounded-lg border border-slate-200 bg-white p-3" data-class={resourceClass}>
      <figcaption className="flex justify-between gap-2 text-sm">
        <span className="font-medium text-slate-800">{label}</span>
        {last ? (
          <span className="tabular-nums text-slate-600">
            {formatClassAmount(resourceClass, last.used)} / {formatClassAmount(resourceClass, last.usable)}
          </span>
        ) : null}
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${label} used against usable over the last 30 days`} className="h-28 w-full">
        <polyline points={line((p) => p.usable)} fill="none" stroke="#94a3b8" strokeDasharray="4 3" strokeWidth="1.5" />
        <polyline points={line((p) => p.used)} fill="none" stroke="#2563eb" strokeWidth="2" />
        <text x={PAD.l} y={H - 3} fontSize="9" fill="#64748b">
          {points[0].at.toISOString().slice(0, 10)}
        </text>
        <text x={W - PAD.r} y={H - 3} fontSize="9" fill="#64748b" textAnchor="end">
          {points.at(-1)!.at.toISOString().slice(0, 10)}
        </text>
      </svg>
      <p className="text-xs text-slate-600" data-field="full-in">
        {fullInText(fullIn)}
      </p>
    </figure>
  );
}
