import { Badge } from "@/components/ui/badge";
import { CardContent } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { durationOf, formatDuration } from "@/lib/imports/format";
import { RESOURCE_LABELS, formatCounts, type ImportNames } from "@/lib/imports/resources";
import type { ImportRun } from "@/lib/imports/runs";
import { formatDateTime } from "@/lib/utils";

const TONE = { queued: "neutral", running: "info", succeeded: "success", failed: "danger", cancelled: "warning" } as const;

const CHANGE_LABELS: Array<[keyof ImportNames, string]> = [
  ["added", "Added"],
  ["updated", "Updated"],
  ["restored", "Restored"],
  ["endDated", "End-dated"],
];

function Changes({ run }: { run: ImportRun }) {
  const names = run.result?.names;
  if (!names) return null;
  const lists = CHANGE_LABELS.filter(([k]) => names[k]?.length);
  if (!lists.length) return null;
  return (
    <details className="mt-1 text-xs text-slate-600">
      <summary className="cursor-pointer text-brand-600">What changed</summary>
      <dl className="mt-1 grid gap-1">
        {lists.map(([k, label]) => (
          <div key={k}>
            <dt className="font-medium text-slate-700">
              {label} ({run.counts[k] ?? names[k].length})
            </dt>
            <dd className="break-words">
              {names[k].join(", ")}
              {run.result?.truncated?.[k] ? ` … and ${(run.counts[k] ?? 0) - names[k].length} more` : ""}
            </dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

/** When, who, how long, what changed and how it ended, newest first. */
export function ImportHistory({ runs, label }: { runs: ImportRun[]; label: string }) {
  if (runs.length === 0) {
    return (
      <CardContent>
        <p className="text-sm text-slate-500">No imports yet.</p>
      </CardContent>
    );
  }
  return (
    <Table aria-label={label}>
      <THead>
        <tr>
          <TH>When</TH>
          <TH>Resource</TH>
          <TH>Who</TH>
          <TH>Duration</TH>
          <TH>Changes</TH>
          <TH>State</TH>
          <TH>Error</TH>
        </tr>
      </THead>
      <TBody>
        {runs.map((run) => (
          <TR key={run.id}>
            <TD className="whitespace-nowrap text-slate-600">{formatDateTime(run.createdAt)}</TD>
            <TD className="font-medium">{RESOURCE_LABELS[run.resource]}</TD>
            <TD className="text-slate-600">{run.trigger === "schedule" ? "scheduler" : (run.createdBy ?? "—")}</TD>
            <TD className="whitespace-nowrap tabular-nums text-slate-600">{formatDuration(durationOf(run))}</TD>
            <TD className="min-w-48">
              {run.state === "queued" ? "—" : formatCounts(run.counts)}
              {run.counts.skipped ? <span className="text-slate-500"> · {run.counts.skipped} skipped</span> : null}
              <Changes run={run} />
            </TD>
            <TD>
              <Badge tone={TONE[run.state]}>{run.state}</Badge>
            </TD>
            <TD className="max-w-sm text-sm text-red-700">{run.error ?? ""}</TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
