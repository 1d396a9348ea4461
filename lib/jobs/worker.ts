import { getDb } from "@/lib/db/client";
import { startDriftScheduler } from "@/lib/drift/jobs";
import { startImportScheduler } from "@/lib/imports/scheduler";
import { startLaunchSweeper } from "@/lib/launch/sweeper";
import { registerAllJobHandlers } from "./handlers";
import { startWorker } from "./runner";

let stop: (() => Promise<void>) | undefined;

/**
 * Starts this process's job worker and import scheduler (once); CLOUDPORT_WORKER=0 turns both
 * off for web-only instances.
 */
export function startBackgroundWorker(): void {
  if (stop || process.env.CLOUDPORT_WORKER === "0") return;
  registerAllJobHandlers();
  const stopWorker = startWorker(getDb, { concurrency: Number(process.env.CLOUDPORT_WORKER_CONCURRENCY ?? 2) });
  const stopScheduler = startImportScheduler(getDb, { tickMs: Number(process.env.CLOUDPORT_SCHEDULER_TICK_MS ?? 30_000) });
  // Fails launch runs whose job ended without finishing them, and queues their clean-up.
  const stopSweeper = startLaunchSweeper(getDb, { tickMs: Number(process.env.CLOUDPORT_LAUNCH_SWEEP_MS ?? 60_000) });
  const stopDrift = startDriftScheduler(getDb);
  stop = async () => {
    stopDrift();
    stopScheduler();
    stopSweeper();
    await stopWorker();
  };
  const shutdown = () => {
    void stop?.();
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}
