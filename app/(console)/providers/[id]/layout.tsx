import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePage } from "@/lib/auth/dal";
import { getProviderForRequest } from "@/lib/providers/page-cache";
import { ProviderTabs } from "./_components/provider-tabs";

/** Every provider page shares the breadcrumb and the tabs; each page draws its own heading. */
export default async function ProviderLayout({ children, params }: { children: React.ReactNode; params: Promise<{ id: string }> }) {
  await requirePage("console.view");
  const { id } = await params;
  const provider = await getProviderForRequest(id);
  if (!provider) notFound();
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-3 text-sm text-slate-500">
        <Link href="/providers" className="hover:underline">
          Providers
        </Link>{" "}
        / <span className="text-slate-700">{provider.name}</span> <span>(provider {provider.id})</span>
      </nav>
      <ProviderTabs providerId={provider.id} />
      <div className="mt-6">{children}</div>
    </>
  );
}
