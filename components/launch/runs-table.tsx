import Link from "next/link";
import { EmptyState } from "@/components/layout/page-header";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { Pagination } from "@/components/ui/pagination";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { RunSummary } from "@/lib/launch/queries";
import { formatDuration } from "@/lib/launch/timeline";
import { RUN_STATES } from "@/lib/launch/types";
import { formatDateTime } from "@/lib/utils";
import { RunStateBadge } from "./state-badge";

export type RunFilterValues = { provider?: string; state?: string; who?: string; kind?: string };

/** GET filters for the runs list (provider only where the page is not already per provider). */
export function RunFilters({
  values,
  providers,
  starters,
}: {
  values: RunFilterValues;
  providers?: Array<{ id: number; name: string }>;
  starters: string[];
}) {
  return (
    <form method="get" className="flex flex-wrap items-end gap-3" role="search" aria-label="Filter launch tests">
      {providers ? (
        <div className="w-48">
          <Field id="f-provider" label="Provider">
            <Select id="f-provider" name="provider" defaultValue={values.provider ?? ""}>
              <option value="">Any</option>
              {providers.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </Select>
          </Field>
        </div>
      ) : null}
      <div className="w-36">
        <Field id="f-state" label="State">
          <Select id="f-state" name="state" defaultValue={values.state ?? ""}>
            <option value="">Any</option>
            {RUN_STATES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <div className="w-36">
        <Field id="f-kind" label="Kind">
          <Select id="f-kind" name="kind" defaultValue={values.kind ?? ""}>
            <option value="">Any</option>
            <option value="launch">launch test</option>
            <option value="readiness">readiness run</option>
          </Select>
        </Field>
      </div>
      <div className="w-44">
        <Field id="f-who" label="Started by">
          <Input id="f-who" name="who" defaultValue={values.who ?? ""} placeholder="username" list="f-who-list" autoComplete="off" />
        </Field>
        <datalist id="f-who-list">
          {starters.map((u) => (
            <option key={u} value={u} />
          ))}
        </datalist>
      </div>
      <Button type="submit" variant="secondary">
        Filter
      </Button>
    </form>
  );
}

/** Stored runs, newest first, one page at a time. */
export function RunsTable({
  rows,
  total,
  page,
  pageSize,
  basePath,
  params,
  showProvider,
}: {
  rows: RunSummary[];
  total: number;
  page: number;
  pageSize: number;
  basePath: string;
  params: Record<string, string | undefined>;
  showProvider: boolean;
}) {
  if (rows.length === 0) {
    return <EmptyState title={Object.values(params).some(Boolean) ? "No runs match" : "No runs yet"}>Every launch test and readiness run is kept here.</EmptyState>;
  }
  return (
    <Card>
      <Table aria-label="Launch tests">
        <THead>
          <tr>
            <TH>Run</TH>
            <TH>Started</TH>
            {showProvider ? <TH>Provider</TH> : null}
            <TH>Kind</TH>
            <TH>Account</TH>
            <TH>Image · size</TH>
            <TH>By</TH>
            <TH>State</TH>
            <TH>Result</TH>
            <TH>Took</TH>
          </tr>
        </THead>
        <TBody>
          {rows.map((r) => (
            <TR key={r.id}>
              <TD>
                <Link href={`/launch-test/runs/${r.id}`} className="font-medium text-brand-600 hover:underline">
                  #{r.id}
                </Link>
              </TD>
              <TD className="whitespace-nowrap text-slate-600">{formatDateTime(r.startedAt)}</TD>
              {showProvider ? <TD>{r.providerName}</TD> : null}
              <TD>{r.kind === "readiness" ? "readiness" : "launch"}</TD>
              <TD>{r.choices.username ?? r.identityUsername ?? "—"}</TD>
              <TD className="text-slate-700">
                {r.choices.imageName ?? r.choices.imageId} · {r.choices.flavorName ?? r.choices.flavorId}
              </TD>
              <TD>{r.createdByUsername ?? "—"}</TD>
              <TD>
                <RunStateBadge state={r.state} />
              </TD>
              <TD className="max-w-sm truncate text-xs text-slate-600" title={r.error ?? r.result ?? ""}>
                {r.result ?? ""}
              </TD>
              <TD className="whitespace-nowrap tabular-nums">{formatDuration(r.durationMs)}</TD>
            </TR>
          ))}
        </TBody>
      </Table>
      <Pagination page={page} pageSize={pageSize} total={total} basePath={basePath} params={params} />
    </Card>
  );
}
