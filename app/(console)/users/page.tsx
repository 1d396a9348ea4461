import type { Metadata } from "next";
import { EmptyState, PageHeader } from "@/components/layout/page-header";
import { requirePage } from "@/lib/auth/dal";

export const metadata: Metadata = { title: "Users" };

export default async function Page() {
  await requirePage("console.view");
  return (
    <>
      <PageHeader title="Users" description="Portal users, staff and superusers." />
      <EmptyState title="Nothing here yet">Staff user management lands here: search users, grant staff, and provision their accounts on clouds.</EmptyState>
    </>
  );
}
