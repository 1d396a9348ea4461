import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { MonthlyChart, monthsBetween, type MonthlyBar } from "@/components/accounting/monthly-chart";
import { RulesForm, SiteForm } from "@/components/accounting/rules-form";
import { EmptyState, PageHeader } from "@/components/layout/page-header";
import { Alert } from "@/components/ui/alert";
import { Button, buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { Pagination } from "@/components/ui/pagination";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatMultipliers, formatRates } from "@/lib/accounting/schemas";
import { getUsagePage, siteOf } from "@/lib/accounting/service";
import type { SortKey } from "@/lib/accounting/queries";
import { requirePage } from "@/lib/auth/dal";
import { can } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db";
import { DEFAULT_RULES, formatProjectVos, monthKey, monthRange, parseDayRange, rangeDays, stateWeight, suTypesOf, type AccountingRules } from "@/lib/domain/accounting";
import { formatAmount } from "@/lib/domain/allocation";
import { getProviderForRequest } from "@/lib/providers/page-cache";
import { saveRules, saveSite } from "./actions";
import { pageParam } from "@/lib/domain/paging";

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ from?: string; to?: string; q?: string; sort?: string; page?: string }>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  return { title: `Usage · provider ${id}` };
}

const SORTS: Record<SortKey, string> = { su: "SUs, most first", cost: "Cost, most first", cpu: "CPU-hours, most first", project: "Project name" };
const day = (d: Date) => d.toISOString().slice(0, 10);

function describeRules(r: AccountingRules): string {
  const w = (s: string) => `${Math.round(stateWeight(r, s) * 100)} %`;
  const rates = Object.entries(r.rates).map(([t, v]) => `${t} ${v} ${r.currency}/SU`);
  const mult = r.multipliers.map((m) => `${m.suType} × ${m.factor}${m.flavorPattern ? ` for ${m.flavorPattern}` : ""}${m.extraSpec?.key ? ` with ${m.extraSpec.key}${m.extraSpec.value ? `=${m.extraSpec.value}` : ""}` : ""}`);
  return [
    `1 SU = 1 vCPU-hour${mult.length ? `; ${mult.join(", ")}` : ""}`,
    `active ${w("ACTIVE")}, suspended ${w("SUSPENDED")}, paused ${w("PAUSED")}, stopped ${w("SHUTOFF")}, shelved ${w("SHELVED")}, others ${Math.round(r.otherWeight * 100)} %`,
    rates.length ? rates.join(", ") : "no rate (cost 0)",
  ].join(" · ");
}

export default async function ProviderUsagePage({ params, searchParams }: Props) {
  const user = await requirePage("console.view");
  const db = await getDb();
  const provider = await getProviderForRequest((await params).id);
  if (!provider) notFound();
  const sp = await searchParams;
  const now = new Date();
  const parsed = parseDayRange(sp.from || undefined, sp.to || undefined, now);
  const range = parsed ?? monthRange(now);
  const days = rangeDays(range);
  const q = sp.q?.trim() || undefined;
  const sort: SortKey = sp.sort && sp.sort in SORTS ? (sp.sort as SortKey) : "su";
  const page = pageParam(sp.page);
  const [usage, site] = await Promise.all([getUsagePage(db, provider.id, { range, search: q, sort, page, pageSize: 25, now }), siteOf(db, provider.id)]);
  const canEdit = can(user, "accounting.manage");
  const base = `/providers/${provider.id}/usage`;
  const latest = usage.stored.at(-1) ?? null;
  // Rules versions in the range may price in different currencies: no sum across them.
  const mixed = usage.currencies.length > 1;
  const currency = usage.currencies.join(", ");
  const costText = mixed
    ? usage.currencies.map((c) => `${formatAmount(usage.costByCurrency[c] ?? 0)} ${c}`).join(" + ")
    : formatAmount(usage.totals.cost);
  const suTypes = [...new Set([...usage.versions.flatMap(suTypesOf), ...usage.chart.map((c) => c.suType)])].filter((t) =>
    usage.chart.some((c) => c.suType === t && c.suHours > 0),
  );
  const bars: MonthlyBar[] = monthsBetween(monthKey(range.from), monthKey(new Date(range.to.getTime() - 1))).map((month) => ({
    month,
    parts: usage.chart.filter((c) => c.month === month).map((c) => ({ key: c.suType, value: c.suHours })),
  }));
  const lastMonth = monthRange(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)));
  const exportHref = (format: string) => `${base}/export?format=${format}&from=${days.from}&to=${days.to}`;
  const t = usage.totals;
  const defaults = latest ?? DEFAULT_RULES;

  return (
    <>
      <PageHeader
        title={`Usage: ${provider.name}`}
        description={
          <>
            Provider {provider.id}. CPU, RAM and disk hours, service units (SUs) and cost per project, from the instances&apos; status
            history. Days are UTC; the range includes both days.
          </>
        }
        actions={
          <Link href={`/providers/${provider.id}/allocation`} className={buttonVariants({ variant: "secondary" })}>
            Allocation
          </Link>
        }
      />
      <div className="grid gap-8">
        <form method="get" role="search" aria-label="Usage range and search" className="flex flex-wrap items-end gap-3">
          <div className="w-44">
            <Field id="from" label="From">
              <Input id="from" name="from" type="date" defaultValue={days.from} />
            </Field>
          </div>
          <div className="w-44">
            <Field id="to" label="To">
              <Input id="to" name="to" type="date" defaultValue={days.to} />
            </Field>
          </div>
          <div className="w-56">
            <Field id="q" label="Project or user">
              <Input id="q" name="q" defaultValue={q} placeholder="project, project id or username" />
            </Field>
          </div>
          <div className="w-48">
            <Field id="sort" label="Sort by">
              <Select id="sort" name="sort" defaultValue={sort}>
                {Object.entries(SORTS).map(([k, label]) => (
                  <option key={k} value={k}>
                    {label}
                  </option>
                ))}
              </Select>
            </Field>
          </div>
          <Button type="submit">Show</Button>
          <Link href={base} className="text-sm text-brand-700 hover:underline">
            This month
          </Link>
          <Link href={`${base}?from=${day(lastMonth.from)}&to=${rangeDays(lastMonth).to}`} className="text-sm text-brand-700 hover:underline">
            Last month
          </Link>
        </form>
        {!parsed ? <Alert tone="warning">That range could not be used (give two real days, from not after to); showing this month.</Alert> : null}

        <section aria-labelledby="totals-heading" className="grid gap-4">
          <h2 id="totals-heading" className="text-lg font-semibold text-slate-900">
            {days.from} to {days.to}
            {q ? ` · matching “${q}”` : ""}
          </h2>
          <dl className="grid grid-cols-2 gap-4 sm:grid-cols-5" data-testid="usage-totals">
            {[
              ["CPU-hours", t.cpuHours],
              ["RAM GB-hours", t.ramGbHours],
              ["Disk GB-hours", t.diskGbHours],
              ["SUs", t.suHours],
              [`Cost (${currency})`, costText],
            ].map(([label, value]) => (
              <div key={label as string} className="rounded-md border border-slate-200 bg-white px-4 py-3">
                <dt className="text-xs text-slate-500">{label}</dt>
                <dd className="text-lg font-semibold tabular-nums text-slate-900">{typeof value === "number" ? formatAmount(value) : value}</dd>
              </div>
            ))}
          </dl>
          {mixed ? (
            <Alert tone="warning">
              The rules in force in this range price in {usage.currencies.length} currencies ({currency}), so cost is shown per currency and
              not per project. The invoice CSV has one line per project, rate period and currency.
            </Alert>
          ) : null}
          <p className="text-xs text-slate-500">
            CPU-hours count every state; of them {formatAmount(t.activeCpuHours)} were ACTIVE (what the allocation counts). SUs weigh
            each state and flavor by the rules in force at the time.
          </p>
          {t.unsizedHours > 0 ? (
            <Alert tone="warning">
              {formatAmount(t.unsizedHours)} instance-hours had no size data (the flavor was never imported) and count 0 CPU, RAM, disk and
              SUs. Import sizes, then instances, to charge them.
            </Alert>
          ) : null}
          <Card>
            <CardHeader>
              <CardTitle>SUs by month and SU type</CardTitle>
            </CardHeader>
            <CardContent>
              {suTypes.length ? (
                <MonthlyChart bars={bars} keys={suTypes} unit="SUs" title="SUs by month and SU type" />
              ) : (
                <p className="text-sm text-slate-600">No SUs in this range.</p>
              )}
            </CardContent>
          </Card>
        </section>

        <section aria-labelledby="projects-heading">
          <Card>
            <CardHeader className="flex flex-wrap items-end justify-between gap-4">
              <CardTitle>
                <span id="projects-heading">By project</span>
              </CardTitle>
              <div className="flex flex-wrap gap-2" aria-label="Downloads">
                <a href={exportHref("apel")} className={buttonVariants({ variant: "secondary", size: "sm" })} download>
                  APEL records
                </a>
                <a href={exportHref("csv")} className={buttonVariants({ variant: "secondary", size: "sm" })} download>
                  Invoice CSV
                </a>
                <a href={exportHref("json")} className={buttonVariants({ variant: "secondary", size: "sm" })} download>
                  JSON
                </a>
              </div>
            </CardHeader>
            {usage.rows.length === 0 ? (
              <CardContent>
                <EmptyState title={q ? "No project matches" : "No usage in this range"}>
                  {q ? "Clear the search to see every project." : "Projects appear once their instances have been imported with status history."}
                </EmptyState>
              </CardContent>
            ) : (
              <>
                <Table aria-label={`Usage by project on ${provider.name}`}>
                  <THead>
                    <tr>
                      <TH>Project</TH>
                      <TH>User</TH>
                      <TH className="text-right">CPU-hours</TH>
                      <TH className="text-right">RAM GB-hours</TH>
                      <TH className="text-right">Disk GB-hours</TH>
                      <TH className="text-right">SUs</TH>
                      <TH className="text-right">Cost ({currency})</TH>
                    </tr>
                  </THead>
                  <TBody>
                    {usage.rows.map((r) => (
                      <TR key={r.projectKey}>
                        <TD>
                          <span className="font-medium text-slate-900">{r.projectName ?? (r.projectKey || "no project")}</span>
                          {r.projectKey ? <span className="block font-mono text-xs text-slate-500">{r.projectKey}</span> : null}
                          {r.unsizedHours > 0 ? <span className="block text-xs text-amber-700">{formatAmount(r.unsizedHours)} h without size data</span> : null}
                        </TD>
                        <TD>{r.username ?? <span className="text-slate-400">—</span>}</TD>
                        <TD className="text-right tabular-nums">{formatAmount(r.cpuHours)}</TD>
                        <TD className="text-right tabular-nums">{formatAmount(r.ramGbHours)}</TD>
                        <TD className="text-right tabular-nums">{formatAmount(r.diskGbHours)}</TD>
                        <TD className="text-right tabular-nums">{formatAmount(r.suHours)}</TD>
                        <TD className="text-right tabular-nums">{mixed ? <span className="text-slate-400">—</span> : formatAmount(r.cost)}</TD>
                      </TR>
                    ))}
                  </TBody>
                </Table>
                <Pagination
                  page={usage.page}
                  pageSize={usage.pageSize}
                  total={usage.total}
                  basePath={base}
                  params={{ from: days.from, to: days.to, q, sort: sort === "su" ? undefined : sort }}
                />
              </>
            )}
          </Card>
        </section>

        <section aria-labelledby="rules-heading" className="grid gap-4">
          <h2 id="rules-heading" className="text-lg font-semibold text-slate-900">
            Rules
          </h2>
          {latest ? (
            <p className="text-sm text-slate-700">
              <span className="font-medium">In force since {day(latest.effectiveFrom)}: </span>
              <span data-testid="current-rules">{describeRules(latest)}</span>
            </p>
          ) : (
            <Alert tone="info">
              No rules saved yet: usage is counted with the defaults (1 SU = 1 vCPU-hour; active 100 %, suspended 75 %, stopped 50 %,
              shelved 0 %) and no rate, so cost is 0.
            </Alert>
          )}
          {usage.stored.length ? (
            <Table aria-label="Rules versions">
              <THead>
                <tr>
                  <TH>From</TH>
                  <TH>Until</TH>
                  <TH>Rules</TH>
                  <TH>Note</TH>
                </tr>
              </THead>
              <TBody>
                {usage.stored.map((v, i) => (
                  <TR key={v.id}>
                    <TD className="whitespace-nowrap">{day(v.effectiveFrom)}</TD>
                    <TD className="whitespace-nowrap">{usage.stored[i + 1] ? day(new Date(usage.stored[i + 1].effectiveFrom.getTime() - 1)) : "—"}</TD>
                    <TD className="text-xs">{describeRules(v)}</TD>
                    <TD className="text-xs">{v.note ?? ""}</TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          ) : null}
          {canEdit ? (
            <Card>
              <CardHeader>
                <CardTitle>New version</CardTitle>
                <p className="mt-1 text-xs text-slate-500">A new version applies from its day on; earlier periods keep the rules they had.</p>
              </CardHeader>
              <CardContent>
                <RulesForm
                  providerId={provider.id}
                  action={saveRules}
                  values={{
                    effectiveFrom: day(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1))),
                    minDate: latest ? day(latest.effectiveFrom) : null,
                    weights: {
                      active: stateWeight(defaults, "active"),
                      suspended: stateWeight(defaults, "suspended"),
                      paused: stateWeight(defaults, "paused"),
                      stopped: stateWeight(defaults, "shutoff"),
                      shelved: stateWeight(defaults, "shelved"),
                      other: defaults.otherWeight,
                    },
                    currency: defaults.currency,
                    rates: latest ? formatRates(latest.rates) : "CPU=0",
                    multipliers: formatMultipliers(defaults.multipliers),
                  }}
                />
              </CardContent>
            </Card>
          ) : null}
          {site ? (
            <Card>
              <CardHeader>
                <CardTitle>APEL site</CardTitle>
                <p className="mt-1 text-xs text-slate-500">
                  {site.configured ? "As set for this provider." : "Not set yet: the provider's name and its Keystone host are used."}{" "}
                  {site.vo || Object.keys(site.projectVos).length
                    ? ""
                    : "No VO: records carry FQAN None, so the APEL repository accounts them to no VO."}
                </p>
              </CardHeader>
              <CardContent>
                {canEdit ? (
                  <SiteForm
                    providerId={provider.id}
                    siteName={site.siteName}
                    cloudComputeService={site.cloudComputeService}
                    vo={site.vo ?? ""}
                    projectVos={formatProjectVos(site.projectVos)}
                    action={saveSite}
                  />
                ) : (
                  <p className="text-sm">
                    {site.siteName} · {site.cloudComputeService} · {site.vo ? `VO ${site.vo}` : "no VO"}
                    {Object.keys(site.projectVos).length ? ` (${Object.keys(site.projectVos).length} in another VO)` : ""}
                  </p>
                )}
              </CardContent>
            </Card>
          ) : null}
        </section>
      </div>
    </>
  );
}
