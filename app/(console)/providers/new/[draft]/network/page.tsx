import type { Metadata } from "next";
import { CloudUnavailable } from "@/components/ui/step-error";
import { importedStepValues } from "@/lib/providers/connection";
import type { NetworkData } from "@/lib/providers/schemas";
import { requireStepsBefore, withDraftClient } from "../load";
import { NetworkForm } from "./network-form";

export const metadata: Metadata = { title: "Add provider · Network" };

export type RouterOption = { id: string; name: string; gateway: string | null };
export type ExternalNetworkOption = { id: string; name: string; subnets: Array<{ cidr: string; pools: string[] }> };

export default async function NetworkPage({ params }: { params: Promise<{ draft: string }> }) {
  const { draft: id } = await params;
  const draft = await requireStepsBefore(id, "network");
  const cloud = await withDraftClient(draft, async (os) => {
    const [routers, externals, subnets] = await Promise.all([
      os.network.routers.list(),
      os.network.networks.list({ routerExternal: true }),
      os.network.subnets.list(),
    ]);
    const names = new Map(externals.map((n) => [n.id, n.name]));
    return {
      routers: routers.map<RouterOption>((r) => ({
        id: r.id,
        name: r.name,
        gateway: r.externalGateway ? (names.get(r.externalGateway.networkId) ?? r.externalGateway.networkId) : null,
      })),
      externals: externals.map<ExternalNetworkOption>((n) => ({
        id: n.id,
        name: n.name,
        subnets: subnets
          .filter((s) => s.networkId === n.id)
          .map((s) => ({ cidr: s.cidr, pools: s.allocationPools.map((p) => `${p.start}–${p.end}`) })),
      })),
    };
  });
  if (!cloud.ok) return <CloudUnavailable message={cloud.message} backHref={`/providers/new/${id}/connect`} />;

  // Pre-filled from an imported file through the one cloud_config reader (its defaults, its rules).
  const imported = importedStepValues(draft.data.imported).network;
  const initial: NetworkData = draft.data.network ?? { ...imported, externalNetwork: imported.externalNetwork ?? cloud.value.externals[0]?.name };
  return <NetworkForm draftId={id} initial={initial} routers={cloud.value.routers} externals={cloud.value.externals} />;
}
