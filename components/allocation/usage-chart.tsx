import { formatAmount, seriesValueAt, type CountingWindow, type Grant, type UsagePoint } from "@/lib/domain/allocation";
import { formatDateTime } from "@/lib/utils";

const W = 720;
const H = 280;
const M = { left: 60, right: 20, top: 18, bottom: 34 };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** 1, 2 or 5 × 10^n at or above x: round numbers for the axis. */
function niceStep(x: number): number {
  const p = 10 ** Math.floor(Math.log10(x));
  const f = x / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

function dayLabel(t: number, withYear: boolean): string {
  const d = new Date(t);
  return withYear ? `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}` : `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
}

/** Credit in force at t: every grant made at or before t. */
function creditAt(grants: readonly Grant[], t: number): number {
  return grants.reduce((s, g) => (g.at.getTime() <= t ? s + g.amount : s), 0);
}

export type UsageChartProps = {
  username: string;
  unit: string;
  window: CountingWindow;
  series: UsagePoint[];
  grants: Grant[];
  credits: number;
  usage: number;
  burnRatePerHour: number;
  runsOutAt: Date | null;
};

/**
 * Cumulative usage across the counting window against the credit line, with the projection at
 * the current burn rate to the window's reset. Inline SVG; the numbers are also in the label
 * and in a table for screen readers.
 */
export function UsageChart(props: UsageChartProps) {
  const { username, unit, window, series, grants, credits, usage, burnRatePerHour, runsOutAt } = props;
  const x0 = window.start.getTime();
  const now = window.end.getTime();
  const x1 = Math.max(window.resetsAt ? window.resetsAt.getTime() : now, x0 + HOUR);
  // The axis is sized on credit and usage; the projection is cut where it leaves the chart.
  const top = Math.max(credits, usage, 1) * 1.2;
  const step = niceStep(top / 4);
  const yMax = step * Math.ceil(top / step);
  let projection: { t: number; v: number } | null = null;
  if (window.resetsAt && burnRatePerHour > 0) {
    const t = Math.min(x1, now + ((yMax - usage) / burnRatePerHour) * HOUR);
    if (t > now) projection = { t, v: usage + (burnRatePerHour * (t - now)) / HOUR };
  }
  const px = (t: number) => M.left + ((t - x0) / (x1 - x0)) * (W - M.left - M.right);
  const py = (v: number) => H - M.bottom - (v / yMax) * (H - M.top - M.bottom);

  const usagePath = series.map((p, i) => `${i ? "L" : "M"}${px(p.at.getTime()).toFixed(1)},${py(p.usage).toFixed(1)}`).join(" ");
  let creditPath = `M${px(x0).toFixed(1)},${py(creditAt(grants, x0)).toFixed(1)}`;
  let level = creditAt(grants, x0);
  for (const g of grants) {
    const t = g.at.getTime();
    if (t <= x0) continue;
    level += g.amount;
    creditPath += ` H${px(t).toFixed(1)} V${py(level).toFixed(1)}`;
  }
  creditPath += ` H${px(x1).toFixed(1)}`;

  const yTicks: number[] = [];
  for (let v = 0; v <= yMax + 1e-9; v += step) yTicks.push(v);
  const spanDays = (x1 - x0) / DAY;
  const xTicks = Array.from({ length: 5 }, (_, i) => x0 + ((x1 - x0) * i) / 4);
  const runOut = runsOutAt && runsOutAt.getTime() >= now && runsOutAt.getTime() <= x1 ? runsOutAt.getTime() : null;

  const share = credits > 0 ? `${Math.round((usage / credits) * 100)}%` : "no credit";
  const label =
    `Cumulative usage of ${username} from ${formatDateTime(window.start)} to now (${formatDateTime(window.end)}): ` +
    `${formatAmount(usage)} of ${formatAmount(credits)} ${unit} of credit used (${share}); ` +
    `burning ${formatAmount(burnRatePerHour)} ${unit} per hour` +
    (runsOutAt ? (usage >= credits ? "; the credit is used up." : `; runs out ${formatDateTime(runsOutAt)}.`) : "; not running out at this rate.");

  // A reading a day for a month-long window, about 24 readings for longer ones.
  const sampleStep = spanDays <= 62 ? DAY : Math.ceil((now - x0) / 24 / DAY) * DAY;
  const samples: number[] = [];
  for (let t = x0; t < now; t += sampleStep) samples.push(t);
  samples.push(now);

  return (
    <figure className="grid gap-2">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} className="h-auto w-full" data-testid="usage-chart">
        {yTicks.map((v) => (
          <g key={`y${v}`}>
            <line x1={M.left} x2={W - M.right} y1={py(v)} y2={py(v)} className="stroke-slate-200" strokeWidth={1} />
            <text x={M.left - 8} y={py(v) + 4} textAnchor="end" className="fill-slate-500 text-[11px]">
              {formatAmount(v)}
            </text>
          </g>
        ))}
        {xTicks.map((t) => (
          <text key={`x${t}`} x={px(t)} y={H - M.bottom + 18} textAnchor="middle" className="fill-slate-500 text-[11px]">
            {dayLabel(t, spanDays > 400)}
          </text>
        ))}
        <line x1={px(now)} x2={px(now)} y1={M.top} y2={H - M.bottom} className="stroke-slate-400" strokeDasharray="2 3" />
        <text x={px(now) + 4} y={M.top + 10} className="fill-slate-500 text-[11px]">
          now
        </text>
        <path d={creditPath} fill="none" className="stroke-emerald-600" strokeWidth={2} strokeDasharray="6 4" data-testid="credit-line" />
        {projection !== null ? (
          <line
            x1={px(now)}
            y1={py(usage)}
            x2={px(projection.t)}
            y2={py(projection.v)}
            className="stroke-brand-500"
            strokeWidth={1.5}
            strokeDasharray="3 3"
            data-testid="projection-line"
          />
        ) : null}
        <path d={usagePath} fill="none" className="stroke-brand-600" strokeWidth={2.5} strokeLinejoin="round" data-testid="usage-line" />
        {runOut !== null ? (
          <g>
            <line x1={px(runOut)} x2={px(runOut)} y1={M.top} y2={H - M.bottom} className="stroke-red-500" strokeDasharray="4 3" />
            <text
              x={px(runOut) > W - 90 ? px(runOut) - 4 : px(runOut) + 4}
              y={M.top + 26}
              textAnchor={px(runOut) > W - 90 ? "end" : "start"}
              className="fill-red-700 text-[11px]"
            >
              runs out
            </text>
          </g>
        ) : null}
        <text x={W - M.right} y={Math.max(py(credits) - 6, M.top + 10)} textAnchor="end" className="fill-emerald-700 text-[11px] font-medium">
          credit {formatAmount(credits)}
        </text>
      </svg>
      <figcaption className="text-sm text-slate-600">
        <span className="mr-4 inline-flex items-center gap-1.5">
          <span aria-hidden className="inline-block h-0.5 w-5 bg-brand-600" /> cumulative usage ({unit})
        </span>
        <span className="mr-4 inline-flex items-center gap-1.5">
          <span aria-hidden className="inline-block w-5 border-t-2 border-dashed border-emerald-600" /> credit
        </span>
        {projection !== null ? (
          <span className="inline-flex items-center gap-1.5">
            <span aria-hidden className="inline-block w-5 border-t border-dashed border-brand-500" /> at the current burn rate
          </span>
        ) : null}
      </figcaption>
      <table className="sr-only">
        <caption>Cumulative usage and credit of {username}, {unit}</caption>
        <thead>
          <tr>
            <th scope="col">Time (UTC)</th>
            <th scope="col">Usage</th>
            <th scope="col">Credit</th>
          </tr>
        </thead>
        <tbody>
          {samples.map((t) => (
            <tr key={t}>
              <td>{formatDateTime(new Date(t))}</td>
              <td>{formatAmount(seriesValueAt(series, new Date(t)))}</td>
              <td>{formatAmount(creditAt(grants, t))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
