"use client";

import { useActionState, useState } from "react";
import { DnsNameserversField, ExternalNetworkField, PublicRoutersField, securityRuleErrors, TopologyFieldset } from "@/components/providers/network-fields";
import { SecurityRulesEditor } from "@/components/providers/security-rules-editor";
import { WizardStepActions } from "@/components/providers/wizard-step-actions";
import { Alert } from "@/components/ui/alert";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import type { NetworkData } from "@/lib/providers/schemas";
import { saveNetworkStep } from "../../actions";
import type { ExternalNetworkOption, RouterOption } from "./page";

/** "(10.0.0.0/24, pool 10.0.0.2–10.0.0.254)" after an external network's name. */
const subnetsNote = (n: ExternalNetworkOption) =>
  n.subnets.length ? `(${n.subnets.map((s) => `${s.cidr}, pool ${s.pools.join(", ")}`).join("; ")})` : "(no subnet)";

export function NetworkForm({
  draftId,
  initial,
  routers,
  externals,
}: {
  draftId: string;
  initial: NetworkData;
  routers: RouterOption[];
  externals: ExternalNetworkOption[];
}) {
  const [state, action, pending] = useActionState(saveNetworkStep, null);
  const [topology, setTopology] = useState(initial.topology);
  const fe = state && !state.ok ? state.error.fieldErrors : undefined;
  return (
    <form action={action} className="grid gap-6" noValidate>
      <input type="hidden" name="draftId" value={draftId} />
      {state && !state.ok ? <Alert tone="error">{state.error.message}</Alert> : null}
      <Card>
        <CardHeader>
          <CardTitle>Topology</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-4">
          <TopologyFieldset value={topology} onChange={setTopology} error={fe?.topology} hideLegend />
          {topology === "External Router Topology" ? (
            <PublicRoutersField routers={routers} checked={initial.publicRouters} error={fe?.publicRouters} />
          ) : null}
          <ExternalNetworkField
            networks={externals.map((n) => ({ id: n.id, name: n.name, detail: subnetsNote(n) }))}
            value={initial.externalNetwork}
            error={fe?.externalNetwork}
          />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>User networks</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-4">
          <DnsNameserversField value={initial.dnsNameservers} error={fe?.dnsNameservers} />
          <SecurityRulesEditor name="securityRules" initial={initial.securityRules} serverError={securityRuleErrors(fe)} />
        </CardContent>
      </Card>
      <WizardStepActions back={`/providers/new/${draftId}/verify`} pending={pending} />
    </form>
  );
}
