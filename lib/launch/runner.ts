import type { OpenStackClient } from "@/lib/openstack/client";
import { plural } from "@/lib/domain/format";
import { cleanupResources, cleanupSummary, describeResources, hasResources } from "./cleanup";
import { explanationText } from "./faults";
import { messageOf, StepFailed, type Recorder } from "./recorder";
import { launchSteps, readinessSteps, resourceNames, type RunContext } from "./steps";
import { formatDuration } from "./timeline";
import type { LaunchKind, RunState } from "./types";

// Runs a launch test or a readiness run against the cloud, AS the identity, recording every
// step (steps.ts) and cleaning up (cleanup.ts). No database here: the job handler persists
// what the Recorder reports, and the integration tests run this against the lab directly.

export { describeResources } from "./cleanup";
export { resourceNames, type RunContext, type RunTiming } from "./steps";

export type RunOutcome = { state: Exclude<RunState, "queued" | "running">; result: string; error: string | null };

/** Runs a launch test or readiness run to the end, cleaning up in `finally`. Never throws for cloud failures. */
export async function executeRun(ctx: RunContext): Promise<RunOutcome> {
  const { rec, choices } = ctx;
  const names = resourceNames(ctx.kind, ctx.runId);
  const keep = ctx.kind === "launch" && choices.cleanup === "manual";
  let client: OpenStackClient | null = null;
  let failed: StepFailed | null = null;
  let cancelled = false;
  try {
    client = await rec.run(
      "auth",
      "setup",
      `Sign in as ${choices.username ?? `identity ${choices.identityId}`}${choices.projectName ? ` (project ${choices.projectName})` : ""}`,
      ctx.connect,
      (c) => `Token issued for project ${c.token.project?.name ?? "?"}${c.token.roles.length ? ` with roles ${c.token.roles.map((r) => r.name).join(", ")}` : ""}.`,
    );
    ctx.signal?.throwIfAborted();
    if (ctx.kind === "launch") await launchSteps(ctx, client, names);
    else await readinessSteps(ctx, client, names);
  } catch (error) {
    if (error instanceof StepFailed) failed = error;
    else if (ctx.signal?.aborted) cancelled = true;
    else {
      // A bug or an unexpected failure between steps: still a failed run, still cleaned up.
      const message = messageOf(error);
      const step = rec.start("error", "setup", "Unexpected error");
      rec.finish(step, "fail", message, explanationText(message));
      failed = new StepFailed(message, step);
    }
  } finally {
    // Close what is still running (e.g. a phase interrupted by a cancel).
    for (const s of rec.steps) if (s.status === "running") rec.finish(s, cancelled ? "skip" : "fail", cancelled ? "Cancelled." : undefined);
    const anything = hasResources(rec.report.resources);
    if (client && anything && (!keep || failed || cancelled)) {
      await cleanupResources(client, rec, names, ctx.timing);
    } else if (anything && keep && !failed && !cancelled) {
      rec.patch({ cleanup: { state: "pending", message: "Kept on request: clean up from this page when you are done." } });
    } else if (!rec.report.cleanup) {
      rec.patch({ cleanup: { state: "not_needed" } });
    }
    await client?.close();
  }
  const warnings = rec.steps.filter((s) => s.status === "warn").length;
  rec.patch({ warnings });
  await rec.flush();
  if (cancelled) return { state: "cancelled", result: `Cancelled · ${cleanupSummary(rec)}`, error: null };
  if (failed) {
    const why = failed.message.length > 140 ? `${failed.message.slice(0, 139)}…` : failed.message;
    return { state: "failed", result: `Failed at “${failed.step.label}”: ${why} · ${cleanupSummary(rec)}`, error: failed.message };
  }
  return { state: "passed", result: passSummary(ctx.kind, rec, warnings), error: null };
}

/** Cleans up what a kept (manual) run left, or what an interrupted run recorded. */
export async function executeCleanup(ctx: Pick<RunContext, "runId" | "kind" | "connect" | "rec" | "timing">): Promise<{ ok: boolean; summary: string }> {
  const names = resourceNames(ctx.kind, ctx.runId);
  if (!hasResources(ctx.rec.report.resources)) {
    ctx.rec.patch({ cleanup: { state: "not_needed" } });
    await ctx.rec.flush();
    return { ok: true, summary: cleanupSummary(ctx.rec) };
  }
  let client: OpenStackClient | null = null;
  try {
    client = await ctx.rec.run("cleanup.auth", "cleanup", "Sign in again to clean up", ctx.connect);
    await cleanupResources(client, ctx.rec, names, ctx.timing);
  } catch (error) {
    if (!(error instanceof StepFailed)) throw error;
    ctx.rec.patch({ cleanup: { state: "partial", at: ctx.rec.now(), leftBehind: describeResources(ctx.rec.report.resources ?? {}), message: error.message } });
  } finally {
    await client?.close();
  }
  await ctx.rec.flush();
  return { ok: ctx.rec.report.cleanup?.state === "done", summary: cleanupSummary(ctx.rec) };
}

function passSummary(kind: LaunchKind, rec: Recorder, warnings: number): string {
  const parts = [`ACTIVE in ${formatDuration(rec.report.activeAfterMs)}`];
  if (rec.report.resources?.floatingIp || rec.steps.some((s) => s.id.startsWith("fip.allocate"))) {
    const ip = rec.steps.find((s) => s.id.startsWith("fip.allocate"))?.message?.replace(/^Got |\.$/g, "");
    if (ip) parts.push(ip);
  }
  if (kind === "launch" && rec.report.hostname) parts.push(rec.report.hostname);
  if (kind === "readiness") parts.push(rec.report.blockStorage ? "volume create/attach/detach/delete passed" : "no block storage");
  if (warnings) parts.push(plural(warnings, "warning"));
  parts.push(cleanupSummary(rec));
  return parts.join(" · ");
}
