import { CheckCircle2, AlertTriangle, XCircle } from "lucide-react";
import type { PreflightReport } from "@/lib/providers/schemas";
import { formatDateTime } from "@/lib/utils";
import { plural } from "@/lib/domain/format";
import { uniqueKeys } from "@/lib/domain/unique-keys";

const ICON = {
  pass: <CheckCircle2 aria-hidden className="h-4 w-4 text-emerald-600" />,
  warn: <AlertTriangle aria-hidden className="h-4 w-4 text-amber-500" />,
  fail: <XCircle aria-hidden className="h-4 w-4 text-red-600" />,
};
const WORD = { pass: "Pass", warn: "Warning", fail: "Failed" };

/** The checks of a preflight run, each with its reason and, where something is off, the remedy. */
export function PreflightReportView({ report }: { report: PreflightReport }) {
  const counts = { pass: 0, warn: 0, fail: 0 };
  for (const c of report.checks) counts[c.status]++;
  const keys = uniqueKeys(report.checks.map((c) => c.id));
  return (
    <div className="grid gap-3">
      <p className="text-sm text-slate-600">
        Run {formatDateTime(report.at)}: <strong className="text-emerald-700">{counts.pass} passed</strong>,{" "}
        <strong className="text-amber-700">{plural(counts.warn, "warning")}</strong>,{" "}
        <strong className="text-red-700">{counts.fail} failed</strong>.
      </p>
      <ul aria-label="Preflight checks" className="divide-y divide-slate-100 rounded-md border border-slate-200 bg-white">
        {report.checks.map((c, i) => (
          <li key={keys[i]} className="flex gap-3 px-4 py-2.5 text-sm" data-status={c.status}>
            <span className="mt-0.5">{ICON[c.status]}</span>
            <div className="min-w-0">
              <p className="font-medium text-slate-900">
                {c.label} <span className="sr-only">: {WORD[c.status]}</span>
              </p>
              <p className="break-words text-slate-600">{c.detail}</p>
              {c.remedy && c.status !== "pass" ? <p className="mt-0.5 text-slate-800">→ {c.remedy}</p> : null}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
