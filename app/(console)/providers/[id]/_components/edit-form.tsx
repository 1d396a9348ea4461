"use client";

import Link from "next/link";
import { startTransition, useActionState, useEffect, useState } from "react";
import { SecurityRulesEditor } from "@/components/providers/security-rules-editor";
import { Alert } from "@/components/ui/alert";
import { Button, buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input, Select, Textarea } from "@/components/ui/input";
import { formatHostname, hostnameFormatProblem } from "@/lib/domain/hostname-format";
import { TOPOLOGIES, type Topology } from "@/lib/providers/schemas";
import type { ProviderSettings } from "@/lib/providers/settings";
import { updateProvider } from "../actions";

export type LiveOptions =
  | {
      ok: true;
      routers: Array<{ name: string; gateway: string | null }>;
      externalNetworks: string[];
      roles: string[];
      domains: Array<{ id: string; name: string }>;
    }
  | { ok: false; message: string };

const EXPLAIN: Record<Topology, string> = {
  "External Router Topology": "Each user's subnet gets an interface on one of the shared public routers (the one with the fewest accounts).",
  "External Network Topology": "Each user gets their own <project>-router with its gateway on the external network.",
};

const SAMPLE_IP = "203.0.113.42";

function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(36));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Options from the cloud, plus the stored value when the cloud no longer lists it. */
function withCurrent(options: string[], current: string | undefined): string[] {
  return current && !options.includes(current) ? [current, ...options] : options;
}

export function EditProviderForm({
  providerId,
  initial,
  live,
  accountSecretLock,
}: {
  providerId: number;
  initial: ProviderSettings;
  live: LiveOptions;
  accountSecretLock: string | null;
}) {
  const [state, dispatch, pending] = useActionState(updateProvider, null);
  const [authMethod, setAuthMethod] = useState(initial.connect.authMethod);
  const [topology, setTopology] = useState<Topology>(initial.network.topology);
  const [password, setPassword] = useState("");
  const [appSecret, setAppSecret] = useState("");
  const [accountSecret, setAccountSecret] = useState("");
  const [format, setFormat] = useState(initial.deploy.hostnameFormat);
  const [domain, setDomain] = useState(initial.deploy.instanceDomain ?? "");
  const fe = state && !state.ok ? state.error.fieldErrors : undefined;
  // Errors of a field and of its items ("dnsNameservers.1"), so no message is lost.
  const err = (key: string): string[] | undefined => {
    const found = Object.entries(fe ?? {})
      .filter(([k]) => k === key || k.startsWith(`${key}.`))
      .flatMap(([, v]) => v);
    return found.length ? found : undefined;
  };
  const formatProblem = hostnameFormatProblem(format);
  const methodChanged = authMethod !== initial.connect.authMethod;

  // Typed secrets are not kept around once saved.
  useEffect(() => {
    if (state?.ok) {
      setPassword("");
      setAppSecret("");
      setAccountSecret("");
    }
  }, [state]);

  // Submitting through a transition (not <form action>) keeps the typed values when the save is refused.
  const onSubmit = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    startTransition(() => dispatch(form));
  };

  const ruleErrors = fe
    ? Object.entries(fe)
        .filter(([k]) => k.startsWith("securityRules"))
        .flatMap(([k, v]) => v.map((m) => (k.includes(".") ? `Rule ${Number(k.split(".")[1]) + 1}: ${m}` : m)))
    : undefined;
  const keepHint = (what: string) => (methodChanged ? `Enter the ${what} for the new sign-in method.` : `Stored: leave blank to keep it.`);

  return (
    <form onSubmit={onSubmit} className="grid gap-6" noValidate aria-label="Provider settings">
      <input type="hidden" name="providerId" value={providerId} />
      {state?.ok ? (
        <Alert tone="success">
          {state.data.changed.length === 0 ? (
            "Nothing changed."
          ) : (
            <>
              Saved. Changed: {state.data.changed.join(", ")}.
              {state.data.preflight
                ? ` The new connection was verified${state.data.preflight.warnings ? ` (${state.data.preflight.warnings} warnings)` : ""}.`
                : ""}{" "}
              <Link href={`/providers/${providerId}`} className="font-medium underline">
                Back to the provider
              </Link>
            </>
          )}
        </Alert>
      ) : null}
      {state && !state.ok ? (
        <Alert tone="error">
          {fe?.preflight ? (
            <>
              <p className="font-medium">Nothing was saved: the cloud failed verification with the new connection settings.</p>
              <ul className="mt-1 list-disc pl-5">
                {fe.preflight.map((m) => (
                  <li key={m}>{m}</li>
                ))}
              </ul>
            </>
          ) : (
            state.error.message
          )}
        </Alert>
      ) : null}
      {!live.ok ? (
        <Alert tone="warning">
          Could not list routers, networks, roles and domains from the cloud ({live.message}). Type the names instead.
        </Alert>
      ) : null}

      <Card>
        <CardHeader>
          <CardTitle>Provider</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-4 md:grid-cols-3">
          <Field id="name" label="Provider name" hint="Unique; shown to users." error={err("name")}>
            <Input id="name" name="name" defaultValue={initial.deploy.name} />
          </Field>
          <Field id="platform" label="Platform" error={err("platform")}>
            <Select id="platform" name="platform" defaultValue={initial.deploy.platform}>
              <option value="KVM">KVM</option>
              <option value="Xen">Xen</option>
            </Select>
          </Field>
          <fieldset className="grid gap-1.5">
            <legend className="text-sm font-medium text-slate-700">Visibility</legend>
            <label className="flex items-start gap-2 text-sm">
              <input type="checkbox" name="isPublic" defaultChecked={initial.deploy.isPublic} className="mt-1" />
              <span>
                Public
                <span className="block text-xs text-slate-500">Public providers are offered to every user of the portal.</span>
              </span>
            </label>
          </fieldset>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Connection</CardTitle>
          <p className="mt-1 text-sm text-slate-600">
            Changing anything here verifies the cloud again before saving; nothing is saved if a preflight check fails.
          </p>
        </CardHeader>
        <CardContent className="grid gap-4 md:grid-cols-2">
          <Field id="authUrl" label="Auth URL (Keystone)" hint="With or without /v3, e.g. https://cloud.example.org:5000/v3" error={err("authUrl")}>
            <Input id="authUrl" name="authUrl" defaultValue={initial.connect.authUrl} inputMode="url" />
          </Field>
          <Field id="adminUrl" label="Admin URL (optional)" hint="The Keystone admin API, if it differs" error={err("adminUrl")}>
            <Input id="adminUrl" name="adminUrl" defaultValue={initial.connect.adminUrl ?? ""} inputMode="url" />
          </Field>
          <Field id="region" label="Region" error={err("region")}>
            <Input id="region" name="region" defaultValue={initial.connect.region} />
          </Field>
          <fieldset className="grid gap-1.5">
            <legend className="text-sm font-medium text-slate-700">Credentials</legend>
            <div className="flex gap-4 pt-1 text-sm">
              {(
                [
                  ["password", "Username and password"],
                  ["application_credential", "Application credential"],
                ] as const
              ).map(([value, label]) => (
                <label key={value} className="flex items-center gap-2">
                  <input type="radio" name="authMethod" value={value} checked={authMethod === value} onChange={() => setAuthMethod(value)} />
                  {label}
                </label>
              ))}
            </div>
          </fieldset>
          {authMethod === "application_credential" ? (
            <>
              <Field id="applicationCredentialId" label="Application credential ID" error={err("applicationCredentialId")}>
                <Input id="applicationCredentialId" name="applicationCredentialId" defaultValue={initial.connect.applicationCredentialId ?? ""} />
              </Field>
              <Field
                id="applicationCredentialSecret"
                label="Application credential secret"
                hint={keepHint("application credential secret")}
                error={err("applicationCredentialSecret")}
              >
                <Input
                  id="applicationCredentialSecret"
                  name="applicationCredentialSecret"
                  type="password"
                  autoComplete="off"
                  value={appSecret}
                  onChange={(e) => setAppSecret(e.target.value)}
                />
              </Field>
            </>
          ) : (
            <>
              <Field id="username" label="Username" error={err("username")}>
                <Input id="username" name="username" defaultValue={initial.connect.username ?? ""} autoComplete="off" />
              </Field>
              <Field id="password" label="Password" hint={keepHint("admin password")} error={err("password")}>
                <Input
                  id="password"
                  name="password"
                  type="password"
                  autoComplete="new-password"
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                />
              </Field>
              <Field id="projectName" label="Project (tenant)" error={err("projectName")}>
                <Input id="projectName" name="projectName" defaultValue={initial.connect.projectName ?? ""} />
              </Field>
              <div className="hidden md:block" />
              <Field id="userDomainName" label="User domain" error={err("userDomainName")}>
                <Input id="userDomainName" name="userDomainName" defaultValue={initial.connect.userDomainName} />
              </Field>
              <Field id="projectDomainName" label="Project domain" error={err("projectDomainName")}>
                <Input id="projectDomainName" name="projectDomainName" defaultValue={initial.connect.projectDomainName} />
              </Field>
            </>
          )}
          <div className="md:col-span-2">
            <Field
              id="caBundle"
              label="CA bundle (optional, PEM)"
              hint="Only for a private CA; empty means public CAs only. Verification is never switched off."
              error={err("caBundle")}
            >
              <Textarea id="caBundle" name="caBundle" defaultValue={initial.connect.caBundle ?? ""} rows={4} spellCheck={false} />
            </Field>
          </div>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Network</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-4">
          <fieldset className="grid gap-2">
            <legend className="text-sm font-medium text-slate-700">Topology</legend>
            {TOPOLOGIES.map((t) => (
              <label key={t} className="flex items-start gap-2 text-sm">
                <input type="radio" name="topology" value={t} checked={topology === t} onChange={() => setTopology(t)} className="mt-1" />
                <span>
                  <span className="font-medium">{t}</span>
                  <span className="block text-slate-600">{EXPLAIN[t]}</span>
                </span>
              </label>
            ))}
            {err("topology") ? <p className="text-xs text-red-600">{err("topology")!.join(" ")}</p> : null}
          </fieldset>
          {topology === "External Router Topology" ? (
            live.ok ? (
              <fieldset className="grid gap-1.5">
                <legend className="text-sm font-medium text-slate-700">Public routers</legend>
                {live.routers.length === 0 ? <p className="text-sm text-red-600">Neutron has no router. Create one with a gateway first.</p> : null}
                {[...live.routers.map((r) => r.name), ...initial.network.publicRouters.filter((n) => !live.routers.some((r) => r.name === n))].map(
                  (name) => {
                    const r = live.routers.find((x) => x.name === name);
                    return (
                      <label key={name} className="flex items-center gap-2 text-sm">
                        <input type="checkbox" name="publicRouters" value={name} defaultChecked={initial.network.publicRouters.includes(name)} />
                        <span className="font-medium">{name}</span>
                        <span className={r ? "text-slate-500" : "text-amber-700"}>
                          {!r ? "not found on the cloud" : r.gateway ? `gateway on ${r.gateway}` : "no external gateway"}
                        </span>
                      </label>
                    );
                  },
                )}
                {err("publicRouters") ? <p className="text-xs text-red-600">{err("publicRouters")!.join(" ")}</p> : null}
              </fieldset>
            ) : (
              <Field id="publicRouters" label="Public routers" hint="Router names, separated by commas." error={err("publicRouters")}>
                <Input id="publicRouters" name="publicRouters" defaultValue={initial.network.publicRouters.join(", ")} />
              </Field>
            )
          ) : null}
          <Field
            id="externalNetwork"
            label="External network"
            hint="Floating IPs come from it; for External Network Topology, user routers get their gateway on it."
            error={err("externalNetwork")}
          >
            {live.ok ? (
              <Select id="externalNetwork" name="externalNetwork" defaultValue={initial.network.externalNetwork ?? ""}>
                <option value="">Choose…</option>
                {withCurrent(live.externalNetworks, initial.network.externalNetwork).map((n) => (
                  <option key={n} value={n}>
                    {n}
                    {live.externalNetworks.includes(n) ? "" : " (not found on the cloud)"}
                  </option>
                ))}
              </Select>
            ) : (
              <Input id="externalNetwork" name="externalNetwork" defaultValue={initial.network.externalNetwork ?? ""} />
            )}
          </Field>
          <Field id="dnsNameservers" label="DNS name servers" hint="One per line or separated by commas." error={err("dnsNameservers")}>
            <Textarea id="dnsNameservers" name="dnsNameservers" rows={2} defaultValue={initial.network.dnsNameservers.join("\n")} />
          </Field>
          <SecurityRulesEditor name="securityRules" initial={initial.network.securityRules} serverError={ruleErrors} />
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Accounts</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-4">
          <div className="grid gap-4 md:grid-cols-3">
            {(
              [
                ["adminRoleName", "Admin role", "Given to the provider's admin user on every user project.", initial.accounts.adminRoleName],
                ["userRoleName", "User role", "What each user gets on their own project.", initial.accounts.userRoleName],
              ] as const
            ).map(([key, label, hint, value]) => (
              <Field key={key} id={key} label={label} hint={hint} error={err(key)}>
                {live.ok ? (
                  <Select id={key} name={key} defaultValue={value}>
                    {withCurrent(live.roles, value).map((r) => (
                      <option key={r} value={r}>
                        {r}
                        {live.roles.includes(r) ? "" : " (not found on the cloud)"}
                      </option>
                    ))}
                  </Select>
                ) : (
                  <Input id={key} name={key} defaultValue={value} />
                )}
              </Field>
            ))}
            <Field id="domain" label="Domain" hint="Where user projects and users are created." error={err("domain")}>
              {live.ok ? (
                <Select id="domain" name="domain" defaultValue={initial.accounts.domain}>
                  {!live.domains.some((d) => d.id === initial.accounts.domain || d.name === initial.accounts.domain) ? (
                    <option value={initial.accounts.domain}>{initial.accounts.domain} (not found on the cloud)</option>
                  ) : null}
                  {live.domains.map((d) => (
                    <option key={d.id} value={d.name === initial.accounts.domain ? d.name : d.id}>
                      {d.name} ({d.id})
                    </option>
                  ))}
                </Select>
              ) : (
                <Input id="domain" name="domain" defaultValue={initial.accounts.domain} />
              )}
            </Field>
          </div>
          <div className="flex items-end gap-2">
            <div className="flex-1">
              <Field
                id="accountSecret"
                label="Account secret (at least 32 characters)"
                hint={accountSecretLock ?? "Stored: leave blank to keep it. Every user's OpenStack password is derived from it."}
                error={err("accountSecret")}
              >
                <Input
                  id="accountSecret"
                  name="accountSecret"
                  value={accountSecret}
                  onChange={(e) => setAccountSecret(e.target.value)}
                  disabled={Boolean(accountSecretLock)}
                  placeholder={accountSecretLock ? "locked" : undefined}
                  autoComplete="off"
                  spellCheck={false}
                  className="font-mono"
                />
              </Field>
            </div>
            {accountSecretLock ? null : (
              <Button type="button" variant="secondary" onClick={() => setAccountSecret(randomSecret())}>
                Generate
              </Button>
            )}
          </div>
          {accountSecret ? (
            <p className="text-xs text-slate-500" aria-live="polite">
              {accountSecret.length} characters{accountSecret.length < 32 ? " — too short" : ""}
            </p>
          ) : null}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Instance host names</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-4 md:grid-cols-2">
          <Field
            id="hostnameFormat"
            label="Hostname format"
            hint="%(one)s…%(four)s are the octets of the instance's floating IP, %(domain)s the domain beside."
            error={err("hostnameFormat") ?? (formatProblem && format ? formatProblem : undefined)}
          >
            <Input id="hostnameFormat" name="hostnameFormat" value={format} onChange={(e) => setFormat(e.target.value)} className="font-mono" spellCheck={false} />
          </Field>
          <Field id="instanceDomain" label="Domain for %(domain)s (optional)" error={err("instanceDomain")}>
            <Input id="instanceDomain" name="instanceDomain" value={domain} onChange={(e) => setDomain(e.target.value)} />
          </Field>
          <p className="text-sm text-slate-600 md:col-span-2" aria-live="polite">
            Example: <span className="font-mono">{SAMPLE_IP}</span> →{" "}
            <span className="font-mono">{formatProblem ? "—" : formatHostname(format, SAMPLE_IP, domain)}</span>
          </p>
        </CardContent>
      </Card>

      <div className="flex justify-between">
        <Link href={`/providers/${providerId}`} className={buttonVariants({ variant: "secondary" })}>
          Cancel
        </Link>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save changes"}
        </Button>
      </div>
    </form>
  );
}
