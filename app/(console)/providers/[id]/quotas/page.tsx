import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { EmptyState, PageHeader } from "@/components/layout/page-header";
import { BulkQuotaForm } from "@/components/quotas/bulk-quota-form";
import { TierForm } from "@/components/quotas/tier-form";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Pagination } from "@/components/ui/pagination";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { requirePage } from "@/lib/auth/dal";
import { can } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db";
import { formatQuota, SEED_TIERS } from "@/lib/domain/quotas";
import { getProviderForRequest } from "@/lib/providers/page-cache";
import { quotaAccountsPage } from "@/lib/quotas/queries";
import { listTiers } from "@/lib/quotas/tiers";
import { formatDateTime } from "@/lib/utils";
import { bulkAccountQuota, saveTier } from "./actions";
import { pageParam } from "@/lib/domain/paging";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ q?: string; page?: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Quotas · provider ${(await params).id}` };
}

const PAGE_SIZE = 50;
const BULK_FORM = "bulk-quota";

export default async function ProviderQuotasPage({ params, searchParams }: Props) {
  const user = await requirePage("console.view");
  const provider = await getProviderForRequest((await params).id);
  if (!provider) notFound();
  const db = await getDb();
  const sp = await searchParams;
  const q = sp.q?.trim() || undefined;
  const page = pageParam(sp.page);
  const [tiers, accounts] = await Promise.all([listTiers(db, provider.id), quotaAccountsPage(db, provider.id, { q, page, pageSize: PAGE_SIZE })]);
  const canEdit = can(user, "accounts.manage");
  const base = `/providers/${provider.id}/quotas`;
  const defaultTier = tiers.find((t) => t.isDefault);

  return (
    <>
      <PageHeader
        title={`Quotas: ${provider.name}`}
        description={<>The Nova, Cinder and Neutron quotas each account&apos;s project gets. New accounts get their tier (or the default) right after their project is created.</>}
      />
      <div className="grid gap-8">
        <section aria-labelledby="tiers-heading" className="grid gap-3">
          <h2 id="tiers-heading" className="text-lg font-semibold text-slate-900">
            Tiers
          </h2>
          <Table aria-label="Quota tiers">
            <THead>
              <TR>
                <TH>Tier</TH>
                <TH>Description</TH>
                <TH>Instances</TH>
                <TH>Cores</TH>
                <TH>RAM (MiB)</TH>
                <TH>Volume GB</TH>
                <TH>Floating IPs</TH>
              </TR>
            </THead>
            <TBody>
              {tiers.map((t) => (
                <TR key={t.id}>
                  <TD className="font-medium">
                    {t.name} {t.isDefault ? <Badge tone="info">default</Badge> : null}
                  </TD>
                  <TD>{t.description}</TD>
                  <TD>{formatQuota(t.values.instances)}</TD>
                  <TD>{formatQuota(t.values.cores)}</TD>
                  <TD>{formatQuota(t.values.ram)}</TD>
                  <TD>{formatQuota(t.values.gigabytes)}</TD>
                  <TD>{formatQuota(t.values.floatingip)}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
          {canEdit ? (
            <div className="grid gap-3">
              {[...tiers, null].map((t) => (
                <details key={t?.id ?? "new"} className="rounded-md border border-slate-200 bg-white p-4">
                  <summary className="cursor-pointer text-sm font-medium text-slate-800">{t ? `Edit ${t.name}` : "New tier"}</summary>
                  <div className="mt-4">
                    <TierForm providerId={provider.id} tier={t} defaults={defaultTier?.values ?? SEED_TIERS[1].values} action={saveTier} />
                  </div>
                </details>
              ))}
            </div>
          ) : null}
        </section>

        <section aria-labelledby="accounts-heading">
          <Card>
            <CardHeader className="flex flex-wrap items-end justify-between gap-4">
              <CardTitle>
                <span id="accounts-heading">Accounts</span>
              </CardTitle>
              <form method="get" role="search" className="flex items-end gap-3">
                <div className="w-56">
                  <Field id="q" label="User">
                    <Input id="q" name="q" defaultValue={q} placeholder="username" />
                  </Field>
                </div>
                <Button type="submit" variant="secondary">
                  Search
                </Button>
              </form>
            </CardHeader>
            <CardContent className="grid gap-4">
              {accounts.rows.length === 0 ? (
                <EmptyState title={q ? "No account matches" : "No accounts on this provider yet"}>
                  {q ? "Clear the search to see every account." : "Provision accounts on the Accounts tab first."}
                </EmptyState>
              ) : (
                <>
                  {canEdit ? <BulkQuotaForm formId={BULK_FORM} providerId={provider.id} tiers={tiers} action={bulkAccountQuota} /> : null}
                  <Table aria-label="Account quotas">
                    <THead>
                      <TR>
                        {canEdit ? <TH className="w-10"><span className="sr-only">Select</span></TH> : null}
                        <TH>User</TH>
                        <TH>Project</TH>
                        <TH>Tier</TH>
                        <TH>Last applied</TH>
                      </TR>
                    </THead>
                    <TBody>
                      {accounts.rows.map((a) => (
                        <TR key={a.id}>
                          {canEdit ? (
                            <TD>
                              <input type="checkbox" name="identityIds" value={a.id} form={BULK_FORM} aria-label={`Select ${a.username}`} disabled={!a.projectId} />
                            </TD>
                          ) : null}
                          <TD>
                            <Link className="font-medium text-brand-700 hover:underline" href={`${base}/${a.id}`}>
                              {a.username}
                            </Link>
                          </TD>
                          <TD>{a.projectName}</TD>
                          <TD>
                            {a.tierName ?? <span className="text-slate-500">default ({defaultTier?.name ?? "none"})</span>}
                            {a.hasCustom ? <Badge tone="warning" className="ml-2">custom</Badge> : null}
                          </TD>
                          <TD>{a.quotaAppliedAt ? formatDateTime(a.quotaAppliedAt) : "—"}</TD>
                        </TR>
                      ))}
                    </TBody>
                  </Table>
                  <Pagination page={page} pageSize={PAGE_SIZE} total={accounts.total} basePath={base} params={{ q }} label="Account pages" />
                </>
              )}
            </CardContent>
          </Card>
        </section>
      </div>
    </>
  );
}
