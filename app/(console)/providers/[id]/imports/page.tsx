import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/layout/page-header";
import { AutoRefresh } from "@/components/imports/auto-refresh";
import { ImportPanel } from "@/components/imports/import-panel";
import { ImportedImagesTable, ImportedSizesTable, ImportedVolumesTable } from "@/components/imports/imported-tables";
import { Pagination } from "@/components/ui/pagination";
import { requirePage } from "@/lib/auth/dal";
import { can } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db";
import { getProviderForRequest } from "@/lib/providers/page-cache";
import { listImportedImages, listImportedSizes, listImportedVolumes } from "@/lib/imports/browse";
import { isImportResource, RESOURCE_LABELS, IMPORT_RESOURCES } from "@/lib/imports/resources";
import { loadImportPanel } from "@/lib/imports/runs";
import { cn } from "@/lib/utils";
import { runImports, saveImportSchedule } from "./actions";
import { pageParam } from "@/lib/domain/paging";

type SearchParams = {
  /** The history's page and resource filter. */
  page?: string;
  resource?: string;
  /** Imported images, sizes and volumes: search and page each; "1" shows end-dated rows too. */
  q?: string;
  ipage?: string;
  sq?: string;
  spage?: string;
  vq?: string;
  vpage?: string;
  ended?: string;
};
type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const pageOf = (v: string | undefined) => pageParam(v);

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Imports · provider ${(await params).id}` };
}

export default async function ProviderImportsPage({ params, searchParams }: Props) {
  const user = await requirePage("console.view");
  const { id: rawId } = await params;
  const raw = await searchParams;
  const sp: SearchParams = Object.fromEntries(
    (["page", "resource", "q", "ipage", "sq", "spage", "vq", "vpage", "ended"] as const).map((k) => [k, one(raw[k])?.slice(0, 200) || undefined]),
  );
  const db = await getDb();
  const provider = await getProviderForRequest(rawId);
  if (!provider) notFound();
  const resource = sp.resource && isImportResource(sp.resource) ? sp.resource : undefined;
  const page = pageOf(sp.page);
  const includeEnded = sp.ended === "1";
  const [{ data, total, pageSize }, images, sizes, volumes] = await Promise.all([
    loadImportPanel(db, provider, { page, pageSize: 25, resource }),
    listImportedImages(db, provider.id, { q: sp.q, page: pageOf(sp.ipage), pageSize: 25, includeEnded }),
    listImportedSizes(db, provider.id, { q: sp.sq, page: pageOf(sp.spage), pageSize: 25, includeEnded }),
    listImportedVolumes(db, provider.id, { q: sp.vq, page: pageOf(sp.vpage), pageSize: 25, includeEnded }),
  ]);
  const base = `/providers/${provider.id}/imports`;
  const browse = { basePath: base, params: { ...sp, ended: includeEnded ? "1" : undefined } };

  return (
    <>
      <AutoRefresh />
      <PageHeader
        title="Imports"
        description={
          <>
            Sizes, images (with their members), instances and volumes of{" "}
            <Link href={`/providers/${provider.id}`} className="text-brand-600 hover:underline">
              provider {provider.id}
            </Link>
            , on demand and on a schedule. Rows that disappear from the cloud are end-dated, never deleted.
          </>
        }
      />
      <ImportPanel
        data={data}
        actions={{ runImports, saveImportSchedule }}
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
            <Pagination page={page} pageSize={pageSize} total={total} basePath={base} params={{ ...browse.params, page: undefined, resource }} />
          </>
        }
      />
      <ImportedImagesTable data={images} browse={browse} />
      <ImportedSizesTable data={sizes} browse={browse} />
      <ImportedVolumesTable data={volumes} browse={browse} />
    </>
  );
}
