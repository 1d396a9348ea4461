import type { Metadata } from "next";
import { EmptyState, PageHeader } from "@/components/layout/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Pagination } from "@/components/ui/pagination";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { requirePage } from "@/lib/auth/dal";
import { getDb } from "@/lib/db";
import { listAuditActions, listAuditEntries } from "@/lib/db/queries/audit";
import { formatDateTime } from "@/lib/utils";
import { pageParam } from "@/lib/domain/paging";

export const metadata: Metadata = { title: "Audit log" };

function tone(action: string) {
  if (action.endsWith("failed") || action.endsWith("locked")) return "danger" as const;
  if (action.startsWith("auth.")) return "info" as const;
  return "neutral" as const;
}

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<{ actor?: string; action?: string; page?: string }>;
}) {
  await requirePage("audit.view");
  const sp = await searchParams;
  const actor = sp.actor?.trim() || undefined;
  const action = sp.action?.trim() || undefined;
  const page = pageParam(sp.page);
  const db = await getDb();
  const [{ rows, total, pageSize }, actions] = await Promise.all([
    listAuditEntries(db, { actor, action, page, pageSize: 50 }),
    listAuditActions(db),
  ]);

  return (
    <>
      <PageHeader title="Audit log" description="Every change made through the console, newest first." />
      <form method="get" className="mb-4 flex flex-wrap items-end gap-3" role="search">
        <div className="w-56">
          <Field id="actor" label="Actor (username)">
            <Input id="actor" name="actor" defaultValue={actor} placeholder="e.g. admin" />
          </Field>
        </div>
        <div className="w-64">
          <Field id="action" label="Action (prefix)">
            <Input id="action" name="action" defaultValue={action} placeholder="e.g. auth." list="audit-actions" />
          </Field>
          <datalist id="audit-actions">
            {actions.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </div>
        <Button type="submit" variant="secondary">
          Filter
        </Button>
      </form>
      {rows.length === 0 ? (
        <EmptyState title="No entries match">Clear the filters to see every entry.</EmptyState>
      ) : (
        <Card>
          <Table aria-label="Audit log entries">
            <THead>
              <tr>
                <TH>When</TH>
                <TH>Actor</TH>
                <TH>Action</TH>
                <TH>Target</TH>
                <TH>Details</TH>
                <TH>IP</TH>
              </tr>
            </THead>
            <TBody>
              {rows.map((r) => (
                <TR key={r.id}>
                  <TD className="whitespace-nowrap text-slate-600">{formatDateTime(r.at)}</TD>
                  <TD className="font-medium">{r.actorUsername}</TD>
                  <TD>
                    <Badge tone={tone(r.action)}>{r.action}</Badge>
                  </TD>
                  <TD className="text-slate-600">{r.targetType ? `${r.targetType} ${r.targetId ?? ""}` : "—"}</TD>
                  <TD className="max-w-md truncate font-mono text-xs text-slate-600" title={JSON.stringify(r.details)}>
                    {Object.keys(r.details as object).length ? JSON.stringify(r.details) : ""}
                  </TD>
                  <TD className="text-slate-500">{r.ip ?? ""}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
          <Pagination page={page} pageSize={pageSize} total={total} basePath="/audit" params={{ actor, action }} />
        </Card>
      )}
    </>
  );
}
