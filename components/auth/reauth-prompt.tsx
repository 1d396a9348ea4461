"use client";

import { startTransition, useActionState, useCallback, useEffect, useRef } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import type { ActionResult } from "@/lib/actions/errors";
import { useSessionActions } from "./session-actions-context";

type Failure = Extract<ActionResult<unknown>, { ok: false }>["error"];

/** True for the answer of an action guarded by requireFreshAuth (lib/auth/fresh.ts). */
export function needsReauth<T>(result: ActionResult<T> | null | undefined): result is Extract<ActionResult<T>, { ok: false }> {
  return Boolean(result && !result.ok && result.error.code === "reauth_required");
}

/**
 * useActionState for a form whose action may answer "reauth_required": remembers the last
 * submitted FormData (with the button that sent it) so `retry` sends exactly that again once
 * the password is confirmed — React has reset the form's fields by then.
 */
export function useRetryableAction<T>(action: (prev: ActionResult<T> | null, form: FormData) => Promise<ActionResult<T>>) {
  const [state, dispatch, pending] = useActionState(action, null);
  const last = useRef<FormData | null>(null);
  const submit = useCallback(
    (form: FormData) => {
      last.current = form;
      dispatch(form);
    },
    [dispatch],
  );
  const retry = useCallback(() => {
    const form = last.current;
    if (form) startTransition(() => dispatch(form));
  }, [dispatch]);
  return [state, submit, pending, retry] as const;
}

/**
 * The answer to code "reauth_required": "Confirm your password" (or, for SSO-only users, a
 * button that signs in again through the identity provider). When the password is confirmed
 * the session is re-issued and `onConfirmed` runs; retry the refused action there.
 */
export function ReauthPrompt({ error, onConfirmed }: { error: Failure; onConfirmed: () => void }) {
  const { reauthenticate } = useSessionActions();
  const [state, action, pending] = useActionState(reauthenticate, null);
  const done = useRef(false);
  useEffect(() => {
    if (state?.ok && !done.current) {
      done.current = true;
      onConfirmed();
    }
  }, [state, onConfirmed]);
  const sso = error.fieldErrors?._reauth?.[0] === "sso";
  const fieldError = state && !state.ok ? (state.error.fieldErrors?.password ?? [state.error.message]) : undefined;
  return (
    <form action={action} className="grid gap-3 rounded-md border border-amber-200 bg-amber-50 p-3" aria-label="Confirm your password">
      <Alert tone="warning">{error.message}</Alert>
      {sso ? (
        <Button type="submit" disabled={pending}>
          {pending ? "Redirecting…" : "Sign in again with single sign-on"}
        </Button>
      ) : (
        <>
          <Field id="reauth-password" label="Confirm your password" error={fieldError}>
            <Input id="reauth-password" name="password" type="password" autoComplete="current-password" autoFocus />
          </Field>
          <div>
            <Button type="submit" disabled={pending}>
              {pending ? "Checking…" : "Confirm and continue"}
            </Button>
          </div>
        </>
      )}
    </form>
  );
}
