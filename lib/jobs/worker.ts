import { getDb } from "@/lib/db/client";
import { registerAllJobHandlers } from "./handlers";
import { startWorker } from "./runner";

let stop: (() => Promise<void>) | undefined;

/** Starts this process's job worker (once); CLOUDPORT_WORKER=0 turns it off for web-only instances. */
export function startBackgroundWorker(): void {
  if (stop || process.env.CLOUDPORT_WORKER === "0") return;
  registerAllJobHandlers();
  stop = startWorker(getDb, { concurrency: Number(process.env.CLOUDPORT_WORKER_CONCURRENCY ?? 2) });
  const shutdown = () => {
    void stop?.();
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}
