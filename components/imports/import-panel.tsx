import Link from "next/link";
import type { JobView } from "@/components/jobs/use-job";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import type { ImportSchedule } from "@/lib/db/schema";
import { formatUntil } from "@/lib/imports/format";
import { RESOURCE_LABELS, formatInterval, type ImportResource } from "@/lib/imports/resources";
import type { ImportRun, ResourceStatus } from "@/lib/imports/runs";
import { formatDateTime } from "@/lib/utils";
import { ImportHistory } from "./import-history";
import { LatestRun } from "./latest-run";
import type { ImportActions } from "@/lib/imports/actions";
import { RunImportButton } from "./run-import-button";
import { ScheduleForm } from "./schedule-form";

export type ImportPanelData = {
  provider: { id: number; name: string; isActive: boolean };
  statuses: ResourceStatus[];
  schedules: ImportSchedule[];
  runs: ImportRun[];
};

const BUTTON_LABELS: Record<ImportResource, string> = {
  sizes: "Import sizes",
  machines: "Import images",
  members: "Refresh members",
  instances: "Import instances",
  volumes: "Import volumes",
};

const WHAT: Record<ImportResource, string> = {
  sizes: "Every flavor, public and private.",
  machines: "Active images: no kernels, ramdisks or snapshots. Members of new shared images follow.",
  members: "The member lists of every shared image, read again (Glance does not date member changes).",
  instances: "Servers in every project, with their status history.",
  volumes: "Cinder volumes in every project, with their attachments.",
};

/** A run as the live progress bar reads it (the same shape /api/jobs/[id] answers). */
export function toJobView(run: ImportRun): JobView {
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    id: run.id,
    kind: run.kind,
    providerId: run.providerId,
    state: run.state,
    progress: run.progress,
    progressText: run.progressText,
    counts: run.counts as Record<string, unknown>,
    result: null,
    error: run.error,
    attempts: run.attempts,
    createdAt: iso(run.createdAt)!,
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
  };
}

/**
 * Everything about one provider's imports: per resource the newest run (live bar while it
 * runs), the button and the schedule; then the history.
 */
export function ImportPanel({
  data,
  canRun,
  historyTitle = "History",
  historyFooter,
  headingLevel = 2,
  showName = true,
  actions,
  editSchedules = true,
}: {
  data: ImportPanelData;
  canRun: boolean;
  historyTitle?: string;
  historyFooter?: React.ReactNode;
  headingLevel?: 2 | 3;
  /** Off on the provider's own page, whose header already names it. */
  showName?: boolean;
  /** The route's import actions (its actions.ts). */
  actions: ImportActions;
  /**
   * Off on the all-providers overview: each schedule is a line with a link to the provider's
   * imports page, where its form is (one form per resource and provider made the overview
   * grow by ~15 KB of HTML per provider); the cards' one-line explanations are left to that
   * page too.
   */
  editSchedules?: boolean;
}) {
  const { provider, statuses, schedules, runs } = data;
  const now = new Date();
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const headingId = `imports-provider-${provider.id}`;
  return (
    <section
      aria-labelledby={showName ? headingId : undefined}
      aria-label={showName ? undefined : provider.name}
      className="grid gap-4"
    >
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex flex-wrap items-center gap-2">
          {showName ? (
            <>
              <Heading id={headingId} className="text-lg font-semibold text-slate-900">
                {provider.name}
              </Heading>
              <Link href={`/providers/${provider.id}`} className="text-sm text-brand-600 hover:underline">
                provider {provider.id}
              </Link>
            </>
          ) : null}
          {provider.isActive ? null : <Badge tone="neutral">inactive: not imported on schedule</Badge>}
        </div>
        {canRun ? <RunImportButton providerId={provider.id} resource="all" label="Import all" variant="default" runImports={actions.runImports} /> : null}
      </div>

      <div className="grid gap-4 lg:grid-cols-3">
        {statuses.map((status) => {
          const label = RESOURCE_LABELS[status.resource];
          const latest = status.live ?? status.last;
          const schedule = schedules.find((s) => s.resource === status.resource);
          return (
            <Card key={status.resource} data-resource={status.resource} aria-label={`${label} of ${provider.name}`} role="group">
              <CardHeader className="flex flex-row items-start justify-between gap-3">
                <div>
                  <CardTitle>{label}</CardTitle>
                  {editSchedules ? <p className="mt-1 text-xs text-slate-500">{WHAT[status.resource]}</p> : null}
                </div>
                {canRun ? (
                  <RunImportButton
                    providerId={provider.id}
                    resource={status.resource}
                    label={BUTTON_LABELS[status.resource]}
                    disabled={Boolean(status.live)}
                    runImports={actions.runImports}
                  />
                ) : null}
              </CardHeader>
              <CardContent className="grid gap-4">
                {latest ? (
                  <div className="grid gap-1">
                    <LatestRun key={latest.id} run={toJobView(latest)} label={label} />
                    <p className="text-xs text-slate-500">
                      {latest.state === "queued" ? "Queued" : status.live ? "Started" : "Ran"}{" "}
                      {formatDateTime(latest.startedAt ?? latest.createdAt)}
                      {latest.trigger === "schedule" ? " on schedule" : latest.createdBy ? ` by ${latest.createdBy}` : ""}
                      {status.lastSuccess && status.lastSuccess.id !== latest.id
                        ? ` · last success ${formatDateTime(status.lastSuccess.finishedAt)}`
                        : ""}
                    </p>
                  </div>
                ) : (
                  <p className="text-sm text-slate-500">Never imported.</p>
                )}
                {schedule ? (
                  <div className="grid gap-2 border-t border-slate-100 pt-3">
                    <p className="text-sm text-slate-700" data-testid="schedule-summary">
                      {schedule.enabled && provider.isActive ? (
                        <>
                          Every {formatInterval(schedule.intervalSeconds)} · next run{" "}
                          <time dateTime={schedule.nextRunAt.toISOString()}>{formatDateTime(schedule.nextRunAt)}</time> (
                          {formatUntil(schedule.nextRunAt, now)})
                        </>
                      ) : schedule.enabled ? (
                        <>Every {formatInterval(schedule.intervalSeconds)} · paused while the provider is inactive</>
                      ) : (
                        <>Not scheduled: imported only on demand</>
                      )}
                    </p>
                    {editSchedules ? (
                    <ScheduleForm
                      key={`${schedule.intervalSeconds}-${schedule.enabled}`}
                      providerId={provider.id}
                      resource={status.resource}
                      label={label}
                      intervalSeconds={schedule.intervalSeconds}
                      enabled={schedule.enabled}
                      canEdit={canRun}
                      saveImportSchedule={actions.saveImportSchedule}
                    />
                    ) : canRun ? (
                      <Link href={`/providers/${provider.id}/imports#schedule-${provider.id}-${status.resource}-every`} className="text-sm text-brand-600 hover:underline">
                        Change the {label.toLowerCase()} schedule
                      </Link>
                    ) : null}
                  </div>
                ) : null}
              </CardContent>
            </Card>
          );
        })}
      </div>

      <Card>
        <CardHeader>
          <CardTitle>{historyTitle}</CardTitle>
        </CardHeader>
        <ImportHistory runs={runs} label={`Import history of ${provider.name}`} />
        {historyFooter}
      </Card>
    </section>
  );
}
