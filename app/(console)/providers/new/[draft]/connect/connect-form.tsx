"use client";

import { plural } from "@/lib/domain/format";
import { useActionState, useState } from "react";
import {
  CaBundleField,
  CredentialFields,
  EndpointFields,
  type AuthMethod,
  type ConnectionBindings,
  type ConnectionField,
} from "@/components/providers/connection-fields";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input, Select, Textarea } from "@/components/ui/input";
import type { ProviderDraft } from "@/lib/domain/credentials-import";
import type { ConnectData, ImportedSettings } from "@/lib/providers/schemas";
import { saveConnectStep } from "../../actions";

type Fields = Record<ConnectionField, string> & { authMethod: AuthMethod };

const fromConnect = (c?: ConnectData): Fields => ({
  authMethod: c?.authMethod ?? "password",
  authUrl: c?.authUrl ?? "",
  adminUrl: c?.adminUrl ?? "",
  region: c?.region ?? "RegionOne",
  username: c?.username ?? "",
  password: "",
  projectName: c?.projectName ?? "",
  projectId: c?.projectId ?? "",
  userDomainName: c?.userDomainName ?? "Default",
  projectDomainName: c?.projectDomainName ?? "Default",
  userDomainId: c?.userDomainId ?? "",
  projectDomainId: c?.projectDomainId ?? "",
  applicationCredentialId: c?.applicationCredentialId ?? "",
  applicationCredentialSecret: "",
  caBundle: c?.caBundle ?? "",
});

export function ConnectForm({
  draftId,
  initial,
  stored,
  regions = [],
  proposed = {},
  importedAdminRole,
}: {
  draftId: string;
  initial?: ConnectData;
  stored: { password: boolean; applicationCredentialSecret: boolean };
  /** The regions of the last verification's catalog; the region becomes a choice among them. */
  regions?: string[];
  /** Values the Verify step offered from the catalog, to be saved and verified again. */
  proposed?: { region?: string; adminUrl?: string };
  importedAdminRole?: string;
}) {
  const [state, action, pending] = useActionState(saveConnectStep, null);
  const [f, setF] = useState<Fields>(() => ({
    ...fromConnect(initial),
    ...(proposed.region ? { region: proposed.region } : {}),
    ...(proposed.adminUrl ? { adminUrl: proposed.adminUrl } : {}),
  }));
  const [adminRoleName, setAdminRoleName] = useState(initial?.adminRoleName ?? importedAdminRole ?? "admin");
  const [source, setSource] = useState("");
  const [clouds, setClouds] = useState<string[]>([]);
  const [cloud, setCloud] = useState("");
  const [importNote, setImportNote] = useState<{ tone: "success" | "error" | "warning"; lines: string[] } | null>(null);
  const [askPassword, setAskPassword] = useState(false);
  const [imported, setImported] = useState<ImportedSettings | null>(null);
  const [importedSecret, setImportedSecret] = useState("");
  const fe = state && !state.ok ? state.error.fieldErrors : undefined;
  const set = (k: keyof Fields) => (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) =>
    setF((prev) => ({ ...prev, [k]: e.target.value }));

  function apply(d: ProviderDraft, what: string, role: string | undefined) {
    setF((prev) => ({
      ...prev,
      authMethod: d.authMethod,
      authUrl: d.authUrl ?? prev.authUrl,
      adminUrl: d.adminUrl ?? prev.adminUrl,
      region: d.region ?? prev.region,
      username: d.username ?? prev.username,
      password: d.password ?? "",
      projectName: d.projectName ?? prev.projectName,
      projectId: d.projectId ?? "",
      userDomainName: d.userDomainName ?? prev.userDomainName,
      projectDomainName: d.projectDomainName ?? prev.projectDomainName,
      userDomainId: d.userDomainId ?? "",
      projectDomainId: d.projectDomainId ?? "",
      applicationCredentialId: d.applicationCredentialId ?? prev.applicationCredentialId,
      applicationCredentialSecret: d.applicationCredentialSecret ?? "",
      caBundle: d.caBundle ?? prev.caBundle,
    }));
    setAskPassword(d.needsPassword);
    if (role) setAdminRoleName(role);
    const user = (d.cloudConfig?.user ?? {}) as { secret?: unknown };
    if (d.cloudConfig || d.name || d.publicRouters || d.networkName) {
      setImported({
        name: d.name,
        platform: d.platform,
        isPublic: d.isPublic,
        networkName: d.networkName,
        publicRouters: d.publicRouters,
        // The account secret travels on its own (sealed on the server), never inside the settings.
        cloudConfig: d.cloudConfig ? { ...d.cloudConfig, user: { ...(d.cloudConfig.user as object), secret: undefined } } : undefined,
      });
    }
    const warnings = [...d.warnings];
    if (typeof user.secret === "string") {
      if (user.secret.length >= 32) setImportedSecret(user.secret);
      else warnings.push(`The account secret in the file has ${plural(user.secret.length, "character")}; the Accounts step asks for one of at least 32.`);
    }
    if (d.needsPassword) warnings.unshift("The file reads the password from a prompt: enter it below.");
    setImportNote({ tone: warnings.length ? "warning" : "success", lines: [`Read the ${what}. Check the fields below.`, ...warnings] });
  }

  async function readSource(text = source, chosen = cloud) {
    try {
      // The parsers (with a YAML library) load when a file is read, not with the page.
      const { adminRoleOf, detectFormat, listCloudsYaml, parseCloudsYaml, parseOpenrc, parseProviderJson } = await import("@/lib/domain/credentials-import");
      const applyDraft = (d: ProviderDraft, what: string) => apply(d, what, adminRoleOf(d.cloudConfig));
      const format = detectFormat(text);
      if (format === "json") return applyDraft(parseProviderJson(text), "add_new_provider JSON");
      if (format === "clouds.yaml") {
        const names = listCloudsYaml(text);
        setClouds(names);
        const pick = chosen && names.includes(chosen) ? chosen : names.length === 1 ? names[0] : "";
        if (!pick) {
          setImportNote({ tone: "warning", lines: [`This clouds.yaml has ${names.length} clouds: choose one.`] });
          return;
        }
        setCloud(pick);
        return applyDraft(parseCloudsYaml(text, pick), `cloud "${pick}" of the clouds.yaml`);
      }
      setClouds([]);
      applyDraft(parseOpenrc(text), "openrc");
    } catch (error) {
      setImportNote({ tone: "error", lines: [(error as Error).message] });
    }
  }

  async function onFile(e: React.ChangeEvent<HTMLInputElement>, then: (text: string) => void) {
    const file = e.target.files?.[0];
    if (file) then(await file.text());
  }

  const appCred = f.authMethod === "application_credential";
  const fields: ConnectionBindings = { bind: (k) => ({ value: f[k], onChange: set(k) }), error: (k) => fe?.[k] };
  return (
    <div className="grid gap-6">
      <Card>
        <CardHeader>
          <CardTitle>Read a file (optional)</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-3">
          <Field
            id="source"
            label="Paste an openrc, a clouds.yaml or the add_new_provider JSON"
            hint="The openrc from Horizon (Project → API Access → OpenStack RC File v3) works as it is, prompt included."
          >
            <Textarea id="source" value={source} onChange={(e) => setSource(e.target.value)} rows={8} spellCheck={false} />
          </Field>
          <div className="flex flex-wrap items-end gap-3">
            <div>
              <label htmlFor="source-file" className="text-sm font-medium text-slate-700">
                …or upload it
              </label>
              <input
                id="source-file"
                type="file"
                className="mt-1 block text-sm"
                onChange={(e) =>
                  onFile(e, (text) => {
                    setSource(text);
                    void readSource(text, "");
                  })
                }
              />
            </div>
            {clouds.length > 1 ? (
              <div className="w-56">
                <Field id="cloud" label="Cloud in the clouds.yaml">
                  <Select
                    id="cloud"
                    value={cloud}
                    onChange={(e) => {
                      setCloud(e.target.value);
                      void readSource(source, e.target.value);
                    }}
                  >
                    <option value="">Choose…</option>
                    {clouds.map((c) => (
                      <option key={c}>{c}</option>
                    ))}
                  </Select>
                </Field>
              </div>
            ) : null}
            <Button type="button" variant="secondary" onClick={() => void readSource()} disabled={!source.trim()}>
              Read it
            </Button>
          </div>
          {importNote ? (
            <Alert tone={importNote.tone}>
              <ul className="grid gap-1">
                {importNote.lines.map((l) => (
                  <li key={l}>{l}</li>
                ))}
              </ul>
            </Alert>
          ) : null}
        </CardContent>
      </Card>

      <form action={action} className="grid gap-6" noValidate>
        <input type="hidden" name="draftId" value={draftId} />
        {imported ? <input type="hidden" name="imported" value={JSON.stringify(imported)} /> : null}
        {importedSecret ? <input type="hidden" name="importedAccountSecret" value={importedSecret} /> : null}
        {state && !state.ok ? <Alert tone="error">{state.error.message}</Alert> : null}
        {proposed.region || proposed.adminUrl ? (
          <Alert tone="warning">
            {proposed.adminUrl ? `The admin URL is set to the catalog's identity admin endpoint, ${proposed.adminUrl}. ` : ""}
            {proposed.region ? `The region is set to ${proposed.region}, from the catalog. ` : ""}
            Save to verify again.
          </Alert>
        ) : null}
        <Card>
          <CardHeader>
            <CardTitle>Cloud</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-4 md:grid-cols-2">
            <EndpointFields
              {...fields}
              authMethod={f.authMethod}
              onAuthMethodChange={(authMethod) => setF((p) => ({ ...p, authMethod }))}
              regions={regions}
            />
          </CardContent>
        </Card>

        <Card>
          <CardHeader>
            <CardTitle>{appCred ? "Application credential" : "Admin account"}</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-4 md:grid-cols-2">
            <CredentialFields
              {...fields}
              authMethod={f.authMethod}
              hints={{
                applicationCredentialSecret: stored.applicationCredentialSecret ? "A secret is stored: leave blank to keep it." : undefined,
                password: askPassword
                  ? "The file asks for this at a prompt: type it here."
                  : stored.password
                    ? "A password is stored: leave blank to keep it."
                    : undefined,
              }}
              passwordAutoComplete="off"
              passwordClassName={askPassword && !f.password ? "border-amber-400 ring-2 ring-amber-200" : undefined}
              withProjectId
            />
            <Field
              id="adminRoleName"
              label="Admin role"
              hint="The role this account holds on its project that lets it create projects and users; Verify checks it. Often admin, on some clouds e.g. cloud_admin."
              error={fe?.adminRoleName}
            >
              <Input id="adminRoleName" name="adminRoleName" value={adminRoleName} onChange={(e) => setAdminRoleName(e.target.value)} />
            </Field>
          </CardContent>
        </Card>

        <Card>
          <CardHeader>
            <CardTitle>TLS</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-3">
            <CaBundleField
              {...fields}
              hint="Only for a private CA. It is trusted for this cloud's endpoints only; verification is never switched off."
            />
            <div>
              <label htmlFor="ca-file" className="text-sm font-medium text-slate-700">
                …or upload the CA file
              </label>
              <input id="ca-file" type="file" accept=".pem,.crt,.cer" className="mt-1 block text-sm" onChange={(e) => onFile(e, (t) => setF((p) => ({ ...p, caBundle: t })))} />
            </div>
          </CardContent>
        </Card>

        <div className="flex justify-end">
          <Button type="submit" disabled={pending}>
            {pending ? "Saving…" : "Save and verify"}
          </Button>
        </div>
      </form>
    </div>
  );
}
