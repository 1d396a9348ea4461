"use client";

import Link from "next/link";
import { useActionState, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button, buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import type { AccountsData } from "@/lib/providers/schemas";
import { saveAccountsStep } from "../../actions";

function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(36));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function AccountsForm({
  draftId,
  initial,
  roles,
  domains,
  secretStored,
}: {
  draftId: string;
  initial: AccountsData;
  roles: string[];
  domains: Array<{ id: string; name: string }>;
  secretStored: boolean;
}) {
  const [state, action, pending] = useActionState(saveAccountsStep, null);
  const [secret, setSecret] = useState("");
  const fe = state && !state.ok ? state.error.fieldErrors : undefined;
  return (
    <form action={action} className="grid gap-6" noValidate>
      <input type="hidden" name="draftId" value={draftId} />
      {state && !state.ok ? <Alert tone="error">{state.error.message}</Alert> : null}
      <Card>
        <CardHeader>
          <CardTitle>Roles and domain</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-4 md:grid-cols-3">
          <Field id="adminRoleName" label="Admin role" hint="Given to the provider's admin user on every user project." error={fe?.adminRoleName}>
            <Select id="adminRoleName" name="adminRoleName" defaultValue={initial.adminRoleName}>
              {roles.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </Select>
          </Field>
          <Field id="userRoleName" label="User role" hint="What each user gets on their own project." error={fe?.userRoleName}>
            <Select id="userRoleName" name="userRoleName" defaultValue={initial.userRoleName}>
              {roles.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </Select>
          </Field>
          <Field id="domain" label="Domain" hint="Where user projects and users are created." error={fe?.domain}>
            <Select id="domain" name="domain" defaultValue={initial.domain}>
              {domains.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name} ({d.id})
                </option>
              ))}
            </Select>
          </Field>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Account secret</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-3">
          <p className="text-sm text-slate-700">
            Every user&apos;s OpenStack password is derived from this secret (SHA-256 of username + secret), so Cloudport never stores
            their passwords. It <strong>cannot change once accounts exist</strong> on this cloud: a new secret would lock every user
            out. It is stored encrypted and is not shown again after this step — keep a copy in your password manager.
          </p>
          {secretStored ? <Alert tone="info">An account secret is stored. Leave the field blank to keep it.</Alert> : null}
          <div className="flex items-end gap-2">
            <div className="flex-1">
              <Field id="accountSecret" label="Account secret (at least 32 characters)" error={fe?.accountSecret}>
                <Input
                  id="accountSecret"
                  name="accountSecret"
                  value={secret}
                  onChange={(e) => setSecret(e.target.value)}
                  autoComplete="off"
                  spellCheck={false}
                  className="font-mono"
                />
              </Field>
            </div>
            <Button type="button" variant="secondary" onClick={() => setSecret(randomSecret())}>
              Generate
            </Button>
          </div>
          <p className="text-xs text-slate-500" aria-live="polite">
            {secret ? `${secret.length} characters${secret.length < 32 ? " — too short" : ""}` : ""}
          </p>
        </CardContent>
      </Card>
      <div className="flex justify-between">
        <Link href={`/providers/new/${draftId}/network`} className={buttonVariants({ variant: "secondary" })}>
          Back
        </Link>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Continue"}
        </Button>
      </div>
    </form>
  );
}
