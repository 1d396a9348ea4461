"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Repeat2, Square, Trash2 } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { fetchJson, runPollInterval } from "@/components/jobs/polling";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { ActionResult } from "@/lib/actions/errors";
import { formatDuration } from "@/lib/launch/timeline";
import { isLiveState, type Step } from "@/lib/launch/types";
import type { RunView as Run } from "@/lib/launch/view";
import { formatDateTime } from "@/lib/utils";
import { RunStateBadge } from "./state-badge";
import { TimelineChart } from "./timeline-chart";

type RunActions = {
  repeat: (input: { runId: number }) => Promise<ActionResult<{ id: number }>>;
  cleanup: (input: { runId: number }) => Promise<ActionResult<{ jobId: string }>>;
  cancel: (input: { runId: number }) => Promise<ActionResult<{ state: string }>>;
};

const STATUS_TONE = { pass: "success", warn: "warning", fail: "danger", skip: "neutral", running: "info" } as const;
const STATUS_TEXT = { pass: "passed", warn: "warning", fail: "failed", skip: "skipped", running: "running" } as const;

const cleaningUp = (run: Run) => run.report.cleanup?.state === "running";

/** Re-fetches the run every second while it (or its clean-up) is going. */
function useRun(initial: Run) {
  return useQuery<Run>({
    queryKey: ["launch-run", initial.id],
    initialData: initial,
    queryFn: () => fetchJson<Run>(`/launch-test/runs/${initial.id}/status`),
    // Stops when the run (and its clean-up) ends, and also when its job has ended: then nothing
    // will move the run on any more.
    refetchInterval: (q) => runPollInterval(q.state.data, q.state.error),
  });
}

/** A ticking clock while something is open, so running bars grow between polls. */
function useNow(live: boolean) {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    if (!live) return;
    const t = setInterval(() => setNow(new Date()), 500);
    return () => clearInterval(t);
  }, [live]);
  return now;
}

const offset = (start: string, at: string) => `+${formatDuration(new Date(at).getTime() - new Date(start).getTime())}`;

export function RunView({ initial, actions, backHref }: { initial: Run; actions: RunActions; backHref: string }) {
  const { data: run, error: pollError } = useRun(initial);
  const queryClient = useQueryClient();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [actionError, setActionError] = useState<string | null>(null);
  const live = isLiveState(run.state) || cleaningUp(run);
  const now = useNow(live || run.timeline.some((s) => s.status === "running"));
  const steps = run.timeline;
  const first = steps[0]?.startedAt ?? run.startedAt;
  const stopping = isLiveState(run.state) && run.jobState === "cancelled";
  const cleanupState = run.report.cleanup?.state;

  const call = (fn: () => Promise<ActionResult<unknown>>, then?: (data: unknown) => void) =>
    startTransition(async () => {
      setActionError(null);
      const r = await fn();
      if (!r.ok) setActionError(r.error.message);
      else {
        then?.(r.data);
        await queryClient.invalidateQueries({ queryKey: ["launch-run", run.id] });
      }
    });

  return (
    <div className="grid grid-cols-1 gap-6" data-run-state={run.state}>
      <Card>
        <CardHeader className="flex flex-row flex-wrap items-start justify-between gap-4">
          <div className="grid grid-cols-1 gap-1">
            <CardTitle>
              {run.kind === "readiness" ? "Cloud readiness run" : "Launch test"} {run.id}{" "}
              <RunStateBadge state={stopping ? "stopping" : run.state} warnings={run.report.warnings} />
            </CardTitle>
            <p className="text-sm text-slate-600">
              {run.providerName} (provider {run.providerId}) · as <strong>{run.choices.username ?? run.identityUsername}</strong> · started by{" "}
              {run.createdByUsername ?? "—"} at {formatDateTime(run.startedAt)}
              {run.durationMs !== null ? ` · took ${formatDuration(run.durationMs)}` : ""}
            </p>
            {run.result ? (
              <p className="text-sm font-medium text-slate-800" data-testid="run-result">
                {run.result}
              </p>
            ) : null}
          </div>
          <div className="flex flex-wrap gap-2">
            {isLiveState(run.state) && !stopping ? (
              <Button variant="secondary" disabled={pending} onClick={() => call(() => actions.cancel({ runId: run.id }))}>
                <Square aria-hidden className="h-4 w-4" /> Stop and clean up
              </Button>
            ) : null}
            {!isLiveState(run.state) ? (
              <Button
                variant="secondary"
                disabled={pending}
                onClick={() => call(() => actions.repeat({ runId: run.id }), (d) => router.push(`/launch-test/runs/${(d as { id: number }).id}`))}
              >
                <Repeat2 aria-hidden className="h-4 w-4" /> Repeat with the same choices
              </Button>
            ) : null}
          </div>
        </CardHeader>
        <CardContent className="grid grid-cols-1 gap-4">
          {actionError ? <Alert tone="error">{actionError}</Alert> : null}
          {pollError ? <Alert tone="warning">Could not refresh the run: {pollError.message}</Alert> : null}
          {stopping ? <Alert tone="info">Stopping: the run cleans up what it created, then ends.</Alert> : null}
          {run.report.fault ? (
            <Alert tone="error">
              <p className="font-medium">Nova&apos;s fault: {run.report.fault.message || "(no message)"}</p>
              {run.report.fault.explanation ? <p className="mt-1">What it usually means: {run.report.fault.explanation}</p> : null}
            </Alert>
          ) : run.error ? (
            <Alert tone="error">
              <p className="font-medium">{run.error}</p>
              {steps.find((s) => s.status === "fail")?.explanation ? (
                <p className="mt-1">What it usually means: {steps.find((s) => s.status === "fail")!.explanation}</p>
              ) : null}
            </Alert>
          ) : null}
          <dl className="grid grid-cols-[minmax(8rem,auto)_1fr] gap-x-6 gap-y-1 text-sm md:grid-cols-[minmax(8rem,auto)_1fr_minmax(8rem,auto)_1fr]">
            <dt className="text-slate-500">Project</dt>
            <dd>{run.choices.projectName ?? "—"}</dd>
            <dt className="text-slate-500">Image</dt>
            <dd>{run.choices.imageName ?? run.choices.imageId}</dd>
            <dt className="text-slate-500">Size</dt>
            <dd>{run.choices.flavorName ?? run.choices.flavorId}</dd>
            <dt className="text-slate-500">Network</dt>
            <dd>{run.choices.networkName ?? <code className="text-xs">{run.choices.networkId}</code>}</dd>
            {run.kind === "launch" ? (
              <>
                <dt className="text-slate-500">Key pair</dt>
                <dd>{run.choices.hasPublicKey ? "pasted public key" : "none"}</dd>
                <dt className="text-slate-500">User data</dt>
                <dd>{run.choices.hasUserData ? "given" : "none"}</dd>
                <dt className="text-slate-500">Clean-up</dt>
                <dd>{run.choices.cleanup === "manual" ? "on request" : "automatic"}</dd>
              </>
            ) : null}
            <dt className="text-slate-500">Server</dt>
            <dd>{run.serverId ? <code className="text-xs">{run.serverId}</code> : "—"}</dd>
            <dt className="text-slate-500">Floating IP</dt>
            <dd>{run.floatingIp ?? "—"}</dd>
            {run.report.hostname ? (
              <>
                <dt className="text-slate-500">Hostname</dt>
                <dd className="font-mono">{run.report.hostname}</dd>
              </>
            ) : null}
          </dl>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Timeline</CardTitle>
          <p className="mt-1 text-sm text-slate-600">
            Each step and each server status / task state (BUILD · scheduling → networking → spawning → ACTIVE), on one time axis.
          </p>
        </CardHeader>
        <CardContent>
          <TimelineChart steps={steps} now={now} />
        </CardContent>
      </Card>

      {run.report.dns || run.report.ssh ? (
        <Card>
          <CardHeader>
            <CardTitle>Reachability from the console</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-2 text-sm">
            {run.report.dns ? (
              <p>
                <Badge tone={STATUS_TONE[run.report.dns.status]}>DNS {STATUS_TEXT[run.report.dns.status]}</Badge> {run.report.dns.message}
              </p>
            ) : null}
            {run.report.ssh ? (
              <p>
                <Badge tone={STATUS_TONE[run.report.ssh.status]}>SSH {STATUS_TEXT[run.report.ssh.status]}</Badge> {run.report.ssh.message}
              </p>
            ) : null}
            <p className="text-xs text-slate-500">Warnings here do not fail the test: the console&apos;s own network may not reach the floating IPs.</p>
          </CardContent>
        </Card>
      ) : null}

      <Card>
        <CardHeader className="flex flex-row flex-wrap items-start justify-between gap-3">
          <div>
            <CardTitle>Clean-up</CardTitle>
            <p className="mt-1 text-sm text-slate-600" data-testid="cleanup-state" data-cleanup={cleanupState ?? "none"}>
              {cleanupState === "done"
                ? "Done: everything the run created is gone."
                : cleanupState === "running"
                  ? "Cleaning up…"
                  : cleanupState === "pending"
                    ? "The server and its floating IP were kept, as asked. Clean up when you are done with them."
                    : cleanupState === "partial"
                      ? `Incomplete. Left behind: ${(run.report.cleanup?.leftBehind ?? []).join(", ")}.`
                      : cleanupState === "not_needed"
                        ? "Nothing was created, so nothing to clean up."
                        : isLiveState(run.state)
                          ? "Runs when the test ends (also when it fails or is stopped)."
                          : "—"}
            </p>
          </div>
          {cleanupState === "pending" || cleanupState === "partial" ? (
            <Button disabled={pending} onClick={() => call(() => actions.cleanup({ runId: run.id }))}>
              <Trash2 aria-hidden className="h-4 w-4" /> Clean up now
            </Button>
          ) : null}
        </CardHeader>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Steps</CardTitle>
        </CardHeader>
        {steps.length ? (
          <Table aria-label="Steps">
            <THead>
              <tr>
                <TH>At</TH>
                <TH>Step</TH>
                <TH>Result</TH>
                <TH>Took</TH>
                <TH>Details</TH>
              </tr>
            </THead>
            <TBody>
              {steps.map((s: Step) => (
                <TR key={s.id} data-status={s.status}>
                  <TD className="whitespace-nowrap tabular-nums text-slate-500" title={s.startedAt}>
                    {offset(first, s.startedAt)}
                  </TD>
                  <TD className={s.group === "server" ? "font-mono" : undefined}>{s.label}</TD>
                  <TD>
                    <Badge tone={STATUS_TONE[s.status]}>{STATUS_TEXT[s.status]}</Badge>
                  </TD>
                  <TD className="whitespace-nowrap tabular-nums">
                    {s.endedAt ? formatDuration(new Date(s.endedAt).getTime() - new Date(s.startedAt).getTime()) : "…"}
                  </TD>
                  <TD className="max-w-xl text-xs text-slate-700">
                    {s.message ? <p className="break-words">{s.message}</p> : null}
                    {s.explanation ? <p className="mt-1 text-slate-500">What it usually means: {s.explanation}</p> : null}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        ) : (
          <CardContent>
            <p className="text-sm text-slate-500">Queued: waiting for a worker to pick it up.</p>
          </CardContent>
        )}
      </Card>

      <p className="text-sm">
        <Link href={backHref} className="text-brand-600 hover:underline">
          ← All launch tests
        </Link>
      </p>
    </div>
  );
}
