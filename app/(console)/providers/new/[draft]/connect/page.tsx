import type { Metadata } from "next";
import { loadDraftPage } from "../load";
import { ConnectForm } from "./connect-form";

export const metadata: Metadata = { title: "Add provider · Connect" };

export default async function ConnectPage({ params }: { params: Promise<{ draft: string }> }) {
  const { draft: id } = await params;
  const draft = await loadDraftPage(id);
  return (
    <ConnectForm
      draftId={id}
      initial={draft.data.connect}
      // Only whether a secret is stored crosses to the browser, never the secret.
      stored={{ password: Boolean(draft.secrets.password), applicationCredentialSecret: Boolean(draft.secrets.applicationCredentialSecret) }}
    />
  );
}
