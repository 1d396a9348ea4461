"use client";

import Link from "next/link";
import { useActionState, useMemo, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button, buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { formatHostname, hostnameFormatProblem } from "@/lib/domain/hostname-format";
import { poolSample, poolSize, type Pool } from "@/lib/domain/ipv4";
import type { DeployData } from "@/lib/providers/schemas";
import { saveDeployStep } from "../../actions";

export function DeployForm({ draftId, initial, pools, externalNetwork }: { draftId: string; initial: DeployData; pools: Pool[]; externalNetwork: string }) {
  const [state, action, pending] = useActionState(saveDeployStep, null);
  const [format, setFormat] = useState(initial.hostnameFormat);
  const [domain, setDomain] = useState(initial.instanceDomain ?? "");
  const fe = state && !state.ok ? state.error.fieldErrors : undefined;
  const problem = hostnameFormatProblem(format);
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
            <Field
              id="hostnameFormat"
              label="Hostname format"
              hint="%(one)s…%(four)s are the octets of the instance's floating IP, %(domain)s the domain below. Example: vm%(four)s.cloud.example.org"
              error={fe?.hostnameFormat ?? (problem && format ? problem : undefined)}
            >
              <Input id="hostnameFormat" name="hostnameFormat" value={format} onChange={(e) => setFormat(e.target.value)} className="font-mono" spellCheck={false} />
            </Field>
            <Field id="instanceDomain" label="Domain for %(domain)s (optional)" error={fe?.instanceDomain}>
              <Input id="instanceDomain" name="instanceDomain" value={domain} onChange={(e) => setDomain(e.target.value)} />
            </Field>
          </div>
          <div>
            <p className="text-sm font-medium text-slate-700">
              Preview over {externalNetwork}&apos;s floating-IP pools ({total.toLocaleString("en-US")} addresses)
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
                      <td className="font-mono">→ {problem ? "—" : formatHostname(format, ip, domain)}</td>
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
          <Field id="name" label="Provider name" hint="Unique; shown to users." error={fe?.name}>
            <Input id="name" name="name" defaultValue={initial.name} />
          </Field>
          <Field id="platform" label="Platform" error={fe?.platform}>
            <Select id="platform" name="platform" defaultValue={initial.platform}>
              <option value="KVM">KVM</option>
              <option value="Xen">Xen</option>
            </Select>
          </Field>
          <fieldset className="grid gap-1.5">
            <legend className="text-sm font-medium text-slate-700">Visibility</legend>
            <label className="flex items-start gap-2 text-sm">
              <input type="checkbox" name="isPublic" defaultChecked={initial.isPublic} className="mt-1" />
              <span>
                Public
                <span className="block text-xs text-slate-500">Public providers are offered to every user of the portal; private ones only to users given access.</span>
              </span>
            </label>
          </fieldset>
        </CardContent>
      </Card>
      <div className="flex justify-between">
        <Link href={`/providers/new/${draftId}/accounts`} className={buttonVariants({ variant: "secondary" })}>
          Back
        </Link>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Continue"}
        </Button>
      </div>
    </form>
  );
}
