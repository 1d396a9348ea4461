import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState, PageHeader } from "@/components/layout/page-header";
import { Badge } from "@/components/ui/badge";
import { buttonVariants } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { listProviderStrategies } from "@/lib/allocation/queries";
import { strategyOf } from "@/lib/allocation/service";
import { requirePage } from "@/lib/auth/dal";
import { getDb } from "@/lib/db";
import { describeStrategy } from "@/lib/domain/allocation";
import { formatDateTime } from "@/lib/utils";

export const metadata: Metadata = { title: "Allocation" };

function summaryOf(strategy: Parameters<typeof strategyOf>[0]): string {
  try {
    return describeStrategy(strategyOf(strategy));
  } catch (error) {
    // A row written outside the editor with a name the engine does not know.
    return `Cannot be used: ${(error as Error).message}. Open it and save a valid strategy.`;
  }
}

export default async function AllocationPage() {
  await requirePage("console.view");
  const providers = await listProviderStrategies(await getDb());
  return (
    <>
      <PageHeader
        title="Allocation"
        description="One allocation strategy per provider: how usage is counted, when it is recharged, and what counts. Open a provider to edit its strategy and see its users' usage."
      />
      {providers.length === 0 ? (
        <EmptyState title="No providers yet">
          <Link href="/providers/new" className="font-medium text-brand-700 underline">
            Add a provider
          </Link>{" "}
          first; it gets the usual strategy (calendar month, recharged on the 1st, only ACTIVE time, multiplied by vCPUs).
        </EmptyState>
      ) : (
        <Card>
          <Table aria-label="Allocation strategies by provider">
            <THead>
              <tr>
                <TH>Provider</TH>
                <TH>Strategy</TH>
                <TH className="text-right">Users</TH>
                <TH>Last changed</TH>
                <TH>
                  <span className="sr-only">Actions</span>
                </TH>
              </tr>
            </THead>
            <TBody>
              {providers.map((p) => (
                <TR key={p.id}>
                  <TD className="whitespace-nowrap">
                    <Link href={`/providers/${p.id}/allocation`} className="font-medium text-brand-700 hover:underline">
                      {p.name}
                    </Link>
                    <span className="block text-xs text-slate-500">provider {p.id}</span>
                    {!p.isActive ? <Badge tone="warning">inactive</Badge> : null}
                  </TD>
                  <TD className="max-w-xl text-slate-700">
                    {p.strategy ? (
                      summaryOf(p.strategy)
                    ) : (
                      <span className="text-amber-800">No strategy: usage on this cloud is not counted. Create one.</span>
                    )}
                  </TD>
                  <TD className="text-right tabular-nums">{p.users.toLocaleString("en-US")}</TD>
                  <TD className="whitespace-nowrap text-slate-600">{p.strategy ? formatDateTime(p.strategy.updatedAt) : "—"}</TD>
                  <TD className="text-right">
                    <Link
                      href={`/providers/${p.id}/allocation`}
                      className={buttonVariants({ variant: p.strategy ? "secondary" : "default", size: "sm" })}
                    >
                      {p.strategy ? "Edit and usage" : "Create strategy"}
                      <span className="sr-only"> for {p.name}</span>
                    </Link>
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </Card>
      )}
    </>
  );
}
