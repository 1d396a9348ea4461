"use client";

import Link from "next/link";
import { useActionState, useState } from "react";
import { SecurityRulesEditor } from "@/components/providers/security-rules-editor";
import { Alert } from "@/components/ui/alert";
import { Button, buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Select, Textarea } from "@/components/ui/input";
import { TOPOLOGIES, type NetworkData } from "@/lib/providers/schemas";
import { saveNetworkStep } from "../../actions";
import type { ExternalNetworkOption, RouterOption } from "./page";

const EXPLAIN: Record<(typeof TOPOLOGIES)[number], string> = {
  "External Router Topology": "Each user's subnet gets an interface on one of the shared public routers (the one with the fewest accounts).",
  "External Network Topology": "Each user gets their own <project>-router with its gateway on the external network.",
};

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
          <fieldset className="grid gap-2">
            <legend className="sr-only">Topology</legend>
            {TOPOLOGIES.map((t) => (
              <label key={t} className="flex items-start gap-2 text-sm">
                <input type="radio" name="topology" value={t} checked={topology === t} onChange={() => setTopology(t)} className="mt-1" />
                <span>
                  <span className="font-medium">{t}</span>
                  <span className="block text-slate-600">{EXPLAIN[t]}</span>
                </span>
              </label>
            ))}
          </fieldset>
          {topology === "External Router Topology" ? (
            <fieldset className="grid gap-1.5">
              <legend className="text-sm font-medium text-slate-700">Public routers</legend>
              {routers.length === 0 ? <p className="text-sm text-red-600">Neutron has no router. Create one with a gateway first.</p> : null}
              {routers.map((r) => (
                <label key={r.id} className="flex items-center gap-2 text-sm">
                  <input type="checkbox" name="publicRouters" value={r.name} defaultChecked={initial.publicRouters.includes(r.name)} />
                  <span className="font-medium">{r.name}</span>
                  <span className="text-slate-500">{r.gateway ? `gateway on ${r.gateway}` : "no external gateway"}</span>
                </label>
              ))}
              {fe?.publicRouters ? <p className="text-xs text-red-600">{fe.publicRouters.join(" ")}</p> : null}
            </fieldset>
          ) : null}
          <Field
            id="externalNetwork"
            label="External network"
            hint="Floating IPs come from it; for External Network Topology, user routers get their gateway on it."
            error={fe?.externalNetwork}
          >
            <Select id="externalNetwork" name="externalNetwork" defaultValue={initial.externalNetwork ?? ""}>
              <option value="">Choose…</option>
              {externals.map((n) => (
                <option key={n.id} value={n.name}>
                  {n.name} {n.subnets.length ? `(${n.subnets.map((s) => `${s.cidr}, pool ${s.pools.join(", ")}`).join("; ")})` : "(no subnet)"}
                </option>
              ))}
            </Select>
          </Field>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>User networks</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-4">
          <Field id="dnsNameservers" label="DNS name servers" hint="One per line or separated by commas." error={fe?.dnsNameservers}>
            <Textarea id="dnsNameservers" name="dnsNameservers" rows={2} defaultValue={initial.dnsNameservers.join("\n")} />
          </Field>
          <SecurityRulesEditor
            name="securityRules"
            initial={initial.securityRules}
            serverError={fe ? Object.entries(fe).filter(([k]) => k.startsWith("securityRules")).flatMap(([k, v]) => v.map((m) => `Rule ${Number(k.split(".")[1]) + 1}: ${m}`)) : undefined}
          />
        </CardContent>
      </Card>
      <div className="flex justify-between">
        <Link href={`/providers/new/${draftId}/verify`} className={buttonVariants({ variant: "secondary" })}>
          Back
        </Link>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Continue"}
        </Button>
      </div>
    </form>
  );
}
