import type { Metadata } from "next";
import { CloudUnavailable } from "@/components/ui/step-error";
import { DEFAULT_SECURITY_RULES, normalizeRule } from "@/lib/domain/security-rules";
import { securityRuleSchema } from "@/lib/domain/security-rules-schema";
import { TOPOLOGIES, type NetworkData, type Topology } from "@/lib/providers/schemas";
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

  const net = (draft.data.imported?.cloudConfig?.network ?? {}) as Record<string, unknown>;
  const importedRules = Array.isArray(net.default_security_rules)
    ? net.default_security_rules.map((r) => securityRuleSchema.safeParse(normalizeRule(r))).filter((r) => r.success).map((r) => r.data)
    : undefined;
  const initial: NetworkData = draft.data.network ?? {
    topology: TOPOLOGIES.includes(net.topology as Topology) ? (net.topology as Topology) : "External Router Topology",
    publicRouters: draft.data.imported?.publicRouters ?? [],
    externalNetwork: draft.data.imported?.networkName ?? cloud.value.externals[0]?.name,
    dnsNameservers: Array.isArray(net.dns_nameservers) ? (net.dns_nameservers as string[]) : ["8.8.8.8", "8.8.4.4"],
    securityRules: (importedRules?.length ? importedRules : DEFAULT_SECURITY_RULES) as NetworkData["securityRules"],
  };
  return <NetworkForm draftId={id} initial={initial} routers={cloud.value.routers} externals={cloud.value.externals} />;
}
