import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CapacityBar } from "@/components/capacity/capacity-bar";
import { FitsTable } from "@/components/capacity/fits-table";
import { classLabel, formatAge, formatClassAmount } from "@/components/capacity/format";
import { HostsTable } from "@/components/capacity/hosts-table";
import { QuotaTable } from "@/components/capacity/quota-table";
import { SnapshotButton } from "@/components/capacity/snapshot-button";
import { TrendChart } from "@/components/capacity/trend-chart";
import { EmptyState, PageHeader } from "@/components/layout/page-header";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Pagination } from "@/components/ui/pagination";
import { requirePage } from "@/lib/auth/dal";
import { can } from "@/lib/auth/permissions";
import { loadCapacityPage } from "@/lib/capacity/view";
import { getDb } from "@/lib/db";
import { getProviderForRequest } from "@/lib/providers/page-cache";
import { takeCapacitySnapshot } from "./actions";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.slice(0, 200) || undefined;
const PAGE_SIZE = 50;

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Capacity · provider ${(await params).id}` };
}

export default async function ProviderCapacityPage({ params, searchParams }: Props) {
  const user = await requirePage("console.view");
  const { id: rawId } = await params;
  const sp = await searchParams;
  const provider = await getProviderForRequest(rawId);
  if (!provider) notFound();
  const flavorId = one(sp.flavor);
  const page = Math.max(1, Number.parseInt(one(sp.fpage) ?? "1", 10) || 1);
  const db = await getDb();
  const data = await loadCapacityPage(db, provider.id, { flavorId });
  const base = `/providers/${provider.id}/capacity`;
  const askHref = (id: string) => `${base}?${new URLSearchParams({ flavor: id, ...(page > 1 ? { fpage: String(page) } : {}) })}#placement`;
  const pageFlavors = data.fits.flavors.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const now = new Date();

  return (
    <>
      <PageHeader
        title="Capacity"
        description="What the cloud's Placement service can still hand out: per host and class, which imported flavors still fit and how many, quota promised against capacity, and the trend of the scheduled snapshots."
        actions={<SnapshotButton providerId={provider.id} action={takeCapacitySnapshot} liveJob={data.liveJob} disabled={!can(user, "imports.run")} />}
      />

      {data.source.kind === "snapshot" ? (
        <Alert tone="warning" className="mb-4">
          The cloud could not be read now ({data.source.error}); showing the snapshot of {formatAge(data.source.at, now)}.
        </Alert>
      ) : data.source.kind === "none" ? (
        <Alert tone="error" className="mb-4">
          The cloud could not be read: {data.source.error}
        </Alert>
      ) : null}

      <div className="grid gap-6">
        <Card>
          <CardHeader>
            <CardTitle>Totals per class</CardTitle>
            <p className="mt-1 text-xs text-slate-500">
              {data.hosts.length} resource provider{data.hosts.length === 1 ? "" : "s"}; usable = (total − reserved) × allocation ratio.
              {data.source.kind === "live" ? " Read from Placement just now." : ""}
            </p>
          </CardHeader>
          <CardContent className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3" aria-label="Capacity totals">
            {data.totals.length ? (
              data.totals.map((t) => (
                <div key={t.resourceClass} className="grid gap-1">
                  <CapacityBar resourceClass={t.resourceClass} used={t.used} usable={t.usable} />
                  <p className="text-xs text-slate-500">
                    total {formatClassAmount(t.resourceClass, t.total)}, reserved {formatClassAmount(t.resourceClass, t.reserved)}, free{" "}
                    {formatClassAmount(t.resourceClass, t.free)} on {t.hosts} host{t.hosts === 1 ? "" : "s"}
                  </p>
                </div>
              ))
            ) : (
              <p className="text-sm text-slate-600">No inventories.</p>
            )}
          </CardContent>
        </Card>

        <Card>
          <CardHeader>
            <CardTitle>What still fits</CardTitle>
            <p className="mt-1 text-sm text-slate-600" data-field="largest-fitting">
              {data.fits.flavors.length === 0
                ? "No flavors imported yet: import sizes on the Imports tab."
                : data.fits.largestFitting
                  ? `Largest flavor that still fits anywhere: ${data.fits.largestFitting.name} (${data.fits.largestFitting.fits.toLocaleString("en-US")} more).`
                  : "No imported flavor fits anywhere right now."}
            </p>
          </CardHeader>
          {data.fits.flavors.length ? (
            <>
              <form method="get" action={base} className="flex flex-wrap items-end gap-3 border-b border-slate-100 px-5 py-3">
                <Field id="capacity-flavor" label="Ask Placement about a flavor">
                  <select
                    id="capacity-flavor"
                    name="flavor"
                    defaultValue={data.chosen?.id ?? ""}
                    className="h-9 rounded-md border border-slate-300 bg-white px-2 text-sm"
                  >
                    <option value="" disabled>
                      Choose a flavor…
                    </option>
                    {data.fits.flavors.map((f) => (
                      <option key={f.id} value={f.id}>
                        {f.name}
                      </option>
                    ))}
                  </select>
                </Field>
                <Button type="submit" size="sm" variant="secondary">
                  Ask
                </Button>
              </form>
              <FitsTable flavors={pageFlavors} askHref={askHref} chosenId={data.chosen?.id} />
              <Pagination page={page} pageSize={PAGE_SIZE} total={data.fits.flavors.length} basePath={base} params={{ flavor: flavorId }} pageParam="fpage" label="Flavor pages" />
            </>
          ) : null}
        </Card>

        {data.chosen ? (
          <Card id="placement">
            <CardHeader>
              <CardTitle>Placement&apos;s answer for {data.chosen.name}</CardTitle>
              <p className="mt-1 font-mono text-xs text-slate-500">
                GET /allocation_candidates?resources=
                {Object.entries(data.chosen.resources)
                  .map(([rc, n]) => `${rc}:${n}`)
                  .join(",")}
              </p>
            </CardHeader>
            <CardContent>
              {data.candidatesError ? (
                <Alert tone="error">Placement could not answer: {data.candidatesError}</Alert>
              ) : data.candidates && data.candidates.hosts.length ? (
                <ul aria-label="Hosts that would take it" className="list-inside list-disc text-sm">
                  {data.candidates.hosts.map((h) => (
                    <li key={h.uuid}>{h.name}</li>
                  ))}
                </ul>
              ) : data.candidates ? (
                <p className="text-sm text-red-700">No host would take it now.</p>
              ) : (
                <p className="text-sm text-slate-600">Placement cannot be asked while the cloud is unreachable.</p>
              )}
            </CardContent>
          </Card>
        ) : null}

        <Card>
          <CardHeader>
            <CardTitle>Quota against capacity</CardTitle>
            <p className="mt-1 text-xs text-slate-500">
              The sum of the compute quota granted to Cloudport&apos;s account projects, against usable capacity; above 1× more is promised than exists.
            </p>
          </CardHeader>
          <CardContent>
            {data.quota ? (
              <QuotaTable rows={data.quota.rows} reading={data.quota.reading} />
            ) : (
              <p className="text-sm text-slate-600">Read by the snapshot job; no snapshot yet.</p>
            )}
          </CardContent>
        </Card>

        <section aria-labelledby="trend-heading" className="grid gap-3">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 id="trend-heading" className="text-base font-semibold text-slate-900">
              Trend (last 30 days)
            </h2>
            <p className="text-xs text-slate-500">
              {data.lastSnapshot ? `Last snapshot ${formatAge(data.lastSnapshot.takenAt, now)}. ` : "No snapshot yet. "}
              {data.schedule?.enabled
                ? `Every ${Math.round(data.schedule.intervalSeconds / 60)} min; next ${data.schedule.nextRunAt <= now ? "due now" : `at ${data.schedule.nextRunAt.toISOString().slice(11, 16)} UTC`}.`
                : "Scheduled snapshots are off."}
              {data.lastAttemptError ? ` The last attempt failed: ${data.lastAttemptError}` : ""}
            </p>
          </div>
          {data.trends.length ? (
            <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
              {data.trends.map((t) => (
                <TrendChart key={t.resourceClass} resourceClass={t.resourceClass} points={t.points} fullIn={t.fullIn} />
              ))}
            </div>
          ) : (
            <EmptyState title="No snapshots yet">Snapshots are taken on a schedule; the trend and the &ldquo;full in&rdquo; estimate follow.</EmptyState>
          )}
        </section>

        <section aria-labelledby="hosts-heading" className="grid gap-3">
          <h2 id="hosts-heading" className="text-base font-semibold text-slate-900">
            Resource providers
          </h2>
          {data.hosts.length ? <HostsTable hosts={data.hosts} /> : <p className="text-sm text-slate-600">None.</p>}
          <p className="text-xs text-slate-500">
            Classes: {data.totals.map((t) => classLabel(t.resourceClass)).join(", ") || "none"}.{" "}
            <Link href={`/providers/${provider.id}/imports`} className="text-brand-600 hover:underline">
              Imported flavors
            </Link>
          </p>
        </section>
      </div>
    </>
  );
}
