"use client";

import { useState } from "react";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { formatHostname, hostnameDomainProblem, hostnameFormatProblem } from "@/lib/domain/hostname-format";
import type { DeployData } from "@/lib/providers/schemas";

// A provider's name, platform, visibility and instance host names, shared by the wizard's
// Deploy step and the edit form.

type FieldErrors = (field: keyof DeployData) => string[] | undefined;

/** The provider's name, platform and whether every user of the portal is offered it. */
export function ProviderIdentityFields({
  initial,
  publicHint,
  error,
}: {
  initial: Pick<DeployData, "name" | "platform" | "isPublic">;
  /** What "Public" means, under the checkbox. */
  publicHint: string;
  error: FieldErrors;
}) {
  return (
    <>
      <Field id="name" label="Provider name" hint="Unique; shown to users." error={error("name")}>
        <Input id="name" name="name" defaultValue={initial.name} />
      </Field>
      <Field id="platform" label="Platform" error={error("platform")}>
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
            <span className="block text-xs text-slate-500">{publicHint}</span>
          </span>
        </label>
      </fieldset>
    </>
  );
}

export type HostnameFormatState = {
  format: string;
  setFormat: (format: string) => void;
  domain: string;
  setDomain: (domain: string) => void;
  /** What is wrong with the format (the names it makes with this domain), or null. */
  problem: string | null;
  /** What is wrong with the domain, or null. */
  domainProblem: string | null;
  /** The host name an instance with this floating IP gets, or "—" while the format is unusable. */
  preview: (ip: string) => string;
};

/** The hostname format and its domain as typed, for the fields and for a live preview. */
export function useHostnameFormat(initial: Pick<DeployData, "hostnameFormat" | "instanceDomain">): HostnameFormatState {
  const [format, setFormat] = useState(initial.hostnameFormat);
  const [domain, setDomain] = useState(initial.instanceDomain ?? "");
  const domainProblem = hostnameDomainProblem(domain.trim());
  const problem = hostnameFormatProblem(format.trim(), domainProblem ? undefined : domain.trim());
  return {
    format,
    setFormat,
    domain,
    setDomain,
    problem,
    domainProblem,
    preview: (ip) => (problem || domainProblem ? "—" : formatHostname(format.trim(), ip, domain.trim())),
  };
}

/** The hostname format (checked as it is typed) and the domain for %(domain)s. */
export function HostnameFormatFields({ hostname, hint, error }: { hostname: HostnameFormatState; hint: string; error: FieldErrors }) {
  const { format, setFormat, domain, setDomain, problem, domainProblem } = hostname;
  return (
    <>
      <Field id="hostnameFormat" label="Hostname format" hint={hint} error={error("hostnameFormat") ?? (problem && format ? problem : undefined)}>
        <Input id="hostnameFormat" name="hostnameFormat" value={format} onChange={(e) => setFormat(e.target.value)} className="font-mono" spellCheck={false} />
      </Field>
      <Field id="instanceDomain" label="Domain for %(domain)s (optional)" error={error("instanceDomain") ?? (domainProblem ?? undefined)}>
        <Input id="instanceDomain" name="instanceDomain" value={domain} onChange={(e) => setDomain(e.target.value)} />
      </Field>
    </>
  );
}
