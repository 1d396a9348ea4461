import { and, eq, isNull } from "drizzle-orm";
import { ActionError } from "@/lib/actions/errors";
import type { Db } from "@/lib/db/client";
import { getProvider } from "@/lib/db/queries/providers";
import { accountSettings, FEDERATED_NEEDS_CREDENTIAL } from "@/lib/providers/connection";
import { accountAppCredentials, machines, sizes } from "@/lib/db/schema";
import { cancelJob, enqueueJob, getJob } from "@/lib/jobs/queue";
import { getLaunchIdentity, getLaunchRunRow, createLaunchRun, updateLaunchRun } from "./queries";
import type { StartRunInput } from "./schemas";
import { isLiveState, type LaunchChoices, type LaunchKind, type LaunchReport } from "./types";

// Starting, repeating, cleaning up and stopping runs. Functions take (db, …) and throw
// ActionError for what a person can fix, so the actions stay thin and tests need no Next.

export const JOB_KINDS = { launch: "launch.test", readiness: "launch.readiness", cleanup: "launch.cleanup" } as const;

const dedupeKey = (runId: number) => `launch-run:${runId}`;

/** Checks the choices against what is imported and provisioned, stores the run and queues its job. */
export async function startLaunchRun(db: Db, userId: number | null, input: StartRunInput): Promise<{ id: number; jobId: string }> {
  const provider = await getProvider(db, input.providerId);
  if (!provider) throw new ActionError("not_found", `There is no provider ${input.providerId}.`);
  // One row, not the provider's every account (10,000 of them on a big cloud).
  const identity = await getLaunchIdentity(db, provider.id, input.identityId);
  if (!identity) {
    const message = `That account is not an active account on ${provider.name}: provision it first (or pick another).`;
    throw new ActionError("invalid_input", message, { identityId: [message] });
  }
  if (accountSettings(provider).federation) {
    // Same words as accountConnection, before a run is stored: no password is derived for federated users.
    const [cred] = await db.select({ id: accountAppCredentials.identityId }).from(accountAppCredentials).where(eq(accountAppCredentials.identityId, identity.id)).limit(1);
    if (!cred) throw new ActionError("invalid_input", FEDERATED_NEEDS_CREDENTIAL, { identityId: [FEDERATED_NEEDS_CREDENTIAL] });
  }
  const [image] = await db
    .select({ name: machines.name })
    .from(machines)
    .where(and(eq(machines.providerId, provider.id), eq(machines.imageId, input.imageId), isNull(machines.endDate)))
    .limit(1);
  if (!image) {
    const message = "That image is not among the imported images any more: import images again.";
    throw new ActionError("invalid_input", message, { imageId: [message] });
  }
  const [size] = await db
    .select({ name: sizes.name })
    .from(sizes)
    .where(and(eq(sizes.providerId, provider.id), eq(sizes.flavorId, input.flavorId), isNull(sizes.endDate)))
    .limit(1);
  if (!size) {
    const message = "That size is not among the imported sizes any more: import sizes again.";
    throw new ActionError("invalid_input", message, { flavorId: [message] });
  }
  const readiness = input.kind === "readiness";
  const choices: LaunchChoices = {
    identityId: identity.id,
    username: identity.username,
    projectName: identity.projectName,
    imageId: input.imageId,
    imageName: image.name,
    flavorId: input.flavorId,
    flavorName: size.name,
    networkId: input.networkId,
    networkName: input.networkName ?? (input.networkId === identity.networkId ? `${identity.projectName}-net` : undefined),
    // A readiness run is the seed's checklist: no key, no user data, always cleaned up.
    ...(readiness ? {} : { publicKey: input.publicKey, userData: input.userData }),
    cleanup: readiness ? "auto" : input.cleanup,
    sshWaitSeconds: input.sshWaitSeconds,
  };
  const run = await createLaunchRun(db, { kind: input.kind, providerId: provider.id, identityId: identity.id, createdBy: userId, choices });
  const { job } = await enqueueJob(db, {
    kind: JOB_KINDS[input.kind],
    providerId: provider.id,
    params: { launchTestId: run.id },
    createdBy: userId,
    dedupeKey: dedupeKey(run.id),
    // A second attempt (after the server running it died) only cleans up.
    maxAttempts: 2,
  });
  await updateLaunchRun(db, run.id, { jobId: job.id });
  return { id: run.id, jobId: job.id };
}

/** Starts a new run with the same choices as an earlier one. */
export async function repeatLaunchRun(db: Db, userId: number | null, runId: number): Promise<{ id: number; jobId: string; providerId: number }> {
  const run = await getLaunchRunRow(db, runId);
  if (!run) throw new ActionError("not_found", `There is no launch test ${runId}.`);
  const c = run.choices as LaunchChoices;
  const started = await startLaunchRun(db, userId, {
    kind: run.kind as LaunchKind,
    providerId: run.providerId,
    identityId: c.identityId,
    imageId: c.imageId,
    flavorId: c.flavorId,
    networkId: c.networkId,
    networkName: c.networkName,
    publicKey: c.publicKey,
    userData: c.userData,
    cleanup: c.cleanup,
    sshWaitSeconds: c.sshWaitSeconds,
  });
  return { ...started, providerId: run.providerId };
}

/** Queues the clean-up of a run whose resources were kept (or whose clean-up was incomplete). */
export async function requestCleanup(db: Db, userId: number | null, runId: number): Promise<{ jobId: string }> {
  const run = await getLaunchRunRow(db, runId);
  if (!run) throw new ActionError("not_found", `There is no launch test ${runId}.`);
  if (isLiveState(run.state)) throw new ActionError("conflict", "The run is still going; it cleans up when it ends. Stop it to clean up now.");
  const state = (run.report as LaunchReport).cleanup?.state;
  if (state !== "pending" && state !== "partial" && state !== "running") {
    throw new ActionError("conflict", "This run has nothing left to clean up.");
  }
  const { job, created } = await enqueueJob(db, {
    kind: JOB_KINDS.cleanup,
    providerId: run.providerId,
    params: { launchTestId: run.id },
    createdBy: userId,
    dedupeKey: dedupeKey(run.id),
    maxAttempts: 2,
  });
  // The run's own job still holds the key (it has stored the outcome, not yet ended), or a
  // clean-up is already queued: following that job as if it were the clean-up would show
  // "cleaning up" while nothing does.
  if (!created && job.kind !== JOB_KINDS.cleanup) {
    throw new ActionError("conflict", "The run's job is still finishing: try the clean-up again in a moment.");
  }
  await updateLaunchRun(db, run.id, { jobId: job.id, report: { ...(run.report as LaunchReport), cleanup: { state: "running" } } });
  return { jobId: job.id };
}

/**
 * Stops a queued or running run. A queued one ends at once; a running one sees the cancel at
 * its next heartbeat and cleans up what it made before it ends.
 */
export async function cancelLaunchRun(db: Db, runId: number): Promise<{ state: string }> {
  const run = await getLaunchRunRow(db, runId);
  if (!run) throw new ActionError("not_found", `There is no launch test ${runId}.`);
  if (!isLiveState(run.state)) throw new ActionError("conflict", `The run has already ended (${run.state}).`);
  const job = run.jobId ? await getJob(db, run.jobId) : undefined;
  if (job) await cancelJob(db, job.id);
  if (run.state === "queued" || !job || job.state === "queued") {
    const now = new Date();
    await updateLaunchRun(db, run.id, { state: "cancelled", result: "Cancelled before it started.", finishedAt: now, durationMs: 0 });
    return { state: "cancelled" };
  }
  return { state: "stopping" };
}
