import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AccountJobs } from "@/components/accounts/account-jobs";
import { AccountsTable } from "@/components/accounts/accounts-table";
import { CandidatesTable } from "@/components/accounts/candidates-table";
import { AccountJobsProvider } from "@/components/accounts/jobs-context";
import { ProvisionForm } from "@/components/accounts/provision-form";
import { GroupProvision } from "@/components/ldap/group-provision";
import { EmptyState, PageHeader } from "@/components/layout/page-header";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { Pagination } from "@/components/ui/pagination";
import { accountSettings } from "@/lib/providers/connection";
import { ACCOUNT_JOB_KINDS } from "@/lib/accounts/jobs";
import {
  ACCOUNT_STATES,
  accountStateCounts,
  listAccountJobs,
  listCandidateUsers,
  listProviderAccounts,
  type AccountStateFilter,
} from "@/lib/accounts/queries";
import { accountView } from "@/lib/accounts/views";
import { toJobView } from "@/lib/jobs/view";
import { trimUserStatuses } from "@/lib/accounts/user-statuses";
import { requirePage } from "@/lib/auth/dal";
import { can } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db";
import { getProviderForRequest } from "@/lib/providers/page-cache";
import { listDirectories, listSources } from "@/lib/ldap/store";
import { cn, formatDateTime } from "@/lib/utils";
import { adoptAccount, exportOpenrc, provisionAccounts, removeAccounts } from "./actions";
import { previewLdapGroup, previewLdapLeavers, provisionLdapGroup, removeLdapLeavers, setLdapGroupSync } from "./ldap-actions";
import { pageParam } from "@/lib/domain/paging";

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ view?: string; q?: string; state?: string; page?: string }>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  return { title: `Accounts · provider ${id}` };
}

const PAGE_SIZE = 50;
const STATE_FILTERS: AccountStateFilter[] = ["live", "all", ...ACCOUNT_STATES];

export default async function ProviderAccountsPage({ params, searchParams }: Props) {
  const user = await requirePage("console.view");
  const { id: rawId } = await params;
  const db = await getDb();
  const provider = await getProviderForRequest(rawId);
  if (!provider) notFound();

  const sp = await searchParams;
  const view = sp.view === "users" ? "users" : "accounts";
  const q = sp.q?.trim() || undefined;
  const state = (STATE_FILTERS as string[]).includes(sp.state ?? "") ? (sp.state as AccountStateFilter) : "live";
  const page = pageParam(sp.page);
  const canManage = can(user, "accounts.manage");
  const settings = accountSettings(provider);

  const [jobs, counts, accounts, candidates, directories, sources] = await Promise.all([
    listAccountJobs(db, provider.id, ACCOUNT_JOB_KINDS, 5),
    accountStateCounts(db, provider.id),
    view === "accounts" ? listProviderAccounts(db, provider.id, { q, state, page, pageSize: PAGE_SIZE }) : null,
    view === "users" ? listCandidateUsers(db, provider.id, { q, page, pageSize: PAGE_SIZE }) : null,
    canManage ? listDirectories(db) : [],
    canManage ? listSources(db, provider.id) : [],
  ]);
  const sourceViews = sources.map(({ source: s, directoryName }) => ({
    id: s.id,
    directoryId: s.directoryId,
    directoryName,
    groupName: s.groupName,
    syncEnabled: s.syncEnabled,
    intervalHours: Math.round(s.intervalSeconds / 3600),
    lastRunAt: s.lastRunAt ? formatDateTime(s.lastRunAt) : null,
    members: s.lastResult?.members.length ?? 0,
    newCount: s.lastResult?.new.length ?? 0,
    left: s.lastResult?.left ?? [],
    skipped: (s.lastResult?.skipped ?? []).map((m) => ({ username: m.username, reason: m.reason })),
    error: s.lastResult?.error ?? null,
  }));
  // Jobs still running, plus the latest finished one so its per-user outcome stays in view.
  const live = jobs.filter((j) => j.state === "queued" || j.state === "running");
  // Per-user statuses trimmed as /api/jobs/[id] sends them (a 10,000-user job is not embedded whole).
  const shownJobs = [...live, ...jobs.filter((j) => !live.includes(j)).slice(0, 1)].map((j) =>
    toJobView(j, trimUserStatuses((j.counts ?? {}) as Record<string, unknown>)),
  );
  const liveCount = counts.pending + counts.provisioning + counts.active + counts.failed + counts.removing;
  const base = `/providers/${provider.id}/accounts`;
  const tab = (v: "accounts" | "users", label: string) => (
    <Link
      href={v === "accounts" ? base : `${base}?view=users`}
      aria-current={view === v ? "page" : undefined}
      className={cn(
        "rounded-md px-3 py-1.5 text-sm font-medium",
        view === v ? "bg-brand-50 text-brand-700 ring-1 ring-brand-100" : "text-slate-600 hover:bg-slate-100",
      )}
    >
      {label}
    </Link>
  );

  return (
    <AccountJobsProvider initial={shownJobs.map((j) => j.id)}>
      <PageHeader
        title={`Accounts on ${provider.name}`}
        description={
          <>
            provider {provider.id} · {settings.topology}
            {settings.topology === "External Router Topology" ? ` (${settings.publicRouters.join(", ") || "no public router"})` : ` (external network ${settings.externalNetwork ?? "not set"})`} ·
            domain {settings.domain} · roles {settings.userRoleName} / {settings.adminRoleName}
          </>
        }
      />

      <div className="grid gap-6">
        {!provider.isActive ? <Alert tone="warning">This provider is inactive: users do not see it, but staff can still manage accounts on it.</Alert> : null}

        <AccountJobs providerId={provider.id} initial={shownJobs} provisionAccounts={provisionAccounts} />

        {canManage ? (
          <Card>
            <CardHeader>
              <CardTitle>Provision accounts</CardTitle>
              <p className="mt-1 text-sm text-slate-600">
                For each user: a Keystone project and user named after them (password derived from the provider&apos;s account secret,
                never stored), the {settings.userRoleName} role for them and the {settings.adminRoleName} role for the provider&apos;s
                admin, the security rules, <code>&lt;project&gt;-net</code> with a free /24 from 172.16.0.0/12, and the router wiring of
                the {settings.topology}. Steps already done are skipped. Or pick users below.
              </p>
            </CardHeader>
            <CardContent>
              <ProvisionForm providerId={provider.id} provisionAccounts={provisionAccounts} />
            </CardContent>
          </Card>
        ) : null}

        {canManage ? (
          <Card>
            <CardHeader>
              <CardTitle>Provision members of an LDAP group</CardTitle>
              <p className="mt-1 text-sm text-slate-600">
                Members without a portal user get one (no password: they sign in as the portal allows); members without an account here
                are provisioned as above. Running it again only adds who is new.
              </p>
            </CardHeader>
            <CardContent>
              <GroupProvision
                providerId={provider.id}
                directories={directories.map((d) => ({ id: d.id, name: d.name }))}
                sources={sourceViews}
                preview={previewLdapGroup}
                provision={provisionLdapGroup}
                setGroupSync={setLdapGroupSync}
                previewLeavers={previewLdapLeavers}
                removeLeavers={removeLdapLeavers}
              />
            </CardContent>
          </Card>
        ) : null}

        <Card>
          <CardHeader className="grid gap-4">
            <nav aria-label="Lists" className="flex flex-wrap gap-2">
              {tab("accounts", `Accounts (${liveCount.toLocaleString("en-US")})`)}
              {tab("users", "Portal users without an account")}
            </nav>
            <form method="get" action={base} role="search" className="flex flex-wrap items-end gap-3">
              {view === "users" ? <input type="hidden" name="view" value="users" /> : null}
              <div className="w-72">
                <Field id="q" label={view === "users" ? "Search users (username, name, email)" : "Search accounts (username, project)"}>
                  <Input id="q" name="q" defaultValue={q} placeholder="e.g. cmart" />
                </Field>
              </div>
              {view === "accounts" ? (
                <div className="w-48">
                  <Field id="state" label="State">
                    <Select id="state" name="state" defaultValue={state}>
                      {STATE_FILTERS.map((s) => (
                        <option key={s} value={s}>
                          {s === "live" ? "not removed" : s === "all" ? "all, with removed" : `${s} (${counts[s as keyof typeof counts] ?? 0})`}
                        </option>
                      ))}
                    </Select>
                  </Field>
                </div>
              ) : null}
              <Button type="submit" variant="secondary">
                Search
              </Button>
            </form>
          </CardHeader>
          {accounts ? (
            accounts.total === 0 ? (
              <CardContent>
                <EmptyState title={q || state !== "live" ? "No account matches" : "No accounts yet"}>
                  {q || state !== "live" ? "Clear the search to see every account." : "Provision some above, or pick portal users in the other list."}
                </EmptyState>
              </CardContent>
            ) : (
              <>
                <AccountsTable
                  providerId={provider.id}
                  rows={accounts.rows.map(accountView)}
                  total={accounts.total}
                  q={q}
                  state={state}
                  actions={{ provisionAccounts, removeAccounts, exportOpenrc }}
                  adopt={user.isSuperuser ? adoptAccount : undefined}
                  federated={Boolean(settings.federation)}
                />
                <Pagination page={accounts.page} pageSize={accounts.pageSize} total={accounts.total} basePath={base} params={{ q, state: state === "live" ? undefined : state }} />
              </>
            )
          ) : candidates ? (
            candidates.total === 0 ? (
              <CardContent>
                <EmptyState title={q ? "No user matches" : "Every portal user has an account here"}>
                  {q ? "Clear the search to see every user." : "Paste new usernames above to create users and their accounts."}
                </EmptyState>
              </CardContent>
            ) : (
              <>
                <CandidatesTable providerId={provider.id} rows={candidates.rows} total={candidates.total} q={q} provisionAccounts={provisionAccounts} />
                <Pagination page={candidates.page} pageSize={candidates.pageSize} total={candidates.total} basePath={base} params={{ view: "users", q }} />
              </>
            )
          ) : null}
        </Card>
      </div>
    </AccountJobsProvider>
  );
}
