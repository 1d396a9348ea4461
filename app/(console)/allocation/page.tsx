import type { Metadata } from "next";
import { EmptyState, PageHeader } from "@/components/layout/page-header";
import { requirePage } from "@/lib/auth/dal";

export const metadata: Metadata = { title: "Allocation" };

export default async function Page() {
  await requirePage("console.view");
  return (
    <>
      <PageHeader title="Allocation" description="Allocation strategies and usage per provider." />
      <EmptyState title="Nothing here yet">The allocation strategy editor and usage view land here.</EmptyState>
    </>
  );
}
