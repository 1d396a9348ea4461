import { getDb } from "@/lib/db/client";
import { env } from "@/lib/env";
import { startDriftScheduler } from "@/lib/drift/jobs";
import { startEnforcementScheduler } from "@/lib/enforcement/jobs";
import { startLdapScheduler } from "@/lib/ldap/sync";
import { startImportScheduler } from "@/lib/imports/scheduler";
import { startLaunchSweeper } from "@/lib/launch/sweeper";
import { registerAllJobHandlers } from "./handlers";
import { startWorker } from "@/lib/jobs/runner";

let stop: (() => Promise<void>) | undefined;

/**
 * Starts this process's job worker and import scheduler (once); CLOUDPORT_WORKER=0 turns both
 * off for web-only instances.
 */
export function startBackgroundWorker(): void {
  const config = env();
  if (stop || config.CLOUDPORT_WORKER === "0") return;
  registerAllJobHandlers();
  const stopWorker = startWorker(getDb, {
    concurrency: config.CLOUDPORT_WORKER_CONCURRENCY,
    interactiveConcurrency: config.CLOUDPORT_INTERACTIVE_CONCURRENCY,
  });
  const stopScheduler = startImportScheduler(getDb, { tickMs: config.CLOUDPORT_SCHEDULER_TICK_MS });
  // Fails launch runs whose job ended without finishing them, and queues their clean-up.
  const stopSweeper = startLaunchSweeper(getDb, { tickMs: config.CLOUDPORT_LAUNCH_SWEEP_MS });
  const stopDrift = startDriftScheduler(getDb);
  const stopEnforcement = startEnforcementScheduler(getDb, config.CLOUDPORT_ENFORCEMENT_TICK_MS);
  // Provisions new members of LDAP groups set to sync (never removes anybody).
  const stopLdap = startLdapScheduler(getDb);
  stop = async () => {
    stopLdap();
    stopEnforcement();
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
