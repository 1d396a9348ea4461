import { chartRows, formatDuration } from "@/lib/launch/timeline";
import type { Step, StepStatus } from "@/lib/launch/types";
import { cn } from "@/lib/utils";

const BAR: Record<StepStatus, string> = {
  pass: "bg-emerald-500",
  warn: "bg-amber-400",
  fail: "bg-red-500",
  skip: "bg-slate-300",
  running: "bg-brand-500 animate-pulse",
};
// Server phases are one bar per status/task state; tinted so they read as one stretch.
const SERVER_BAR: Partial<Record<StepStatus, string>> = { pass: "bg-sky-500" };

const GROUP_LABEL: Record<Step["group"], string> = {
  setup: "Setup",
  server: "Server",
  network: "Network",
  checks: "Checks",
  volume: "Volume",
  cleanup: "Clean-up",
};

/**
 * The run as a Gantt chart: one row per step or server phase, bars on one time axis, each
 * with its duration. Plain CSS (no chart library); the list is what screen readers get.
 */
export function TimelineChart({ steps, now }: { steps: Step[]; now: Date }) {
  const { rows, totalMs } = chartRows(steps, now);
  if (rows.length === 0) return <p className="text-sm text-slate-500">Waiting for the run to start…</p>;
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return (
    <figure className="grid gap-1">
      <div className="ml-[13rem] mr-[4.5rem] flex justify-between text-[10px] text-slate-400" aria-hidden>
        {ticks.map((t) => (
          // The server renders with its clock, the browser with its own: open runs differ by a tick.
          <span key={t} suppressHydrationWarning>
            {formatDuration(totalMs * t)}
          </span>
        ))}
      </div>
      <ol aria-label="Timeline" className="grid gap-1">
        {rows.map((r, i) => {
          const prevGroup = i > 0 ? rows[i - 1].group : null;
          return (
            <li key={r.id} data-status={r.status} className="grid grid-cols-[13rem_1fr_4.5rem] items-center gap-0 text-xs">
              <span className="truncate pr-2 text-slate-700" title={r.label}>
                {r.group !== prevGroup ? <span className="mr-1 text-[10px] uppercase tracking-wide text-slate-400">{GROUP_LABEL[r.group]}</span> : null}
                <span className={cn(r.group === "server" && "font-mono", r.status === "fail" && "font-semibold text-red-700")}>{r.label}</span>
              </span>
              <span className="relative h-4 rounded bg-slate-100">
                <span
                  suppressHydrationWarning
                  className={cn("absolute top-0 h-4 rounded", (r.group === "server" && SERVER_BAR[r.status]) || BAR[r.status])}
                  style={{ left: `${Math.min(r.left, 99.5)}%`, width: `max(${r.width}%, 3px)` }}
                />
              </span>
              <span className="pl-2 text-right tabular-nums text-slate-600" suppressHydrationWarning>
                <span className="sr-only">{r.status}, </span>
                {formatDuration(r.durationMs)}
                {r.open ? "…" : ""}
              </span>
            </li>
          );
        })}
      </ol>
      <figcaption className="mt-1 flex flex-wrap gap-3 text-[11px] text-slate-500">
        <span suppressHydrationWarning>Total {formatDuration(totalMs)}</span>
        {(["pass", "warn", "fail", "running"] as const).map((s) => (
          <span key={s} className="inline-flex items-center gap-1">
            <span className={cn("inline-block h-2 w-3 rounded", BAR[s])} aria-hidden />
            {s === "pass" ? "passed" : s === "warn" ? "warning" : s === "fail" ? "failed" : "running"}
          </span>
        ))}
        <span className="inline-flex items-center gap-1">
          <span className="inline-block h-2 w-3 rounded bg-sky-500" aria-hidden />
          server status / task state
        </span>
      </figcaption>
    </figure>
  );
}
