import { formatAmount } from "@/lib/domain/allocation";

export type MonthlyBar = { month: string; parts: Array<{ key: string; value: number }> };

const W = 720;
const H = 260;
const M = { left: 64, right: 16, top: 16, bottom: 30 };
const COLORS = ["#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#0ea5e9", "#84cc16", "#f97316"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function niceStep(x: number): number {
  const p = 10 ** Math.floor(Math.log10(x));
  const f = x / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

const monthLabel = (m: string) => `${MONTHS[Number(m.slice(5, 7)) - 1]} ${m.slice(0, 4)}`;

/** Every month key from `from` to `to` (inclusive), so empty months still get a slot. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  while (`${y}-${String(m).padStart(2, "0")}` <= to && out.length < 240) {
    out.push(`${y}-${String(m).padStart(2, "0")}`);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

/** SUs by month, stacked by SU type (or any key). Inline SVG, with the numbers in a table for screen readers. */
export function MonthlyChart({ bars, keys, unit, title }: { bars: MonthlyBar[]; keys: string[]; unit: string; title: string }) {
  const totals = bars.map((b) => b.parts.reduce((s, p) => s + p.value, 0));
  const top = Math.max(1, ...totals) * 1.1;
  const step = niceStep(top / 4);
  const yMax = step * Math.ceil(top / step);
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const slot = plotW / Math.max(1, bars.length);
  const barW = Math.min(60, slot * 0.7);
  const py = (v: number) => H - M.bottom - (v / yMax) * plotH;
  const color = (k: string) => COLORS[keys.indexOf(k) % COLORS.length];
  const ticks: number[] = [];
  for (let v = 0; v <= yMax + 1e-9; v += step) ticks.push(v);

  return (
    <figure className="grid gap-2">
      <svg viewBox={`0 0 ${W} ${H}`} className="h-auto w-full" role="img" aria-label={`${title}: ${bars.map((b, i) => `${monthLabel(b.month)} ${formatAmount(totals[i])}`).join(", ")} ${unit}`}>
        {ticks.map((v) => (
          <g key={v}>
            <line x1={M.left} x2={W - M.right} y1={py(v)} y2={py(v)} stroke="#e2e8f0" />
            <text x={M.left - 6} y={py(v) + 4} textAnchor="end" fontSize="11" fill="#64748b">
              {formatAmount(v)}
            </text>
          </g>
        ))}
        {bars.map((b, i) => {
          const x = M.left + i * slot + (slot - barW) / 2;
          let acc = 0;
          return (
            <g key={b.month} data-month={b.month}>
              {keys.map((k) => {
                const value = b.parts.find((p) => p.key === k)?.value ?? 0;
                if (value <= 0) return null;
                const y0 = py(acc);
                acc += value;
                const y1 = py(acc);
                return (
                  <rect key={k} x={x} y={y1} width={barW} height={Math.max(0, y0 - y1)} fill={color(k)}>
                    <title>{`${monthLabel(b.month)} · ${k}: ${formatAmount(value)} ${unit}`}</title>
                  </rect>
                );
              })}
              <text x={x + barW / 2} y={H - M.bottom + 16} textAnchor="middle" fontSize="11" fill="#475569">
                {monthLabel(b.month)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="flex flex-wrap gap-4 text-xs text-slate-600">
        {keys.map((k) => (
          <span key={k} className="inline-flex items-center gap-1.5">
            <span aria-hidden className="inline-block h-3 w-3 rounded-sm" style={{ background: color(k) }} />
            {k}
          </span>
        ))}
      </figcaption>
      <table className="sr-only">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Month</th>
            {keys.map((k) => (
              <th key={k} scope="col">
                {k}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {bars.map((b) => (
            <tr key={b.month}>
              <th scope="row">{monthLabel(b.month)}</th>
              {keys.map((k) => (
                <td key={k}>{formatAmount(b.parts.find((p) => p.key === k)?.value ?? 0)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
