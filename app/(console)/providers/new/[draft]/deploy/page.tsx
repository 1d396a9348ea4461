import type { Metadata } from "next";
import { CloudUnavailable } from "@/components/ui/step-error";
import type { Pool } from "@/lib/domain/ipv4";
import { importedStepValues } from "@/lib/providers/connection";
import type { DeployData } from "@/lib/providers/schemas";
import { requireStepsBefore, withDraftClient } from "../load";
import { DeployForm } from "./deploy-form";

export const metadata: Metadata = { title: "Add provider · Deploy" };

export default async function DeployPage({ params }: { params: Promise<{ draft: string }> }) {
  const { draft: id } = await params;
  const draft = await requireStepsBefore(id, "deploy");
  const external = draft.data.network!.externalNetwork!;
  const cloud = await withDraftClient(draft, async (os) => {
    const network = await os.network.networks.findByName(external);
    if (!network) return [] as Pool[];
    const subnets = await os.network.subnets.list({ networkId: network.id, ipVersion: 4 });
    return subnets.flatMap((s) => s.allocationPools);
  });
  if (!cloud.ok) return <CloudUnavailable message={cloud.message} backHref={`/providers/new/${id}/connect`} />;
  // Pre-filled from an imported file through the one cloud_config reader.
  const initial: DeployData = draft.data.deploy ?? importedStepValues(draft.data.imported).deploy;
  return <DeployForm draftId={id} initial={initial} pools={cloud.value} externalNetwork={external} />;
}
