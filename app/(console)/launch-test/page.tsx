import type { Metadata } from "next";
import { EmptyState, PageHeader } from "@/components/layout/page-header";
import { requirePage } from "@/lib/auth/dal";

export const metadata: Metadata = { title: "Launch test" };

export default async function Page() {
  await requirePage("console.view");
  return (
    <>
      <PageHeader title="Launch test" description="Boot a server as a provisioned account to prove the cloud works end to end." />
      <EmptyState title="Nothing here yet">The launch-test page lands here.</EmptyState>
    </>
  );
}
