import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/layout/page-header";
import { AutoRefresh } from "@/components/imports/auto-refresh";
import { ImportPanel } from "@/components/imports/import-panel";
import { Pagination } from "@/components/ui/pagination";
import { requirePage } from "@/lib/auth/dal";
import { can } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db";
import { getProviderForRequest } from "@/lib/providers/page-cache";
import { isImportResource, RESOURCE_LABELS, IMPORT_RESOURCES } from "@/lib/imports/resources";
import { loadImportPanel } from "@/lib/imports/runs";
import { cn } from "@/lib/utils";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ page?: string; resource?: string }> };

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Imports · provider ${(await params).id}` };
}

export default async function ProviderImportsPage({ params, searchParams }: Props) {
  const user = await requirePage("console.view");
  const { id: rawId } = await params;
  const sp = await searchParams;
  const db = await getDb();
  const provider = await getProviderForRequest(rawId);
  if (!provider) notFound();
  const resource = sp.resource && isImportResource(sp.resource) ? sp.resource : undefined;
  const page = Math.max(1, Number.parseInt(sp.page ?? "1", 10) || 1);
  const { data, total, pageSize } = await loadImportPanel(db, provider, { page, pageSize: 25, resource });
  const base = `/providers/${provider.id}/imports`;

  return (
    <>
      <AutoRefresh />
      <PageHeader
        title="Imports"
        description={
          <>
            Sizes, images and instances of{" "}
            <Link href={`/providers/${provider.id}`} className="text-brand-600 hover:underline">
              provider {provider.id}
            </Link>
            , on demand and on a schedule. Rows that disappear from the cloud are end-dated, never deleted.
          </>
        }
      />
      <ImportPanel
        data={data}
        canRun={can(user, "imports.run")}
        showName={false}
        historyTitle="History"
        historyFooter={
          <>
            <nav aria-label="Filter by resource" className="flex flex-wrap gap-2 border-t border-slate-100 px-4 pt-3 text-sm">
              {[undefined, ...IMPORT_RESOURCES].map((r) => (
                <Link
                  key={r ?? "all"}
                  href={r ? `${base}?resource=${r}` : base}
                  aria-current={r === resource ? "page" : undefined}
                  className={cn("rounded-md px-2 py-1 hover:bg-slate-100", r === resource && "bg-slate-100 font-medium")}
                >
                  {r ? RESOURCE_LABELS[r] : "All resources"}
                </Link>
              ))}
            </nav>
            <Pagination page={page} pageSize={pageSize} total={total} basePath={base} params={{ resource }} />
          </>
        }
      />
    </>
  );
}
