import type { Db } from "@/lib/db/client";
import { redactSecrets } from "@/lib/redact";
import { runCapacitySchedulerTick } from "@/lib/capacity/schedule";
import { runSchedulerTick } from "./schedules";

export type SchedulerOptions = { tickMs?: number };

/**
 * Ticks the import scheduler in this process; returns a stop function. Every app instance may
 * run one: claiming a due schedule is one atomic UPDATE, so no schedule runs twice.
 */
export function startImportScheduler(getDb: () => Promise<Db>, options: SchedulerOptions = {}): () => void {
  const tickMs = options.tickMs ?? 30_000;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = async () => {
    if (stopped) return;
    try {
      await runSchedulerTick(await getDb());
    } catch (error) {
      console.error(`[imports] scheduler tick failed: ${redactSecrets(error instanceof Error ? error.message : String(error))}`);
    }
    try {
      // Capacity snapshots share the schedules table and this loop (lib/capacity/schedule.ts).
      await runCapacitySchedulerTick(await getDb());
    } catch (error) {
      console.error(`[capacity] scheduler tick failed: ${redactSecrets(error instanceof Error ? error.message : String(error))}`);
    }
    if (!stopped) timer = setTimeout(tick, tickMs);
  };
  // A little after start-up, so migrations and the worker come first.
  timer = setTimeout(tick, Math.min(tickMs, 5_000));
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
