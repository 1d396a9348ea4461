import Link from "next/link";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { FlavorFit } from "@/lib/domain/capacity";
import { formatClassAmount } from "./format";
import { formatCount } from "@/lib/domain/format";

/** "What still fits": one row per imported flavor, biggest first (a page of them). */
export function FitsTable({ flavors, askHref, chosenId }: { flavors: FlavorFit[]; askHref: (flavorId: string) => string; chosenId?: string }) {
  return (
    <Table aria-label="What still fits">
      <THead>
        <tr>
          <TH>Flavor</TH>
          <TH className="text-right">vCPUs</TH>
          <TH className="text-right">Memory</TH>
          <TH className="text-right">Disk</TH>
          <TH className="text-right">More instances</TH>
          <TH className="text-right">Hosts with room</TH>
          <TH>
            <span className="sr-only">Placement</span>
          </TH>
        </tr>
      </THead>
      <TBody>
        {flavors.map((f) => (
          <TR key={f.id} data-flavor={f.name} aria-current={f.id === chosenId ? "true" : undefined} className={f.id === chosenId ? "bg-brand-50/60" : undefined}>
            <TD className="font-medium">{f.name}</TD>
            <TD className="text-right tabular-nums">{f.resources.VCPU ?? 0}</TD>
            <TD className="text-right tabular-nums">{formatClassAmount("MEMORY_MB", f.resources.MEMORY_MB ?? 0)}</TD>
            <TD className="text-right tabular-nums">{formatClassAmount("DISK_GB", f.resources.DISK_GB ?? 0)}</TD>
            <TD className={`text-right font-medium tabular-nums ${f.fits === 0 ? "text-red-700" : ""}`} data-field="fits">
              {Number.isFinite(f.fits) ? formatCount(f.fits) : "unlimited"}
            </TD>
            <TD className="text-right tabular-nums">{f.hosts}</TD>
            <TD>
              <Link href={askHref(f.id)} className="text-sm text-brand-600 hover:underline">
                Ask Placement
              </Link>
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
