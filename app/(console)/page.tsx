import type { Metadata } from "next";
import Link from "next/link";
import { AuditList } from "@/components/home/audit-list";
import { ProviderCard } from "@/components/home/provider-card";
import { EmptyState, PageHeader } from "@/components/layout/page-header";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { requirePage } from "@/lib/auth/dal";
import { can } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db";
import { loadHome } from "@/lib/home/queries";

export const metadata: Metadata = { title: "Home" };
export const dynamic = "force-dynamic";

/** Every cloud at a glance: a constant number of indexed queries however many providers there are. */
export default async function Home() {
  const user = await requirePage("console.view");
  const data = await loadHome(await getDb(), { auditLimit: can(user, "audit.view") ? 15 : 0 });
  return (
    <>
      <PageHeader title="Home" description="Every cloud at a glance: preflight, imports, jobs, accounts, capacity and allocation. Each figure links to its page." />
      {data.providers.length ? (
        <div className="grid gap-4 lg:grid-cols-2" aria-label="Providers">
          {data.providers.map((p) => (
            <ProviderCard key={p.id} p={p} now={data.now} />
          ))}
        </div>
      ) : (
        <EmptyState title="No providers yet">
          <Link href="/providers/new" className="text-brand-600 hover:underline">
            Add the first cloud
          </Link>
          .
        </EmptyState>
      )}
      {can(user, "audit.view") ? (
        <Card className="mt-6">
          <CardHeader className="flex items-baseline justify-between">
            <CardTitle>Latest audit events</CardTitle>
            <Link href="/audit" className="text-sm text-brand-600 hover:underline">
              Audit log
            </Link>
          </CardHeader>
          <CardContent className="px-0 py-0">
            {data.audit.length ? <AuditList entries={data.audit} now={data.now} /> : <p className="px-5 py-4 text-sm text-slate-600">Nothing yet.</p>}
          </CardContent>
        </Card>
      ) : null}
    </>
  );
}
