"use client";

import { Field } from "@/components/ui/field";
import { Input, Select, Textarea } from "@/components/ui/input";
import type { ConnectData } from "@/lib/providers/schemas";

// The connection settings of a provider, shared by the wizard's Connect step and the edit form.
// Secrets are never passed in: a form only knows whether one is stored, and says so in a hint.

export type AuthMethod = ConnectData["authMethod"];

/** The text inputs of the connection settings, by their form `name`. */
export type ConnectionField =
  | "authUrl"
  | "adminUrl"
  | "region"
  | "username"
  | "password"
  | "projectName"
  | "projectId"
  | "userDomainName"
  | "projectDomainName"
  | "userDomainId"
  | "projectDomainId"
  | "applicationCredentialId"
  | "applicationCredentialSecret"
  | "caBundle";

/** How one input gets its value: typed into form state (controlled) or left to the browser (uncontrolled). */
export type Binding =
  | { value: string; onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) => void }
  | { defaultValue: string };

/** Each form's way to its inputs' values and to the errors the server returned for a field. */
export type ConnectionBindings = {
  bind: (field: ConnectionField) => Binding;
  error: (field: ConnectionField) => string[] | undefined;
};

const AUTH_METHODS = [
  ["password", "Username and password"],
  ["application_credential", "Application credential"],
] as const satisfies ReadonlyArray<readonly [AuthMethod, string]>;

/** Auth URL, admin URL, region and the choice of sign-in method. */
export function EndpointFields({
  bind,
  error,
  authMethod,
  onAuthMethodChange,
  regions = [],
}: ConnectionBindings & {
  authMethod: AuthMethod;
  onAuthMethodChange: (method: AuthMethod) => void;
  /** The regions of the cloud's catalog, when a token has been issued: the region is picked from them. */
  regions?: string[];
}) {
  const region = bind("region");
  const current = "value" in region ? region.value : region.defaultValue;
  return (
    <>
      <Field id="authUrl" label="Auth URL (Keystone)" hint="With or without /v3, e.g. https://cloud.example.org:5000/v3" error={error("authUrl")}>
        <Input id="authUrl" name="authUrl" {...bind("authUrl")} inputMode="url" />
      </Field>
      <Field id="adminUrl" label="Admin URL (optional)" hint="The Keystone admin API, if it differs" error={error("adminUrl")}>
        <Input id="adminUrl" name="adminUrl" {...bind("adminUrl")} inputMode="url" />
      </Field>
      {regions.length ? (
        <Field id="region" label="Region" hint="The regions of this cloud's catalog" error={error("region")}>
          <Select id="region" name="region" {...region}>
            {(regions.includes(current) ? regions : [current, ...regions]).map((r) => (
              <option key={r} value={r}>
                {regions.includes(r) ? r : `${r || "(none)"} — not in the catalog`}
              </option>
            ))}
          </Select>
        </Field>
      ) : (
        <Field id="region" label="Region" hint="Verify lists the catalog's regions to choose from" error={error("region")}>
          <Input id="region" name="region" {...region} />
        </Field>
      )}
      <fieldset className="grid gap-1.5">
        <legend className="text-sm font-medium text-slate-700">Credentials</legend>
        <div className="flex gap-4 pt-1 text-sm">
          {AUTH_METHODS.map(([value, label]) => (
            <label key={value} className="flex items-center gap-2">
              <input type="radio" name="authMethod" value={value} checked={authMethod === value} onChange={() => onAuthMethodChange(value)} />
              {label}
            </label>
          ))}
        </div>
      </fieldset>
    </>
  );
}

/**
 * The credentials of the chosen sign-in method: an application credential, or an admin
 * username, password, project and domains.
 */
export function CredentialFields({
  bind,
  error,
  authMethod,
  hints,
  passwordAutoComplete,
  passwordClassName,
  withProjectId,
}: ConnectionBindings & {
  authMethod: AuthMethod;
  /** What the form says under the secret fields, e.g. that one is stored and a blank keeps it. */
  hints: { password?: React.ReactNode; applicationCredentialSecret?: React.ReactNode };
  passwordAutoComplete: "off" | "new-password";
  passwordClassName?: string;
  /** Offer the project and domain IDs beside their names; without them, the domains still line up. */
  withProjectId: boolean;
}) {
  if (authMethod === "application_credential") {
    return (
      <>
        <Field id="applicationCredentialId" label="Application credential ID" error={error("applicationCredentialId")}>
          <Input id="applicationCredentialId" name="applicationCredentialId" {...bind("applicationCredentialId")} />
        </Field>
        <Field
          id="applicationCredentialSecret"
          label="Application credential secret"
          hint={hints.applicationCredentialSecret}
          error={error("applicationCredentialSecret")}
        >
          <Input id="applicationCredentialSecret" name="applicationCredentialSecret" type="password" autoComplete="off" {...bind("applicationCredentialSecret")} />
        </Field>
      </>
    );
  }
  return (
    <>
      <Field id="username" label="Username" error={error("username")}>
        <Input id="username" name="username" {...bind("username")} autoComplete="off" />
      </Field>
      <Field id="password" label="Password" hint={hints.password} error={error("password")}>
        <Input id="password" name="password" type="password" autoComplete={passwordAutoComplete} {...bind("password")} className={passwordClassName} />
      </Field>
      <Field id="projectName" label="Project (tenant)" error={error("projectName")}>
        <Input id="projectName" name="projectName" {...bind("projectName")} />
      </Field>
      {withProjectId ? (
        <Field id="projectId" label="Project ID (optional, wins over the name)" error={error("projectId")}>
          <Input id="projectId" name="projectId" {...bind("projectId")} />
        </Field>
      ) : (
        <div className="hidden md:block" />
      )}
      <Field id="userDomainName" label="User domain" error={error("userDomainName")}>
        <Input id="userDomainName" name="userDomainName" {...bind("userDomainName")} />
      </Field>
      <Field id="projectDomainName" label="Project domain" error={error("projectDomainName")}>
        <Input id="projectDomainName" name="projectDomainName" {...bind("projectDomainName")} />
      </Field>
      {withProjectId ? (
        <>
          <Field id="userDomainId" label="User domain ID (optional, wins over the name)" error={error("userDomainId")}>
            <Input id="userDomainId" name="userDomainId" {...bind("userDomainId")} />
          </Field>
          <Field id="projectDomainId" label="Project domain ID (optional, wins over the name)" error={error("projectDomainId")}>
            <Input id="projectDomainId" name="projectDomainId" {...bind("projectDomainId")} />
          </Field>
        </>
      ) : null}
    </>
  );
}

/** The PEM bundle of a private CA (verification itself is never switched off). */
export function CaBundleField({ bind, error, hint }: ConnectionBindings & { hint: string }) {
  return (
    <Field id="caBundle" label="CA bundle (optional, PEM)" hint={hint} error={error("caBundle")}>
      <Textarea id="caBundle" name="caBundle" {...bind("caBundle")} rows={4} spellCheck={false} />
    </Field>
  );
}
