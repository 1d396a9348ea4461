import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState, PageHeader } from "@/components/layout/page-header";
import { AutoRefresh } from "@/components/imports/auto-refresh";
import { ImportPanel } from "@/components/imports/import-panel";
import { requirePage } from "@/lib/auth/dal";
import { can } from "@/lib/auth/permissions";
import { getDb } from "@/lib/db";
import { providers } from "@/lib/db/schema";
import { loadImportPanels } from "@/lib/imports/runs";
import { runImports, saveImportSchedule } from "./actions";
import { plural } from "@/lib/domain/format";

export const metadata: Metadata = { title: "Imports" };
export const dynamic = "force-dynamic";

const RECENT_RUNS = 6;

export default async function ImportsPage() {
  const user = await requirePage("console.view");
  const db = await getDb();
  const all = await db
    .select({ id: providers.id, name: providers.name, isActive: providers.isActive })
    .from(providers)
    .orderBy(providers.id);
  const panels = await loadImportPanels(db, all, { recent: RECENT_RUNS });
  const canRun = can(user, "imports.run");

  return (
    <>
      <AutoRefresh />
      <PageHeader
        title="Imports"
        description="Sizes (flavors), images and instances imported from each cloud: on demand with the buttons, and on a schedule. Rows that disappear from the cloud are end-dated, never deleted."
      />
      {panels.length === 0 ? (
        <EmptyState title="No providers yet">
          <Link href="/providers/new" className="text-brand-600 hover:underline">
            Add a provider
          </Link>{" "}
          first; its sizes, images and instances are imported here.
        </EmptyState>
      ) : (
        <div className="grid gap-10">
          {panels.map(({ data, total }) => (
            <ImportPanel
              key={data.provider.id}
              data={data}
              actions={{ runImports, saveImportSchedule }}
              canRun={canRun}
              historyTitle="Recent runs"
              editSchedules={false}
              historyFooter={
                total > RECENT_RUNS ? (
                  <p className="px-4 py-3 text-sm">
                    <Link href={`/providers/${data.provider.id}/imports`} className="text-brand-600 hover:underline">
                      All {plural(total, "run")} of {data.provider.name}
                    </Link>
                  </p>
                ) : null
              }
            />
          ))}
        </div>
      )}
    </>
  );
}
