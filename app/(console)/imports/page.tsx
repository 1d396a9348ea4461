import type { Metadata } from "next";
import { EmptyState, PageHeader } from "@/components/layout/page-header";
import { requirePage } from "@/lib/auth/dal";

export const metadata: Metadata = { title: "Imports" };

export default async function Page() {
  await requirePage("console.view");
  return (
    <>
      <PageHeader title="Imports" description="Sizes, images and instances imported from each cloud." />
      <EmptyState title="Nothing here yet">Imports land here: run them on demand, see progress and history, and set their schedule.</EmptyState>
    </>
  );
}
