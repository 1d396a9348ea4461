import type { Metadata } from "next";
import { loadDraftPage } from "../load";
import { adminRoleOf } from "@/lib/domain/credentials-import";
import { ConnectForm } from "./connect-form";

export const metadata: Metadata = { title: "Add provider · Connect" };

export default async function ConnectPage({
  params,
  searchParams,
}: {
  params: Promise<{ draft: string }>;
  searchParams: Promise<{ region?: string | string[]; adminUrl?: string | string[] }>;
}) {
  const { draft: id } = await params;
  const query = await searchParams;
  const draft = await loadDraftPage(id);
  // The regions the last verification's token catalog listed: the region is picked from them.
  const regions = [...new Set((draft.data.preflight?.catalog ?? []).map((e) => e.region).filter(Boolean))].sort();
  // A fix offered on the Verify step (a catalog region, the catalog's admin endpoint).
  const one = (v: string | string[] | undefined) => (typeof v === "string" && v.length <= 500 ? v : undefined);
  const proposed = { region: one(query.region), adminUrl: one(query.adminUrl) };
  return (
    <ConnectForm
      draftId={id}
      initial={draft.data.connect}
      regions={regions}
      proposed={proposed}
      importedAdminRole={adminRoleOf(draft.data.imported?.cloudConfig)}
      // Only whether a secret is stored crosses to the browser, never the secret.
      stored={{ password: Boolean(draft.secrets.password), applicationCredentialSecret: Boolean(draft.secrets.applicationCredentialSecret) }}
    />
  );
}
