"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import type { ActionResult } from "@/lib/actions/errors";

type FormAction<T> = (prev: ActionResult<T> | null, form: FormData) => Promise<ActionResult<T>>;

/** A federated account's application credential, checked with Keystone before it is kept. */
export function AppCredentialForm({ providerId, action }: { providerId: number; action: FormAction<{ message: string }> }) {
  const [state, dispatch, pending] = useActionState(action, null);
  const fe = state && !state.ok ? state.error.fieldErrors : undefined;
  return (
    <form action={dispatch} className="grid gap-3" aria-label="Application credential of a federated account" autoComplete="off">
      <input type="hidden" name="providerId" value={providerId} />
      {state?.ok ? <Alert tone="success">{state.data.message}</Alert> : null}
      {state && !state.ok ? <Alert tone="error">{state.error.message}</Alert> : null}
      <div className="grid gap-3 md:grid-cols-3">
        <Field id="ac-username" label="Account (username)" error={fe?.username}>
          <Input id="ac-username" name="username" />
        </Field>
        <Field id="ac-id" label="Application credential ID" error={fe?.credentialId}>
          <Input id="ac-id" name="credentialId" className="font-mono" />
        </Field>
        <Field id="ac-secret" label="Secret" hint="Kept encrypted; never shown again." error={fe?.credentialSecret}>
          <Input id="ac-secret" name="credentialSecret" type="password" autoComplete="new-password" />
        </Field>
      </div>
      <div>
        <Button type="submit" variant="secondary" disabled={pending}>
          {pending ? "Checking with Keystone…" : "Check and save"}
        </Button>
      </div>
    </form>
  );
}

/** Removes one stored credential. */
export function RemoveAppCredential({ providerId, identityId, username, action }: { providerId: number; identityId: number; username: string; action: FormAction<{ message: string }> }) {
  const [state, dispatch, pending] = useActionState(action, null);
  return (
    <form action={dispatch} className="inline-flex items-center gap-2">
      <input type="hidden" name="providerId" value={providerId} />
      <input type="hidden" name="identityId" value={identityId} />
      <Button type="submit" size="sm" variant="ghost" disabled={pending} aria-label={`Remove the application credential of ${username}`}>
        Remove
      </Button>
      {state && !state.ok ? <span className="text-xs text-red-700">{state.error.message}</span> : null}
    </form>
  );
}
