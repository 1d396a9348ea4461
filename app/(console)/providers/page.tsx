import type { Metadata } from "next";
import { EmptyState, PageHeader } from "@/components/layout/page-header";
import { requirePage } from "@/lib/auth/dal";

export const metadata: Metadata = { title: "Providers" };

export default async function Page() {
  await requirePage("console.view");
  return (
    <>
      <PageHeader title="Providers" description="OpenStack clouds connected to the portal." />
      <EmptyState title="Nothing here yet">The provider wizard lands here: connect a cloud from an openrc, clouds.yaml or the add_new_provider JSON, verify it and create it.</EmptyState>
    </>
  );
}
