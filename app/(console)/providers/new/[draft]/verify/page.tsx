import type { Metadata } from "next";
import { requireStepsBefore } from "../load";
import { VerifyPanel } from "./verify-panel";

export const metadata: Metadata = { title: "Add provider · Verify" };

export default async function VerifyPage({ params }: { params: Promise<{ draft: string }> }) {
  const { draft: id } = await params;
  const draft = await requireStepsBefore(id, "verify");
  return <VerifyPanel draftId={id} initial={draft.data.preflight ?? null} authUrl={draft.data.connect!.authUrl} />;
}
