import { ActionError } from "@/lib/actions/errors";
import type { Db } from "@/lib/db/client";
import type { LaunchTest, Provider } from "@/lib/db/schema";
import { env } from "@/lib/env";
import type { JobContext } from "@/lib/jobs/runner";
import { accountConnection, loadProvider, readCloudConfig } from "@/lib/providers/connection";
import { getLaunchRunRow, updateLaunchRun } from "./queries";
import { messageOf, Recorder, type Snapshot } from "./recorder";
import { describeResources, executeCleanup, executeRun, type RunContext } from "./runner";
import type { LaunchChoices, LaunchKind, LaunchReport, Step } from "./types";

// The durable jobs behind launch tests: kind launch.test / launch.readiness run a test,
// launch.cleanup removes what a kept run left. The run's row is updated after every step, so
// the page follows it live and a reload (or another app instance) shows the same timeline.

const EXPECTED_STEPS: Record<LaunchKind, number> = { launch: 11, readiness: 13 };

/** Boot timing from the environment, for slow clouds (and fast tests). */
function timing(): RunContext["timing"] {
  const { CLOUDPORT_LAUNCH_BOOT_TIMEOUT_MS, CLOUDPORT_LAUNCH_POLL_MS } = env();
  return { bootTimeoutMs: CLOUDPORT_LAUNCH_BOOT_TIMEOUT_MS, pollMs: CLOUDPORT_LAUNCH_POLL_MS };
}

function persister(db: Db, run: LaunchTest, job: JobContext) {
  const kind = run.kind as LaunchKind;
  return async (s: Snapshot) => {
    const r = s.report.resources ?? {};
    await updateLaunchRun(db, run.id, {
      timeline: s.steps,
      report: s.report,
      // Kept after clean-up: which server and address the run used.
      ...(r.serverId ? { serverId: r.serverId } : {}),
      ...(r.floatingIp ? { floatingIp: r.floatingIp } : {}),
    });
    const done = s.steps.filter((x) => x.group !== "server" && x.endedAt).length;
    const current = [...s.steps].reverse().find((x) => x.status === "running") ?? s.steps.at(-1);
    try {
      await job.progress({ progress: Math.min(0.95, done / EXPECTED_STEPS[kind]), progressText: current?.label });
    } catch {
      // Cancelled: the clean-up still has to be stored, the job's progress does not.
    }
  };
}

/** How to sign in as the run's identity; a ready error message when that is impossible. */
async function identityConnect(db: Db, run: LaunchTest): Promise<{ connect: RunContext["connect"]; provider: RunContext["provider"] }> {
  const info = (provider: Provider) => {
    const cc = readCloudConfig(provider.cloudConfig);
    return { networkName: provider.networkName, hostnameFormat: cc.deploy.hostname_format, domain: cc.deploy.domain };
  };
  try {
    // Generous: a launch test should report a slow cloud, not give up on it. A removed account
    // still signs in for the clean-up of what its run left.
    const { provider, open } = await accountConnection(db, run.identityId ?? -1, { timeoutMs: 30_000, includeRemoved: true });
    return { provider: info(provider), connect: open };
  } catch (error) {
    if (!(error instanceof ActionError && error.code === "not_found")) throw error;
    const { provider } = await loadProvider(db, run.providerId).catch(() => {
      throw new Error(`Provider ${run.providerId} no longer exists.`);
    });
    return { provider: info(provider), connect: async () => Promise.reject(new Error("The run's account no longer exists.")) };
  }
}

async function finish(db: Db, run: LaunchTest, startedAt: Date, outcome: { state: string; result: string; error: string | null }) {
  const finishedAt = new Date();
  await updateLaunchRun(db, run.id, {
    state: outcome.state,
    result: outcome.result,
    error: outcome.error,
    finishedAt,
    durationMs: finishedAt.getTime() - startedAt.getTime(),
  });
}

/** Handler of launch.test and launch.readiness. */
export async function runLaunchJob(job: JobContext): Promise<unknown> {
  const { db, signal } = job;
  const run = await getLaunchRunRow(db, Number(job.job.params && (job.job.params as Record<string, unknown>).launchTestId));
  if (!run) return { missing: true };
  const snapshot: Snapshot = { steps: (run.timeline ?? []) as Step[], report: (run.report ?? {}) as LaunchReport };

  if (job.job.attempts > 1 || run.state === "running") {
    // The server running it died half-way. Starting over would boot a second server; clean up
    // what the first attempt recorded instead, and say so.
    const rec = new Recorder(persister(db, run, job), snapshot);
    for (const s of rec.steps) if (s.status === "running") rec.finish(s, "fail", "Interrupted: the server running the test stopped.");
    let summary = "nothing to clean up";
    try {
      const { connect } = await identityConnect(db, run);
      summary = (await executeCleanup({ runId: run.id, kind: run.kind as LaunchKind, connect, rec, timing: timing() })).summary;
    } catch (error) {
      summary = `clean-up failed: ${messageOf(error)}`;
    }
    await rec.flush();
    await finish(db, run, run.startedAt, {
      state: "failed",
      result: `Interrupted · ${summary}`,
      error: "Interrupted: the server running this test stopped. What it had created was cleaned up; repeat the run.",
    });
    return { state: "failed", interrupted: true };
  }

  const startedAt = new Date();
  await updateLaunchRun(db, run.id, { state: "running", startedAt });
  const rec = new Recorder(persister(db, run, job));
  let outcome: { state: string; result: string; error: string | null };
  try {
    const { connect, provider } = await identityConnect(db, run);
    outcome = await executeRun({
      runId: run.id,
      kind: run.kind as LaunchKind,
      choices: run.choices as LaunchChoices,
      provider,
      connect,
      rec,
      signal,
      timing: timing(),
    });
  } catch (error) {
    const step = rec.start("setup", "setup", "Prepare the run");
    rec.finish(step, "fail", messageOf(error));
    await rec.flush();
    outcome = { state: "failed", result: `Failed at “Prepare the run”: ${messageOf(error)}`, error: messageOf(error) };
  }
  await finish(db, run, startedAt, outcome);
  return { state: outcome.state };
}

/** Handler of launch.cleanup: removes what a kept run (or an incomplete clean-up) left. */
export async function runCleanupJob(job: JobContext): Promise<unknown> {
  const { db } = job;
  const run = await getLaunchRunRow(db, Number((job.job.params as Record<string, unknown>).launchTestId));
  if (!run) return { missing: true };
  const rec = new Recorder(persister(db, run, job), { steps: (run.timeline ?? []) as Step[], report: (run.report ?? {}) as LaunchReport });
  let connect: RunContext["connect"];
  try {
    ({ connect } = await identityConnect(db, run));
  } catch (error) {
    // requestCleanup marked the clean-up "running": say why it could not start, or the run page
    // would show it running for good (and the resources as gone).
    const message = `Could not start the clean-up: ${messageOf(error)}`;
    rec.patch({ cleanup: { state: "partial", at: rec.now(), leftBehind: describeResources(rec.report.resources ?? {}), message } });
    await rec.flush();
    throw error;
  }
  const { ok, summary } = await executeCleanup({ runId: run.id, kind: run.kind as LaunchKind, connect, rec, timing: timing() });
  const result = run.result ? run.result.replace(/(resources kept until you clean up|clean-up queued|clean-up incomplete \(.*\))$/, summary) : summary;
  await updateLaunchRun(db, run.id, { result });
  return { ok };
}
