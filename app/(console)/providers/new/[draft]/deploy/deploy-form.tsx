"use client";

import { plural } from "@/lib/domain/format";
import { useActionState, useMemo } from "react";
import { HostnameFormatFields, ProviderIdentityFields, useHostnameFormat } from "@/components/providers/deploy-fields";
import { WizardStepActions } from "@/components/providers/wizard-step-actions";
import { Alert } from "@/components/ui/alert";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { poolSample, poolSize, type Pool } from "@/lib/domain/ipv4";
import type { DeployData } from "@/lib/providers/schemas";
import { saveDeployStep } from "../../actions";

export function DeployForm({ draftId, initial, pools, externalNetwork }: { draftId: string; initial: DeployData; pools: Pool[]; externalNetwork: string }) {
  const [state, action, pending] = useActionState(saveDeployStep, null);
  const hostname = useHostnameFormat(initial);
  const fe = state && !state.ok ? state.error.fieldErrors : undefined;
  const error = (k: keyof DeployData) => fe?.[k];
  const sample = useMemo(() => poolSample(pools), [pools]);
  const total = useMemo(() => poolSize(pools), [pools]);
  return (
    <form action={action} className="grid gap-6" noValidate>
      <input type="hidden" name="draftId" value={draftId} />
      {state && !state.ok ? <Alert tone="error">{state.error.message}</Alert> : null}
      <Card>
        <CardHeader>
          <CardTitle>Instance host names</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-4">
          <div className="grid gap-4 md:grid-cols-2">
            <HostnameFormatFields
              hostname={hostname}
              hint="%(one)s…%(four)s are the octets of the instance's floating IP, %(domain)s the domain below. Example: vm%(four)s.cloud.example.org"
              error={error}
            />
          </div>
          <div>
            <p className="text-sm font-medium text-slate-700">
              Preview over {externalNetwork}&apos;s floating-IP pools ({plural(total, "address")})
            </p>
            {sample.length === 0 ? (
              <p className="text-sm text-amber-700">The external network has no IPv4 allocation pool to preview.</p>
            ) : (
              <table aria-label="Hostname preview" className="mt-2 text-sm">
                <tbody>
                  {sample.map((ip, i) => (
                    <tr key={ip}>
                      <td className="pr-4 text-slate-500">{["first", "middle", "last"][sample.length === 3 ? i : i === 0 ? 0 : 2]}</td>
                      <td className="pr-4 font-mono">{ip}</td>
                      <td className="font-mono">→ {hostname.preview(ip)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Provider</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-4 md:grid-cols-3">
          <ProviderIdentityFields
            initial={initial}
            publicHint="Public providers are offered to every user of the portal; private ones only to users given access."
            error={error}
          />
        </CardContent>
      </Card>
      <WizardStepActions back={`/providers/new/${draftId}/accounts`} pending={pending} />
    </form>
  );
}
