import { plural } from "@/lib/domain/format";
import { driftCheckSummary } from "@/lib/drift/text";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { inArray } from "drizzle-orm";
import { DriftControls, DriftRowActions } from "@/components/drift/drift-controls";
import { DriftScheduleForm } from "@/components/drift/drift-schedule-form";
import { EmptyState, PageHeader } from "@/components/layout/page-header";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Pagination } from "@/components/ui/pagination";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { requirePage } from "@/lib/auth/dal";
import { can } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db";
import { driftSettings, identities, users } from "@/lib/db/schema";
import { describeFinding } from "@/lib/domain/drift";
import { DRIFT_APPLY_JOB, DRIFT_CHECK_JOB, findingsPage } from "@/lib/drift/jobs";
import { formatInterval } from "@/lib/imports/resources";
import { listJobs } from "@/lib/jobs/queue";
import { getProviderForRequest } from "@/lib/providers/page-cache";
import { formatDateTime } from "@/lib/utils";
import { eq } from "drizzle-orm";
import { driftBulk, driftRow, driftSchedule } from "./actions";
import { pageParam } from "@/lib/domain/paging";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ status?: string; page?: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Drift · provider ${(await params).id}` };
}

const PAGE_SIZE = 50;

export default async function ProviderDriftPage({ params, searchParams }: Props) {
  const user = await requirePage("console.view");
  const provider = await getProviderForRequest((await params).id);
  if (!provider) notFound();
  const db = await getDb();
  const sp = await searchParams;
  const status = sp.status === "ignored" ? "ignored" : "open";
  const page = pageParam(sp.page);
  const [findings, [settings], jobs] = await Promise.all([
    findingsPage(db, provider.id, { status, page, pageSize: PAGE_SIZE }),
    db.select().from(driftSettings).where(eq(driftSettings.providerId, provider.id)),
    listJobs(db, { providerId: provider.id, kinds: [DRIFT_CHECK_JOB, DRIFT_APPLY_JOB], limit: 1 }),
  ]);
  const ids = [...new Set(findings.rows.map((f) => f.identityId))];
  const names = ids.length
    ? new Map(
        (
          await db
            .select({ id: identities.id, username: users.username })
            .from(identities)
            .innerJoin(users, eq(users.id, identities.userId))
            .where(inArray(identities.id, ids))
        ).map((r) => [r.id, r.username]),
      )
    : new Map<number, string>();
  const canEdit = can(user, "accounts.manage");
  const summary = settings?.lastSummary as { accounts?: number; open?: number; calls?: number; ms?: number } | null | undefined;
  const base = `/providers/${provider.id}/drift`;

  return (
    <>
      <PageHeader
        title={`Drift: ${provider.name}`}
        description={
          <>
            What the cloud has against what Cloudport set up for each account: project, user, roles, network, subnet, router interface,
            security rules and quotas.{" "}
            {settings && !settings.enabled ? "Checked only on demand." : `Checked every ${formatInterval(settings?.intervalSeconds ?? 3600)}.`}
          </>
        }
      />
      <div className="grid gap-6">
        <p className="text-sm text-slate-700" data-testid="drift-last-check">
          {settings?.lastCheckedAt
            ? `Last checked ${formatDateTime(settings.lastCheckedAt)}: ${driftCheckSummary({ accounts: summary?.accounts ?? 0, open: summary?.open ?? 0, calls: summary?.calls ?? 0 })} in ${((summary?.ms ?? 0) / 1000).toFixed(1)} s.`
            : "Not checked yet."}
        </p>
        {canEdit ? (
          <div className="flex flex-wrap items-start justify-between gap-6">
            <DriftControls providerId={provider.id} latestJobId={jobs[0]?.id ?? null} action={driftBulk} />
            <DriftScheduleForm
              providerId={provider.id}
              intervalSeconds={settings?.intervalSeconds ?? 3600}
              enabled={settings?.enabled ?? true}
              action={driftSchedule}
            />
          </div>
        ) : null}
        <Card>
          <CardHeader className="flex flex-wrap items-end justify-between gap-4">
            <CardTitle>{status === "open" ? "Open differences" : "Ignored differences"}</CardTitle>
            <nav aria-label="Difference status" className="flex gap-3 text-sm">
              <Link href={base} aria-current={status === "open" ? "page" : undefined} className="text-brand-700 hover:underline">
                Open
              </Link>
              <Link href={`${base}?status=ignored`} aria-current={status === "ignored" ? "page" : undefined} className="text-brand-700 hover:underline">
                Ignored
              </Link>
            </nav>
          </CardHeader>
          <CardContent className="grid gap-3">
            {findings.rows.length === 0 ? (
              <EmptyState title={status === "open" ? "No open differences" : "Nothing ignored"}>
                {status === "open" ? "The cloud matches what Cloudport set up, as of the last check." : "Ignored differences show here."}
              </EmptyState>
            ) : (
              <>
                <Table aria-label="Drift differences">
                  <THead>
                    <TR>
                      <TH>Account</TH>
                      <TH>Difference</TH>
                      <TH>Found</TH>
                      {canEdit ? <TH>Action</TH> : null}
                    </TR>
                  </THead>
                  <TBody>
                    {findings.rows.map((f) => {
                      const text = describeFinding(f);
                      const who = names.get(f.identityId) ?? `identity ${f.identityId}`;
                      return (
                        <TR key={f.id} data-field={f.field} data-username={who}>
                          <TD className="font-medium">{who}</TD>
                          <TD>{text}</TD>
                          <TD>{formatDateTime(f.detectedAt)}</TD>
                          {canEdit ? (
                            <TD>
                              <DriftRowActions
                                providerId={provider.id}
                                findingId={f.id}
                                label={`${who} ${text}`}
                                canApply={f.fixable}
                                canAccept={f.field.startsWith("quota.")}
                                action={driftRow}
                              />
                            </TD>
                          ) : null}
                        </TR>
                      );
                    })}
                  </TBody>
                </Table>
                <Pagination page={page} pageSize={PAGE_SIZE} total={findings.total} basePath={base} params={{ status: status === "ignored" ? "ignored" : undefined }} label="Difference pages" />
              </>
            )}
          </CardContent>
        </Card>
      </div>
    </>
  );
}
