import { Badge } from "@/components/ui/badge";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { freeOf, sortClasses, usableOf, type HostCapacity } from "@/lib/domain/capacity";
import { CapacityBar } from "./capacity-bar";
import { formatClassAmount } from "./format";

/** One block per resource provider: its inventories, usages, aggregates and traits. */
export function HostsTable({ hosts }: { hosts: HostCapacity[] }) {
  return (
    <div className="grid gap-4">
      {hosts.map((h) => (
        <section key={h.uuid} aria-label={`Host ${h.name}`} className="rounded-lg border border-slate-200 bg-white">
          <header className="flex flex-wrap items-baseline justify-between gap-2 border-b border-slate-100 px-4 py-3">
            <h3 className="font-medium text-slate-900">{h.name}</h3>
            <code className="text-xs text-slate-500">{h.uuid}</code>
          </header>
          <Table aria-label={`Inventories of ${h.name}`}>
            <THead>
              <tr>
                <TH>Class</TH>
                <TH className="text-right">Total</TH>
                <TH className="text-right">Reserved</TH>
                <TH className="text-right">Ratio</TH>
                <TH className="text-right">Min / max / step</TH>
                <TH className="text-right">Usable</TH>
                <TH className="text-right">Used</TH>
                <TH className="text-right">Free</TH>
                <TH className="w-56">Usage</TH>
              </tr>
            </THead>
            <TBody>
              {sortClasses(Object.keys(h.inventories)).map((rc) => {
                const inv = h.inventories[rc];
                const used = h.usages[rc] ?? 0;
                return (
                  <TR key={rc} data-class={rc}>
                    <TD className="font-mono text-xs">{rc}</TD>
                    <TD className="text-right tabular-nums" data-field="total">{inv.total}</TD>
                    <TD className="text-right tabular-nums" data-field="reserved">{inv.reserved}</TD>
                    <TD className="text-right tabular-nums" data-field="allocation_ratio">{inv.allocationRatio}</TD>
                    <TD className="text-right tabular-nums">
                      {inv.minUnit} / {inv.maxUnit} / {inv.stepSize}
                    </TD>
                    <TD className="text-right tabular-nums" data-field="usable">{usableOf(inv)}</TD>
                    <TD className="text-right tabular-nums" data-field="used">{used}</TD>
                    <TD className="text-right tabular-nums">{formatClassAmount(rc, freeOf(inv, used))}</TD>
                    <TD>
                      <CapacityBar resourceClass={rc} used={used} usable={usableOf(inv)} compact />
                    </TD>
                  </TR>
                );
              })}
            </TBody>
          </Table>
          <dl className="grid gap-2 border-t border-slate-100 px-4 py-3 text-xs sm:grid-cols-2">
            <div>
              <dt className="font-medium text-slate-700">Aggregates</dt>
              <dd className="mt-1 flex flex-wrap gap-1">
                {h.aggregates.length ? h.aggregates.map((a) => <Badge key={a}>{a}</Badge>) : <span className="text-slate-500">none</span>}
              </dd>
            </div>
            <div>
              <dt className="font-medium text-slate-700">Traits</dt>
              <dd className="mt-1 flex flex-wrap gap-1">
                {h.traits.length ? h.traits.map((t) => <Badge key={t} tone="info">{t}</Badge>) : <span className="text-slate-500">none</span>}
              </dd>
            </div>
          </dl>
        </section>
      ))}
    </div>
  );
}
