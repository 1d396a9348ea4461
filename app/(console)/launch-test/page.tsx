import type { Metadata } from "next";
import Link from "next/link";
import { LaunchPanel } from "@/components/launch/launch-panel";
import { RunFilters, RunsTable } from "@/components/launch/runs-table";
import { EmptyState, PageHeader } from "@/components/layout/page-header";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Select } from "@/components/ui/input";
import { requirePage } from "@/lib/auth/dal";
import { can } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db";
import { readRunFilters, type RunSearchParams } from "@/lib/launch/filters";
import { listLaunchRuns, listProviderChoices, listRunStarters } from "@/lib/launch/queries";
import { startLaunchTest } from "./actions";

export const metadata: Metadata = { title: "Launch test" };

export default async function LaunchTestPage({ searchParams }: { searchParams: Promise<RunSearchParams & { launch?: string }> }) {
  const user = await requirePage("console.view");
  const sp = await searchParams;
  const { values, page } = readRunFilters(sp);
  const db = await getDb();
  const providers = await listProviderChoices(db);
  // The provider to launch on: ?launch=, else the one filtered on, else the only one.
  const launchId = sp.launch && /^\d+$/.test(sp.launch) ? Number(sp.launch) : values.provider ? Number(values.provider) : providers.length === 1 ? providers[0].id : null;
  const launchOn = providers.find((p) => p.id === launchId) ?? null;
  const [{ rows, total, pageSize }, starters] = await Promise.all([
    listLaunchRuns(db, { providerId: values.provider ? Number(values.provider) : undefined, state: values.state, who: values.who, kind: values.kind, page }),
    listRunStarters(db),
  ]);

  return (
    <>
      <PageHeader title="Launch test" description="Boot a server as a provisioned account to prove the cloud works end to end, then clean up." />
      <div className="grid grid-cols-1 gap-6">
        {can(user, "launch_tests.run") ? (
          providers.length === 0 ? (
            <EmptyState title="No provider yet">
              <Link href="/providers/new" className="text-brand-600 hover:underline">
                Add a provider
              </Link>{" "}
              and provision an account on it first.
            </EmptyState>
          ) : (
            <Card>
              <CardHeader className="flex flex-row flex-wrap items-end justify-between gap-4">
                <div>
                  <CardTitle>New launch test</CardTitle>
                  <p className="mt-1 text-sm text-slate-600">
                    Signs in as the account (its derived password, scoped to its project), boots, follows BUILD → ACTIVE, attaches a floating IP,
                    checks the hostname and TCP 22, then cleans up.
                  </p>
                </div>
                <form method="get" className="flex items-end gap-2" aria-label="Choose the provider">
                  <div className="w-56">
                    <Field id="launch-provider" label="Provider">
                      <Select id="launch-provider" name="launch" defaultValue={launchOn?.id ?? ""}>
                        <option value="">Choose a provider…</option>
                        {providers.map((p) => (
                          <option key={p.id} value={p.id}>
                            {p.name} (provider {p.id}){p.isActive ? "" : " · inactive"}
                          </option>
                        ))}
                      </Select>
                    </Field>
                  </div>
                  <Button type="submit" variant="secondary">
                    Choose
                  </Button>
                </form>
              </CardHeader>
              <CardContent>
                {launchOn ? (
                  <LaunchPanel key={launchOn.id} providerId={launchOn.id} mode="launch" action={startLaunchTest} />
                ) : (
                  <p className="text-sm text-slate-500">Choose the provider to launch on.</p>
                )}
              </CardContent>
            </Card>
          )
        ) : null}

        <section className="grid grid-cols-1 gap-3" aria-labelledby="runs-heading">
          <h2 id="runs-heading" className="text-lg font-semibold text-slate-900">
            Runs
          </h2>
          <RunFilters values={values} providers={providers} starters={starters} />
          <RunsTable rows={rows} total={total} page={page} pageSize={pageSize} basePath="/launch-test" params={values} showProvider />
        </section>
      </div>
    </>
  );
}
