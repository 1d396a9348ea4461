import type { Step, StepStatus } from "./types";

// Turns stored steps into what the timeline chart draws. Pure.

export type ChartRow = {
  id: string;
  label: string;
  group: Step["group"];
  status: StepStatus;
  startMs: number;
  durationMs: number;
  /** Left edge and width as percentages of the whole run. */
  left: number;
  width: number;
  open: boolean;
};

/** Positions every step on one time axis, from the first start to the last end (or `now` while open). */
export function chartRows(steps: Step[], now: Date = new Date()): { rows: ChartRow[]; totalMs: number } {
  if (steps.length === 0) return { rows: [], totalMs: 0 };
  const t = (iso: string) => new Date(iso).getTime();
  const t0 = Math.min(...steps.map((s) => t(s.startedAt)));
  const ends = steps.map((s) => (s.endedAt ? t(s.endedAt) : Math.max(now.getTime(), t(s.startedAt))));
  const totalMs = Math.max(1, Math.max(...ends) - t0);
  const rows = steps.map((s, i) => {
    const startMs = t(s.startedAt) - t0;
    const durationMs = Math.max(0, ends[i] - t(s.startedAt));
    return {
      id: s.id,
      label: s.label,
      group: s.group,
      status: s.status,
      startMs,
      durationMs,
      left: (startMs / totalMs) * 100,
      width: (durationMs / totalMs) * 100,
      open: s.endedAt === null,
    };
  });
  return { rows, totalMs };
}

/** 850 ms · 12.3 s · 2 min 05 s */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const min = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return s === 60 ? `${min + 1} min 00 s` : `${min} min ${String(s).padStart(2, "0")} s`;
}

/** The label of a server phase: "BUILD · scheduling", or just "ACTIVE". */
export function phaseLabel(status: string, taskState: string | null): string {
  return taskState ? `${status} · ${taskState}` : status;
}

/** Total time spent per server status/task-state phase, in order of first appearance. */
export function phaseDurations(steps: Step[], now: Date = new Date()): Array<{ label: string; ms: number }> {
  const out = new Map<string, number>();
  for (const s of steps) {
    if (s.group !== "server" || !s.serverStatus) continue;
    const end = s.endedAt ? new Date(s.endedAt).getTime() : now.getTime();
    const label = phaseLabel(s.serverStatus, s.taskState ?? null);
    out.set(label, (out.get(label) ?? 0) + Math.max(0, end - new Date(s.startedAt).getTime()));
  }
  return [...out].map(([label, ms]) => ({ label, ms }));
}
