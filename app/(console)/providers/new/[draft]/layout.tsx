import { PageHeader } from "@/components/layout/page-header";
import { missingSteps } from "@/lib/providers/create";
import { loadDraftPage } from "./load";
import { Stepper } from "./stepper";

export default async function WizardLayout({ children, params }: { children: React.ReactNode; params: Promise<{ draft: string }> }) {
  const { draft: id } = await params;
  const draft = await loadDraftPage(id);
  const missing = missingSteps(draft.data, draft.secrets);
  return (
    <>
      <PageHeader title="Add provider" description={draft.data.deploy?.name ?? draft.data.connect?.authUrl ?? "A new OpenStack cloud"} />
      <Stepper draftId={id} missing={missing} />
      <div className="mt-6">{children}</div>
    </>
  );
}
