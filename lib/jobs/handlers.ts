// Every job kind this version of Cloudport can run. Features add their handlers here.
import { registerImportJobHandlers } from "@/lib/imports/jobs";
import { PROVISION_JOB, provisionJobHandler, REMOVE_JOB, removeJobHandler } from "@/lib/accounts/jobs";
import { runCleanupJob, runLaunchJob } from "@/lib/launch/jobs";
import { JOB_KINDS as LAUNCH_JOBS } from "@/lib/launch/service";
import { registerDriftJobHandlers } from "@/lib/drift/jobs";
import { registerQuotaJobHandlers } from "@/lib/quotas/jobs";
import { registerJobHandler } from "./runner";

let registered = false;

export function registerAllJobHandlers(): void {
  if (registered) return;
  registered = true;
  registerJobHandler("noop", async () => ({ ok: true }));
  registerImportJobHandlers();
  registerJobHandler(PROVISION_JOB, provisionJobHandler);
  registerJobHandler(REMOVE_JOB, removeJobHandler);
  registerJobHandler(LAUNCH_JOBS.launch, runLaunchJob);
  registerJobHandler(LAUNCH_JOBS.readiness, runLaunchJob);
  registerJobHandler(LAUNCH_JOBS.cleanup, runCleanupJob);
  registerQuotaJobHandlers(registerJobHandler);
  registerDriftJobHandlers(registerJobHandler);
}
