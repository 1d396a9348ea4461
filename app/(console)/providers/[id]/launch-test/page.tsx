import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { LaunchPanel } from "@/components/launch/launch-panel";
import { RunFilters, RunsTable } from "@/components/launch/runs-table";
import { PageHeader } from "@/components/layout/page-header";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { requirePage } from "@/lib/auth/dal";
import { can } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db";
import { getProviderForRequest } from "@/lib/providers/page-cache";
import { readRunFilters, type RunSearchParams } from "@/lib/launch/filters";
import { listLaunchRuns, listRunStarters } from "@/lib/launch/queries";
import { AppCredentialForm, RemoveAppCredential } from "@/components/launch/app-credential-form";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { listAccountAppCredentials } from "@/lib/accounts/app-credentials";
import { accountSettings } from "@/lib/providers/connection";
import { formatDateTime } from "@/lib/utils";
import { deleteAppCredential, saveAppCredential, startLaunchTest } from "./actions";

type Params = { params: Promise<{ id: string }>; searchParams: Promise<RunSearchParams> };

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { id } = await params;
  return { title: `Launch test · provider ${id}` };
}

export default async function ProviderLaunchTestPage({ params, searchParams }: Params) {
  const user = await requirePage("console.view");
  const { id: rawId } = await params;
  const db = await getDb();
  const provider = await getProviderForRequest(rawId);
  if (!provider) notFound();
  const { values, page } = readRunFilters(await searchParams);
  const [{ rows, total, pageSize }, starters] = await Promise.all([
    listLaunchRuns(db, { providerId: provider.id, state: values.state, who: values.who, kind: values.kind, page }),
    listRunStarters(db, provider.id),
  ]);
  const canRun = can(user, "launch_tests.run");
  const federation = accountSettings(provider).federation;
  const canManage = can(user, "accounts.manage");
  const credentials = federation && canManage ? await listAccountAppCredentials(db, provider.id) : [];
  const filters = { state: values.state, who: values.who, kind: values.kind };

  return (
    <>
      <PageHeader
        title={`Launch test · ${provider.name}`}
        description={
          <>
            Prove provider {provider.id} works for its users: launch as an account, or run the seed&apos;s manual checks in one go.
          </>
        }
      />
      <div className="grid grid-cols-1 gap-6">
        {federation && canManage ? (
          <Card>
            <CardHeader>
              <CardTitle>Application credentials of federated accounts</CardTitle>
              <p className="mt-1 text-sm text-slate-600">
                Accounts on {provider.name} are federated (identity provider {federation.idp}, protocol {federation.protocol}): Keystone users
                without a password, so Cloudport cannot sign in as them by itself. A launch test as an account needs an application credential the
                user made in their project (<code>openstack application credential create cloudport-launch-test</code>). It is checked with
                Keystone — it must sign in as that account&apos;s own user and project — and kept encrypted.
              </p>
            </CardHeader>
            <CardContent className="grid gap-4">
              <AppCredentialForm providerId={provider.id} action={saveAppCredential} />
              {credentials.length ? (
                <Table aria-label="Stored application credentials">
                  <THead>
                    <TR>
                      <TH>Account</TH>
                      <TH>Credential ID</TH>
                      <TH>Checked</TH>
                      <TH>
                        <span className="sr-only">Remove</span>
                      </TH>
                    </TR>
                  </THead>
                  <TBody>
                    {credentials.map((c) => (
                      <TR key={c.identityId}>
                        <TD className="font-medium">{c.username}</TD>
                        <TD className="font-mono text-xs">{c.credentialId}</TD>
                        <TD>{formatDateTime(c.verifiedAt)}</TD>
                        <TD>
                          <RemoveAppCredential providerId={provider.id} identityId={c.identityId} username={c.username} action={deleteAppCredential} />
                        </TD>
                      </TR>
                    ))}
                  </TBody>
                </Table>
              ) : (
                <p className="text-sm text-slate-600">No account has a stored credential yet.</p>
              )}
            </CardContent>
          </Card>
        ) : null}
        {canRun ? (
          <div className="grid grid-cols-1 gap-6 xl:grid-cols-2">
            <Card>
              <CardHeader>
                <CardTitle>Launch test</CardTitle>
                <p className="mt-1 text-sm text-slate-600">
                  As the account: boot, follow BUILD → ACTIVE (or Nova&apos;s fault), floating IP, hostname, DNS and TCP 22, clean-up.
                </p>
              </CardHeader>
              <CardContent>
                <LaunchPanel providerId={provider.id} mode="launch" action={startLaunchTest} />
              </CardContent>
            </Card>
            <Card>
              <CardHeader>
                <CardTitle>Cloud readiness run</CardTitle>
                <p className="mt-1 text-sm text-slate-600">
                  The seed&apos;s checklist, in order, as the account: launch a server, floating IP, then (when block storage is in the catalog)
                  create a 1 GB volume, attach, detach and delete it, and clean up. Each step passes or fails with its timing and OpenStack&apos;s
                  message.
                </p>
              </CardHeader>
              <CardContent>
                <LaunchPanel providerId={provider.id} mode="readiness" action={startLaunchTest} />
              </CardContent>
            </Card>
          </div>
        ) : null}
        <section className="grid grid-cols-1 gap-3" aria-labelledby="runs-heading">
          <h2 id="runs-heading" className="text-lg font-semibold text-slate-900">
            Runs on {provider.name}
          </h2>
          <RunFilters values={filters} starters={starters} />
          <RunsTable rows={rows} total={total} page={page} pageSize={pageSize} basePath={`/providers/${provider.id}/launch-test`} params={filters} showProvider={false} />
        </section>
      </div>
    </>
  );
}
