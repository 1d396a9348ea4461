"use client";

import { Field } from "@/components/ui/field";
import { Input, Textarea } from "@/components/ui/input";
import { TOPOLOGIES, type Topology } from "@/lib/providers/constants";
import { CloudSelectField, type CloudOption } from "./cloud-select";

// The network settings of a provider, shared by the wizard's Network step and the edit form.

const EXPLAIN: Record<Topology, string> = {
  "External Router Topology": "Each user's subnet gets an interface on one of the shared public routers (the one with the fewest accounts).",
  "External Network Topology": "Each user gets their own <project>-router with its gateway on the external network.",
};

/** The two topologies as radios, each with what it means. */
export function TopologyFieldset({
  value,
  onChange,
  error,
  hideLegend = false,
}: {
  value: Topology;
  onChange: (topology: Topology) => void;
  error?: string[];
  /** For a card that already says "Topology" in its title; the group keeps its name. */
  hideLegend?: boolean;
}) {
  return (
    <fieldset className="grid gap-2">
      <legend className={hideLegend ? "sr-only" : "text-sm font-medium text-slate-700"}>Topology</legend>
      {TOPOLOGIES.map((t) => (
        <label key={t} className="flex items-start gap-2 text-sm">
          <input type="radio" name="topology" value={t} checked={value === t} onChange={() => onChange(t)} className="mt-1" />
          <span>
            <span className="font-medium">{t}</span>
            <span className="block text-slate-600">{EXPLAIN[t]}</span>
          </span>
        </label>
      ))}
      {error ? <p className="text-xs text-red-600">{error.join(" ")}</p> : null}
    </fieldset>
  );
}

export type RouterChoice = { id?: string; name: string; gateway: string | null };

/**
 * The shared public routers, ticked from the cloud's routers; a text field of names when the
 * cloud could not be asked (`routers` null).
 */
export function PublicRoutersField({
  routers,
  checked,
  keepStored = false,
  error,
}: {
  routers: RouterChoice[] | null;
  checked: string[];
  /** Also list (marked) checked routers the cloud no longer has, as when editing a saved provider. */
  keepStored?: boolean;
  error?: string[];
}) {
  if (!routers) {
    return (
      <Field id="publicRouters" label="Public routers" hint="Router names, separated by commas." error={error}>
        <Input id="publicRouters" name="publicRouters" defaultValue={checked.join(", ")} />
      </Field>
    );
  }
  const gone = keepStored ? checked.filter((n) => !routers.some((r) => r.name === n)) : [];
  return (
    <fieldset className="grid gap-1.5">
      <legend className="text-sm font-medium text-slate-700">Public routers</legend>
      {routers.length === 0 ? <p className="text-sm text-red-600">Neutron has no router. Create one with a gateway first.</p> : null}
      {routers.map((r) => (
        <label key={r.id ?? r.name} className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="publicRouters" value={r.name} defaultChecked={checked.includes(r.name)} />
          <span className="font-medium">{r.name}</span>
          <span className="text-slate-500">{r.gateway ? `gateway on ${r.gateway}` : "no external gateway"}</span>
        </label>
      ))}
      {gone.map((name) => (
        <label key={name} className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="publicRouters" value={name} defaultChecked />
          <span className="font-medium">{name}</span>
          <span className="text-amber-700">not found on the cloud</span>
        </label>
      ))}
      {error ? <p className="text-xs text-red-600">{error.join(" ")}</p> : null}
    </fieldset>
  );
}

export type ExternalNetworkChoice = { id?: string; name: string; detail?: string };

/** The external network floating IPs (and, for External Network Topology, user routers) use. */
export function ExternalNetworkField({
  networks,
  value,
  keepStored = false,
  error,
}: {
  /** The cloud's external networks, each with an optional note after its name; null when the cloud could not be asked. */
  networks: ExternalNetworkChoice[] | null;
  value: string | undefined;
  /** Also list (marked) a stored network the cloud no longer has, as when editing a saved provider. */
  keepStored?: boolean;
  error?: string[];
}) {
  const options = networks?.map<CloudOption>((n) => ({ key: n.id, value: n.name, label: n.detail ? `${n.name} ${n.detail}` : n.name }));
  return (
    <CloudSelectField
      id="externalNetwork"
      label="External network"
      hint="Floating IPs come from it; for External Network Topology, user routers get their gateway on it."
      error={error}
      options={options ?? null}
      defaultValue={value ?? ""}
      choose="Choose…"
      keepStored={keepStored}
    />
  );
}

/** The name servers user subnets get. */
export function DnsNameserversField({ value, error }: { value: string[]; error?: string[] }) {
  return (
    <Field id="dnsNameservers" label="DNS name servers" hint="One per line or separated by commas." error={error}>
      <Textarea id="dnsNameservers" name="dnsNameservers" rows={2} defaultValue={value.join("\n")} />
    </Field>
  );
}

/** The server's messages about the security rules, each numbered by its rule ("securityRules.2" → "Rule 3: …"). */
export function securityRuleErrors(fieldErrors: Record<string, string[]> | undefined): string[] | undefined {
  return fieldErrors
    ? Object.entries(fieldErrors)
        .filter(([k]) => k.startsWith("securityRules"))
        .flatMap(([k, v]) => v.map((m) => (k.includes(".") ? `Rule ${Number(k.split(".")[1]) + 1}: ${m}` : m)))
    : undefined;
}
