import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { EmptyState, PageHeader } from "@/components/layout/page-header";
import { OverrideDialog } from "@/components/allocation/override-dialog";
import { StrategyEditor } from "@/components/allocation/strategy-editor";
import { UsageBar } from "@/components/allocation/usage-bar";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button, buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { Pagination } from "@/components/ui/pagination";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { getStrategy } from "@/lib/allocation/queries";
import { getUsagePage, strategyOf } from "@/lib/allocation/service";
import { requirePage } from "@/lib/auth/dal";
import { can } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db";
import { getProviderForRequest } from "@/lib/providers/page-cache";
import { compileStrategy, describeStrategy, formatAmount } from "@/lib/domain/allocation";
import { DEFAULT_STRATEGY } from "@/lib/providers/create";
import { formatDateTime } from "@/lib/utils";
import { previewStrategy, saveStrategy, setOverride } from "./actions";
import { pageParam } from "@/lib/domain/paging";

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ q?: string; sort?: string; page?: string }>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  return { title: `Allocation · provider ${id}` };
}

export default async function ProviderAllocationPage({ params, searchParams }: Props) {
  const user = await requirePage("console.view");
  const db = await getDb();
  const provider = await getProviderForRequest((await params).id);
  if (!provider) notFound();
  const sp = await searchParams;
  const q = sp.q?.trim() || undefined;
  const sort = sp.sort === "username" ? "username" : "usage";
  const page = pageParam(sp.page);
  const row = await getStrategy(db, provider.id);
  const stored = row ? strategyOf(row) : null;
  // A row written outside the editor may name a behaviour the engine does not know.
  let problem: string | null = null;
  try {
    if (stored) compileStrategy(stored);
  } catch (error) {
    problem = (error as Error).message;
  }
  const saved = problem ? null : stored;
  const usage = saved ? await getUsagePage(db, provider.id, saved, { search: q, sort, page, pageSize: 25 }) : null;
  const canEdit = can(user, "allocation.manage");
  const base = `/providers/${provider.id}/allocation`;

  return (
    <>
      <PageHeader
        title={`Allocation: ${provider.name}`}
        description={
          <>
            Provider {provider.id}. How usage is counted and credited for the users with an account on this cloud, and where each of
            them stands this period. All times are UTC.
          </>
        }
        actions={
          <>
            <Link href={`/providers/${provider.id}`} className={buttonVariants({ variant: "secondary" })}>
              Provider
            </Link>
            <Link href="/allocation" className={buttonVariants({ variant: "secondary" })}>
              All providers
            </Link>
          </>
        }
      />
      <div className="grid gap-8">
        <section aria-labelledby="strategy-heading" className="grid gap-3">
          <h2 id="strategy-heading" className="text-lg font-semibold text-slate-900">
            Strategy
          </h2>
          {problem ? (
            <Alert tone="error">
              The stored strategy cannot be used ({problem}). Save a valid one below.
            </Alert>
          ) : saved ? (
            <p className="text-sm text-slate-700">
              <span className="font-medium">Current: </span>
              <span data-testid="current-summary">{describeStrategy(saved)}</span>
              {row ? <span className="text-slate-500"> · last changed {formatDateTime(row.updatedAt)}</span> : null}
            </p>
          ) : (
            <Alert tone="warning">
              <p className="font-medium">{provider.name} has no allocation strategy yet.</p>
              <p className="mt-1">
                Without one, usage on this cloud is not counted against any allocation. Create one below: the form starts from the
                usual combination (calendar month, recharged on the 1st, only ACTIVE time, multiplied by vCPUs).
              </p>
            </Alert>
          )}
          {canEdit ? (
            <StrategyEditor
              providerId={provider.id}
              providerName={provider.name}
              saved={saved}
              defaults={DEFAULT_STRATEGY}
              saveAction={saveStrategy}
              previewAction={previewStrategy}
            />
          ) : null}
        </section>

        <section aria-labelledby="usage-heading">
          <Card>
            <CardHeader className="flex flex-wrap items-end justify-between gap-4">
              <div>
                <CardTitle>
                  <span id="usage-heading">Usage this period</span>
                </CardTitle>
                {usage ? (
                  <p className="mt-1 text-xs text-slate-500">
                    As of {formatDateTime(usage.now)}, in {usage.rows[0]?.result.unit ?? "the strategy's unit"}. Heaviest first.
                  </p>
                ) : null}
              </div>
              {saved ? (
                <form method="get" role="search" className="flex flex-wrap items-end gap-3">
                  <div className="w-56">
                    <Field id="q" label="User">
                      <Input id="q" name="q" defaultValue={q} placeholder="username, name or email" />
                    </Field>
                  </div>
                  <div className="w-52">
                    <Field id="sort" label="Sort by">
                      <Select id="sort" name="sort" defaultValue={sort}>
                        <option value="usage">Usage, heaviest first</option>
                        <option value="username">Username</option>
                      </Select>
                    </Field>
                  </div>
                  <Button type="submit" variant="secondary">
                    Search
                  </Button>
                </form>
              ) : null}
            </CardHeader>
            {!saved || !usage ? (
              <CardContent>
                <p className="text-sm text-slate-600">Create a strategy to see usage.</p>
              </CardContent>
            ) : usage.rows.length === 0 ? (
              <CardContent>
                <EmptyState title={q ? "No user matches" : "No accounts on this provider yet"}>
                  {q ? "Clear the search to see every user." : "Users appear here once they have an account (identity) on this cloud."}
                </EmptyState>
              </CardContent>
            ) : (
              <>
                <Table aria-label={`Allocation usage on ${provider.name}`}>
                  <THead>
                    <tr>
                      <TH>User</TH>
                      <TH className="text-right">Usage</TH>
                      <TH className="text-right">Credit</TH>
                      <TH className="text-right">Remaining</TH>
                      <TH>Used</TH>
                      <TH className="text-right">Burn / h</TH>
                      <TH>Own allocation</TH>
                    </tr>
                  </THead>
                  <TBody>
                    {usage.rows.map((r) => (
                      <TR key={r.userId}>
                        <TD>
                          <Link href={`${base}/users/${r.userId}`} className="font-medium text-brand-700 hover:underline">
                            {r.username}
                          </Link>
                          {r.displayName ? <span className="block text-xs text-slate-500">{r.displayName}</span> : null}
                          {!r.live ? (
                            <Badge tone="neutral" className="mt-0.5">
                              account removed
                            </Badge>
                          ) : null}
                        </TD>
                        <TD className="text-right tabular-nums">{formatAmount(r.result.usage)}</TD>
                        <TD className="text-right tabular-nums">{formatAmount(r.result.credits)}</TD>
                        <TD className={`text-right tabular-nums ${r.result.remaining < 0 ? "font-medium text-red-700" : ""}`}>
                          {formatAmount(r.result.remaining)}
                        </TD>
                        <TD>
                          <UsageBar usage={r.result.usage} credits={r.result.credits} />
                        </TD>
                        <TD className="text-right tabular-nums">{formatAmount(r.result.burnRatePerHour)}</TD>
                        <TD>
                          {canEdit && r.live ? (
                            <OverrideDialog
                              providerId={provider.id}
                              userId={r.userId}
                              username={r.username}
                              override={r.override}
                              providerThreshold={saved.threshold}
                              unit={r.result.unit}
                              action={setOverride}
                            />
                          ) : r.override !== null ? (
                            formatAmount(r.override)
                          ) : (
                            <span className="text-slate-400">—</span>
                          )}
                        </TD>
                      </TR>
                    ))}
                  </TBody>
                </Table>
                <Pagination page={usage.page} pageSize={usage.pageSize} total={usage.total} basePath={base} params={{ q, sort: sort === "usage" ? undefined : sort }} />
              </>
            )}
          </Card>
        </section>
      </div>
    </>
  );
}
