import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ACTION_LABELS, DryRun, PolicyForm, RunNow } from "@/components/enforcement/enforcement-forms";
import { EmptyState, PageHeader } from "@/components/layout/page-header";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Pagination } from "@/components/ui/pagination";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { getStrategy } from "@/lib/allocation/queries";
import { requirePage } from "@/lib/auth/dal";
import { can } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db";
import { DEFAULT_POLICY } from "@/lib/domain/enforcement";
import { ENFORCEMENT_RUN_JOB } from "@/lib/enforcement/jobs";
import { getPolicyRow, providerEventsPage } from "@/lib/enforcement/store";
import { listJobs } from "@/lib/jobs/queue";
import { env } from "@/lib/env";
import { getProviderForRequest } from "@/lib/providers/page-cache";
import { formatDateTime } from "@/lib/utils";
import { dryRunEnforcement, runEnforcementNow, saveEnforcementPolicy } from "./actions";
import { pageParam } from "@/lib/domain/paging";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ page?: string; notices?: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Enforcement · provider ${(await params).id}` };
}

const PAGE_SIZE = 50;
const KIND_TONE = { notify: "info", stop: "danger", shelve: "danger", zero_cores: "warning", restore: "success" } as const;

export default async function ProviderEnforcementPage({ params, searchParams }: Props) {
  const user = await requirePage("console.view");
  const provider = await getProviderForRequest((await params).id);
  if (!provider) notFound();
  const db = await getDb();
  const sp = await searchParams;
  const page = pageParam(sp.page);
  const includeNotices = sp.notices === "1";
  const [row, strategy, events, jobs] = await Promise.all([
    getPolicyRow(db, provider.id),
    getStrategy(db, provider.id),
    providerEventsPage(db, provider.id, { page, pageSize: PAGE_SIZE, includeNotices }),
    listJobs(db, { providerId: provider.id, kinds: [ENFORCEMENT_RUN_JOB], limit: 1 }),
  ]);
  const policy = row ?? { ...DEFAULT_POLICY, intervalSeconds: 3600, nextRunAt: null, lastRunAt: null };
  const canEdit = can(user, "accounts.manage");
  const base = `/providers/${provider.id}/enforcement`;
  const mail = Boolean(env().CLOUDPORT_SMTP_URL);

  return (
    <>
      <PageHeader
        title={`Enforcement: ${provider.name}`}
        description="Notices as users approach their allocation, and what happens when it is used up. Every action is audited and shown on the user's allocation page; when credit is refreshed the quota is restored."
      />
      <div className="grid gap-6">
        {!strategy ? (
          <Alert tone="warning">
            {provider.name} has no allocation strategy: enforcement measures usage against it.{" "}
            <Link className="font-medium underline" href={`/providers/${provider.id}/allocation`}>
              Create one
            </Link>{" "}
            first.
          </Alert>
        ) : null}
        <p className="text-sm text-slate-700" data-testid="enforcement-status">
          <Badge tone={policy.enabled ? "success" : "neutral"}>{policy.enabled ? "enabled" : "off"}</Badge>{" "}
          At 100 %: {ACTION_LABELS[policy.action]?.toLowerCase() ?? policy.action}
          {policy.graceHours ? ` after ${policy.graceHours} h` : ""}. Notices at {policy.thresholds.join(" %, ")} %.
          {policy.enabled && policy.nextRunAt ? ` Next run ${formatDateTime(policy.nextRunAt)}.` : ""}
          {policy.lastRunAt ? ` Last run ${formatDateTime(policy.lastRunAt)}.` : ""} Mail: {mail ? "on (SMTP)" : "off (CLOUDPORT_SMTP_URL unset); notices go to Notifications"}.
        </p>
        {canEdit ? (
          <Card>
            <CardHeader>
              <CardTitle>Policy</CardTitle>
            </CardHeader>
            <CardContent>
              <PolicyForm
                providerId={provider.id}
                values={{
                  thresholds: policy.thresholds,
                  action: policy.action,
                  graceHours: policy.graceHours,
                  enabled: policy.enabled,
                  intervalMinutes: Math.round(policy.intervalSeconds / 60),
                }}
                action={saveEnforcementPolicy}
              />
            </CardContent>
          </Card>
        ) : null}
        {canEdit && strategy ? (
          <Card>
            <CardHeader>
              <CardTitle>Dry run and manual run</CardTitle>
            </CardHeader>
            <CardContent className="grid gap-6">
              <DryRun providerId={provider.id} action={dryRunEnforcement} />
              <RunNow providerId={provider.id} latestJobId={jobs[0]?.id ?? null} action={runEnforcementNow} />
            </CardContent>
          </Card>
        ) : null}
        <Card>
          <CardHeader className="flex flex-wrap items-end justify-between gap-4">
            <CardTitle>What enforcement did</CardTitle>
            <nav aria-label="Event filter" className="flex gap-3 text-sm">
              <Link href={base} aria-current={!includeNotices ? "page" : undefined} className="text-brand-700 hover:underline">
                Actions and restores
              </Link>
              <Link href={`${base}?notices=1`} aria-current={includeNotices ? "page" : undefined} className="text-brand-700 hover:underline">
                With notices
              </Link>
            </nav>
          </CardHeader>
          <CardContent className="grid gap-3">
            {events.rows.length === 0 ? (
              <EmptyState title="Nothing yet">Actions, restores and notices of enforcement runs show here.</EmptyState>
            ) : (
              <>
                <Table aria-label="Enforcement events">
                  <THead>
                    <TR>
                      <TH>When</TH>
                      <TH>User</TH>
                      <TH>What</TH>
                      <TH>Details</TH>
                    </TR>
                  </THead>
                  <TBody>
                    {events.rows.map((e) => (
                      <TR key={e.id} data-username={e.username} data-kind={e.kind}>
                        <TD className="whitespace-nowrap">{formatDateTime(e.createdAt)}</TD>
                        <TD className="font-medium">
                          <Link className="text-brand-700 hover:underline" href={`/providers/${provider.id}/allocation/users/${e.userId}`}>
                            {e.username}
                          </Link>
                        </TD>
                        <TD>
                          <Badge tone={KIND_TONE[e.kind as keyof typeof KIND_TONE] ?? "neutral"}>{e.kind === "notify" ? `notice ${e.threshold} %` : e.kind}</Badge>
                        </TD>
                        <TD className="text-sm text-slate-700">{e.message}</TD>
                      </TR>
                    ))}
                  </TBody>
                </Table>
                <Pagination page={page} pageSize={PAGE_SIZE} total={events.total} basePath={base} params={{ notices: includeNotices ? "1" : undefined }} label="Event pages" />
              </>
            )}
          </CardContent>
        </Card>
      </div>
    </>
  );
}
