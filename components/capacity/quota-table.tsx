import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { Oversubscription } from "@/lib/domain/capacity";
import type { QuotaReading } from "@/lib/capacity/types";
import { classLabel, formatClassAmount } from "./format";

/** Granted quota per class against usable capacity, as an oversubscription ratio. */
export function QuotaTable({ rows, reading }: { rows: Oversubscription[]; reading: QuotaReading }) {
  return (
    <div className="grid gap-2">
      <Table aria-label="Quota against capacity">
        <THead>
          <tr>
            <TH>Class</TH>
            <TH className="text-right">Granted quota</TH>
            <TH className="text-right">Unlimited projects</TH>
            <TH className="text-right">Usable capacity</TH>
            <TH className="text-right">Oversubscription</TH>
          </tr>
        </THead>
        <TBody>
          {rows.map((r) => (
            <TR key={r.resourceClass} data-class={r.resourceClass}>
              <TD>{classLabel(r.resourceClass)}</TD>
              <TD className="text-right tabular-nums">{formatClassAmount(r.resourceClass, r.granted)}</TD>
              <TD className="text-right tabular-nums">{r.unlimited}</TD>
              <TD className="text-right tabular-nums">{formatClassAmount(r.resourceClass, r.usable)}</TD>
              <TD className={`text-right font-medium tabular-nums ${r.ratio !== null && r.ratio > 1 ? "text-amber-800" : ""}`}>
                {r.ratio === null ? "—" : `${r.ratio.toFixed(2)}×`}
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
      <p className="text-xs text-slate-500">
        {reading.source === "nova-quota-sets" ? "Nova quota sets" : "Managed quotas"} of {reading.projects.toLocaleString("en-US")} account project
        {reading.projects === 1 ? "" : "s"}; {reading.read.toLocaleString("en-US")} read
        {reading.failed ? `, ${reading.failed} could not be read (${reading.errors[0] ?? "unknown error"})` : ""}.
      </p>
    </div>
  );
}
