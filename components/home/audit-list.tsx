import Link from "next/link";
import { formatAge } from "@/components/capacity/format";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { HomeAudit } from "@/lib/home/queries";

/** The latest audit events, each linking to the audit log filtered by its action. */
export function AuditList({ entries, now }: { entries: HomeAudit[]; now: Date }) {
  return (
    <Table aria-label="Latest audit events">
      <THead>
        <tr>
          <TH>When</TH>
          <TH>Who</TH>
          <TH>What</TH>
          <TH>Target</TH>
        </tr>
      </THead>
      <TBody>
        {entries.map((e) => (
          <TR key={e.id}>
            <TD className="whitespace-nowrap text-slate-600" title={e.at.toISOString()}>
              {formatAge(e.at, now)}
            </TD>
            <TD>{e.actor}</TD>
            <TD>
              <Link href={`/audit?action=${encodeURIComponent(e.action)}`} className="font-mono text-xs text-brand-600 hover:underline">
                {e.action}
              </Link>
            </TD>
            <TD className="text-slate-600">
              {e.targetType === "provider" && e.targetId ? (
                <Link href={`/providers/${e.targetId}`} className="hover:underline">
                  provider {e.targetId}
                </Link>
              ) : e.targetType ? (
                `${e.targetType} ${e.targetId ?? ""}`
              ) : (
                "—"
              )}
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
