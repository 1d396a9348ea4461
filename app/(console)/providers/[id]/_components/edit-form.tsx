"use client";

import Link from "next/link";
import { startTransition, useActionState, useEffect, useRef, useState } from "react";
import { needsReauth, ReauthPrompt } from "@/components/auth/reauth-prompt";
import { AccountSecretField, FederationFields, RolesAndDomainFields, type DomainChoice, type FederationChoice } from "@/components/providers/account-fields";
import { CaBundleField, CredentialFields, EndpointFields, type ConnectionBindings } from "@/components/providers/connection-fields";
import { HostnameFormatFields, ProviderIdentityFields, useHostnameFormat } from "@/components/providers/deploy-fields";
import {
  DnsNameserversField,
  ExternalNetworkField,
  PublicRoutersField,
  securityRuleErrors,
  TopologyFieldset,
  type RouterChoice,
} from "@/components/providers/network-fields";
import { SecurityRulesEditor } from "@/components/providers/security-rules-editor";
import { Alert } from "@/components/ui/alert";
import { Button, buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import type { Topology } from "@/lib/providers/schemas";
import type { ProviderSettings } from "@/lib/providers/settings";
import { updateProvider } from "../actions";
import { plural } from "@/lib/domain/format";

export type LiveOptions =
  | {
      ok: true;
      routers: RouterChoice[];
      externalNetworks: string[];
      roles: string[];
      domains: DomainChoice[];
      federation?: FederationChoice[] | null;
    }
  | { ok: false; message: string };

const SAMPLE_IP = "203.0.113.42";

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
  const formRef = useRef<HTMLFormElement>(null);
  const [authMethod, setAuthMethod] = useState(initial.connect.authMethod);
  const [topology, setTopology] = useState<Topology>(initial.network.topology);
  const [password, setPassword] = useState("");
  const [appSecret, setAppSecret] = useState("");
  const [accountSecret, setAccountSecret] = useState("");
  const hostname = useHostnameFormat(initial.deploy);
  const fe = state && !state.ok ? state.error.fieldErrors : undefined;
  // Errors of a field and of its items ("dnsNameservers.1"), so no message is lost.
  const err = (key: string): string[] | undefined => {
    const found = Object.entries(fe ?? {})
      .filter(([k]) => k === key || k.startsWith(`${key}.`))
      .flatMap(([, v]) => v);
    return found.length ? found : undefined;
  };
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

  const keepHint = (what: string) => (methodChanged ? `Enter the ${what} for the new sign-in method.` : `Stored: leave blank to keep it while the connection stays the same. A new auth URL, CA bundle, user, project, domain or region needs it typed again.`);
  // Only the secrets are typed into state (to clear them once saved); the rest start from the stored settings.
  const connection: ConnectionBindings = {
    bind: (k) =>
      k === "password"
        ? { value: password, onChange: (e) => setPassword(e.target.value) }
        : k === "applicationCredentialSecret"
          ? { value: appSecret, onChange: (e) => setAppSecret(e.target.value) }
          : { defaultValue: initial.connect[k] ?? "" },
    error: err,
  };

  return (
    <>
    {/* A connection change needs a sign-in from the last 10 minutes: confirm, then save again. */}
    {needsReauth(state) ? <ReauthPrompt error={state.error} onConfirmed={() => formRef.current?.requestSubmit()} /> : null}
    <form ref={formRef} onSubmit={onSubmit} className="grid gap-6" noValidate aria-label="Provider settings">
      <input type="hidden" name="providerId" value={providerId} />
      {state?.ok ? (
        <Alert tone="success">
          {state.data.changed.length === 0 ? (
            "Nothing changed."
          ) : (
            <>
              Saved. Changed: {state.data.changed.join(", ")}.
              {state.data.preflight
                ? ` The new connection was verified${state.data.preflight.warnings ? ` (${plural(state.data.preflight.warnings, "warning")})` : ""}.`
                : ""}{" "}
              <Link href={`/providers/${providerId}`} className="font-medium underline">
                Back to the provider
              </Link>
            </>
          )}
        </Alert>
      ) : null}
      {state && !state.ok && state.error.code !== "reauth_required" ? (
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
          <ProviderIdentityFields initial={initial.deploy} publicHint="Public providers are offered to every user of the portal." error={err} />
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
          <EndpointFields {...connection} authMethod={authMethod} onAuthMethodChange={setAuthMethod} />
          <CredentialFields
            {...connection}
            authMethod={authMethod}
            hints={{ password: keepHint("admin password"), applicationCredentialSecret: keepHint("application credential secret") }}
            passwordAutoComplete="new-password"
            withProjectId
          />
          <div className="md:col-span-2">
            <CaBundleField
              {...connection}
              hint="Only for a private CA; empty means public CAs only. Verification is never switched off."
            />
          </div>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Network</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-4">
          <TopologyFieldset value={topology} onChange={setTopology} error={err("topology")} />
          {topology === "External Router Topology" ? (
            <PublicRoutersField routers={live.ok ? live.routers : null} checked={initial.network.publicRouters} keepStored error={err("publicRouters")} />
          ) : null}
          <ExternalNetworkField
            networks={live.ok ? live.externalNetworks.map((name) => ({ name })) : null}
            value={initial.network.externalNetwork}
            keepStored
            error={err("externalNetwork")}
          />
          <DnsNameserversField value={initial.network.dnsNameservers} error={err("dnsNameservers")} />
          <SecurityRulesEditor name="securityRules" initial={initial.network.securityRules} serverError={securityRuleErrors(fe)} />
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Accounts</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-4">
          <div className="grid gap-4 md:grid-cols-3">
            <RolesAndDomainFields
              initial={initial.accounts}
              roles={live.ok ? live.roles : null}
              domains={live.ok ? live.domains : null}
              keepStored
              error={err}
            />
          </div>
          <FederationFields initial={initial.accounts} choices={live.ok ? (live.federation ?? null) : null} error={err} />
          <AccountSecretField
            value={accountSecret}
            onChange={setAccountSecret}
            hint={accountSecretLock ?? "Stored: leave blank to keep it. Every user's OpenStack password is derived from it."}
            lockedReason={accountSecretLock}
            error={err("accountSecret")}
          />
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Instance host names</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-4 md:grid-cols-2">
          <HostnameFormatFields
            hostname={hostname}
            hint="%(one)s…%(four)s are the octets of the instance's floating IP, %(domain)s the domain beside."
            error={err}
          />
          <p className="text-sm text-slate-600 md:col-span-2" aria-live="polite">
            Example: <span className="font-mono">{SAMPLE_IP}</span> → <span className="font-mono">{hostname.preview(SAMPLE_IP)}</span>
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
    </>
  );
}
