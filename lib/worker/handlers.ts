// Every job kind this version of Cloudport can run: the worker is the composition root that
// knows every feature; lib/jobs (the queue) knows none. Features add one line here.
import { registerImportJobHandlers } from "@/lib/imports/jobs";
import { registerCapacityJobHandlers } from "@/lib/capacity/jobs";
import { PROVISION_JOB, provisionJobHandler, REMOVE_JOB, removeJobHandler } from "@/lib/accounts/jobs";
import { runCleanupJob, runLaunchJob } from "@/lib/launch/jobs";
import { JOB_KINDS as LAUNCH_JOBS } from "@/lib/launch/service";
import { registerJobHandler } from "@/lib/jobs/runner";
import { registerDriftJobHandlers } from "@/lib/drift/jobs";
import { registerQuotaJobHandlers } from "@/lib/quotas/jobs";
import { registerEnforcementJobHandlers } from "@/lib/enforcement/jobs";
import { registerLdapJobHandlers } from "@/lib/ldap/sync";

let registered = false;

export function registerAllJobHandlers(): void {
  if (registered) return;
  registered = true;
  registerJobHandler("noop", async () => ({ ok: true }));
  registerImportJobHandlers();
  registerCapacityJobHandlers();
  registerJobHandler(PROVISION_JOB, provisionJobHandler);
  registerJobHandler(REMOVE_JOB, removeJobHandler);
  registerJobHandler(LAUNCH_JOBS.launch, runLaunchJob);
  registerJobHandler(LAUNCH_JOBS.readiness, runLaunchJob);
  registerJobHandler(LAUNCH_JOBS.cleanup, runCleanupJob);
  registerQuotaJobHandlers(registerJobHandler);
  registerDriftJobHandlers(registerJobHandler);
  registerEnforcementJobHandlers(registerJobHandler);
  registerLdapJobHandlers(registerJobHandler);
}
