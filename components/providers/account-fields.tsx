"use client";

import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import type { AccountsData } from "@/lib/providers/schemas";
import { CloudSelectField, type CloudOption } from "./cloud-select";

// How a provider makes accounts, shared by the wizard's Accounts step and the edit form.

export type DomainChoice = { id: string; name: string };

const ROLE_FIELDS = [
  ["adminRoleName", "Admin role", "Given to the provider's admin user on every user project."],
  ["userRoleName", "User role", "What each user gets on their own project."],
] as const;

/**
 * The admin and user roles and the domain, picked from what Keystone lists; text fields when
 * the cloud could not be asked (`roles`/`domains` null).
 */
export function RolesAndDomainFields({
  initial,
  roles,
  domains,
  keepStored = false,
  error,
}: {
  initial: AccountsData;
  roles: string[] | null;
  domains: DomainChoice[] | null;
  /** Also list (marked) stored roles and domains the cloud no longer has, as when editing a saved provider. */
  keepStored?: boolean;
  error: (field: keyof AccountsData) => string[] | undefined;
}) {
  const stored = initial.domain;
  // Domains are offered by id; a saved provider's domain stored by its name stays by its name.
  const domainOptions = domains?.map<CloudOption>((d) => ({
    key: d.id,
    value: keepStored && d.name === stored ? d.name : d.id,
    label: `${d.name} (${d.id})`,
  }));
  return (
    <>
      {ROLE_FIELDS.map(([key, label, hint]) => (
        <CloudSelectField
          key={key}
          id={key}
          label={label}
          hint={hint}
          error={error(key)}
          options={roles?.map((r) => ({ value: r, label: r })) ?? null}
          defaultValue={initial[key]}
          keepStored={keepStored}
        />
      ))}
      <CloudSelectField
        id="domain"
        label="Domain"
        hint="Where user projects and users are created."
        error={error("domain")}
        options={domainOptions ?? null}
        defaultValue={stored}
        keepStored={keepStored}
        storedListed={domains?.some((d) => d.id === stored || d.name === stored)}
      />
    </>
  );
}

const MIN_SECRET_LENGTH = 32;

/** 48 URL-safe random characters from the browser's CSPRNG. */
function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(36));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * The account secret every user's OpenStack password is derived from, with a Generate button
 * and a live length count. The stored secret is never shown: the field starts blank, and a
 * blank field keeps it.
 */
export function AccountSecretField({
  value,
  onChange,
  hint,
  lockedReason,
  error,
}: {
  value: string;
  onChange: (secret: string) => void;
  hint?: string;
  /** Why the secret can no longer change (accounts exist); the field is then disabled. */
  lockedReason?: string | null;
  error?: string[];
}) {
  const locked = Boolean(lockedReason);
  return (
    <>
      <div className="flex items-end gap-2">
        <div className="flex-1">
          <Field id="accountSecret" label={`Account secret (at least ${MIN_SECRET_LENGTH} characters)`} hint={hint} error={error}>
            <Input
              id="accountSecret"
              name="accountSecret"
              value={value}
              onChange={(e) => onChange(e.target.value)}
              disabled={locked}
              placeholder={locked ? "locked" : undefined}
              autoComplete="off"
              spellCheck={false}
              className="font-mono"
            />
          </Field>
        </div>
        {locked ? null : (
          <Button type="button" variant="secondary" onClick={() => onChange(randomSecret())}>
            Generate
          </Button>
        )}
      </div>
      <p className="text-xs text-slate-500" aria-live="polite">
        {value ? `${value.length} characters${value.length < MIN_SECRET_LENGTH ? " — too short" : ""}` : ""}
      </p>
    </>
  );
}

/** One identity provider + protocol Keystone has, with what its mapping check says for the account domain. */
export type FederationChoice = { idp: string; protocol: string; mapping: string; problem: string | null };

/**
 * "Users sign in to this cloud through identity provider <idp> with protocol <protocol>":
 * blank for local users with derived passwords. Lists what Keystone's OS-FEDERATION API has and
 * whether each protocol's mapping puts users in the account domain.
 */
export function FederationFields({
  initial,
  choices,
  error,
}: {
  initial: AccountsData;
  /** Null when the cloud could not be asked (or has no OS-FEDERATION API). */
  choices: FederationChoice[] | null;
  error: (field: keyof AccountsData) => string[] | undefined;
}) {
  const idps = [...new Set((choices ?? []).map((c) => c.idp))];
  const protocols = [...new Set((choices ?? []).map((c) => c.protocol))];
  return (
    <div className="grid gap-4">
      <p className="text-sm text-slate-700">
        Leave both blank for local Keystone users with derived passwords. Set both when users sign in to this cloud through a
        Keystone identity provider (OpenID Connect): accounts then get federated users with no password, looked up by the
        portal username as their unique id.
      </p>
      <div className="grid gap-4 md:grid-cols-2">
        <Field id="federationIdp" label="Identity provider" hint="Keystone's identity provider id." error={error("federationIdp")}>
          <Input id="federationIdp" name="federationIdp" defaultValue={initial.federationIdp ?? ""} list="federationIdp-options" autoComplete="off" spellCheck={false} />
        </Field>
        <Field id="federationProtocol" label="Protocol" hint="Usually openid." error={error("federationProtocol")}>
          <Input id="federationProtocol" name="federationProtocol" defaultValue={initial.federationProtocol ?? ""} list="federationProtocol-options" autoComplete="off" spellCheck={false} />
        </Field>
        <datalist id="federationIdp-options">{idps.map((i) => <option key={i} value={i} />)}</datalist>
        <datalist id="federationProtocol-options">{protocols.map((p) => <option key={p} value={p} />)}</datalist>
      </div>
      {choices === null ? (
        <p className="text-sm text-slate-500">Keystone&apos;s identity providers could not be listed (no OS-FEDERATION API, or no access).</p>
      ) : choices.length === 0 ? (
        <p className="text-sm text-slate-500">Keystone has no identity provider with a protocol.</p>
      ) : (
        <table aria-label="Keystone identity providers, protocols and mappings" className="w-full text-left text-sm">
          <thead>
            <tr>
              <th scope="col">Identity provider</th>
              <th scope="col">Protocol</th>
              <th scope="col">Mapping</th>
              <th scope="col">Account domain</th>
            </tr>
          </thead>
          <tbody>
            {choices.map((c) => (
              <tr key={`${c.idp}/${c.protocol}`}>
                <td className="font-mono">{c.idp}</td>
                <td className="font-mono">{c.protocol}</td>
                <td className="font-mono">{c.mapping}</td>
                <td>{c.problem ? <span className="text-red-700">{c.problem}</span> : "users land in the account domain"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
