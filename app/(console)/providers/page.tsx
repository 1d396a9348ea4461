import { Plus } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState, PageHeader } from "@/components/layout/page-header";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { buttonVariants } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { requirePage } from "@/lib/auth/dal";
import { can } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db";
import { listProvidersWithCounts } from "@/lib/db/queries/providers";
import type { PreflightReport } from "@/lib/providers/schemas";
import { preflightSummary, urlHost } from "@/lib/providers/settings";
import { formatDateTime } from "@/lib/utils";

export const metadata: Metadata = { title: "Providers" };

function AddProviderButton() {
  return (
    <Link href="/providers/new" className={buttonVariants()}>
      <Plus aria-hidden className="h-4 w-4" /> Add provider
    </Link>
  );
}

export default async function ProvidersPage({ searchParams }: { searchParams: Promise<{ deleted?: string }> }) {
  const user = await requirePage("console.view");
  const { deleted } = await searchParams;
  const rows = await listProvidersWithCounts(await getDb());
  const canAdd = can(user, "providers.manage");

  return (
    <>
      <PageHeader
        title="Providers"
        description="OpenStack clouds connected to the portal."
        actions={canAdd && rows.length > 0 ? <AddProviderButton /> : undefined}
      />
      {deleted ? (
        <Alert tone="success" className="mb-4">
          Provider {deleted} was deleted.
        </Alert>
      ) : null}
      {rows.length === 0 ? (
        <EmptyState title="No providers yet">
          <p>Connect a cloud from its openrc, clouds.yaml or add_new_provider JSON: the wizard verifies it before anything is saved.</p>
          {canAdd ? (
            <div className="mt-4">
              <AddProviderButton />
            </div>
          ) : null}
        </EmptyState>
      ) : (
        <Card>
          <Table aria-label="Providers">
            <THead>
              <tr>
                <TH>Name</TH>
                <TH>ID</TH>
                <TH>Region</TH>
                <TH>Auth URL host</TH>
                <TH>State</TH>
                <TH>Last preflight</TH>
                <TH className="text-right">Accounts</TH>
                <TH className="text-right">Images</TH>
                <TH className="text-right">Sizes</TH>
              </tr>
            </THead>
            <TBody>
              {rows.map((p) => {
                const summary = preflightSummary(p.lastPreflight as PreflightReport | null);
                return (
                  <TR key={p.id}>
                    <TD>
                      <Link href={`/providers/${p.id}`} className="whitespace-nowrap font-medium text-brand-600 hover:underline">
                        {p.name}
                      </Link>
                    </TD>
                    <TD className="whitespace-nowrap text-slate-600">provider {p.id}</TD>
                    <TD>{p.region}</TD>
                    <TD className="font-mono text-xs">{urlHost(p.authUrl)}</TD>
                    <TD>
                      <Badge tone={p.isActive ? "success" : "neutral"}>{p.isActive ? "active" : "inactive"}</Badge>
                    </TD>
                    <TD className="whitespace-nowrap">
                      <Badge tone={summary.tone}>{summary.label}</Badge>
                      {p.lastPreflightAt ? <span className="block pt-0.5 text-xs text-slate-500">{formatDateTime(p.lastPreflightAt)}</span> : null}
                    </TD>
                    <TD className="text-right tabular-nums">{p.accounts}</TD>
                    <TD className="text-right tabular-nums">{p.images}</TD>
                    <TD className="text-right tabular-nums">{p.sizes}</TD>
                  </TR>
                );
              })}
            </TBody>
          </Table>
        </Card>
      )}
    </>
  );
}
