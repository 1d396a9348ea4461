"use client";

import { useActionState, useState } from "react";
import { AccountSecretField, FederationFields, RolesAndDomainFields, type FederationChoice } from "@/components/providers/account-fields";
import { WizardStepActions } from "@/components/providers/wizard-step-actions";
import { Alert } from "@/components/ui/alert";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import type { AccountsData } from "@/lib/providers/schemas";
import { saveAccountsStep } from "../../actions";

export function AccountsForm({
  draftId,
  initial,
  roles,
  domains,
  federation,
  secretStored,
}: {
  draftId: string;
  initial: AccountsData;
  roles: string[];
  domains: Array<{ id: string; name: string }>;
  federation: FederationChoice[] | null;
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
          <RolesAndDomainFields initial={initial} roles={roles} domains={domains} error={(k) => fe?.[k]} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Keystone federation</CardTitle>
        </CardHeader>
        <CardContent>
          <FederationFields initial={initial} choices={federation} error={(k) => fe?.[k]} />
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
          <AccountSecretField value={secret} onChange={setSecret} error={fe?.accountSecret} />
        </CardContent>
      </Card>
      <WizardStepActions back={`/providers/new/${draftId}/network`} pending={pending} />
    </form>
  );
}
