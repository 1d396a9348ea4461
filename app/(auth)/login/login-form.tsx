"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import type { ActionResult } from "@/lib/actions/errors";
import type { LoginState } from "@/lib/auth/actions";
import { login } from "./actions";

export function LoginForm({ next }: { next?: string }) {
  const [result, action, pending] = useActionState<ActionResult<LoginState> | null, FormData>(login, null);
  const state: LoginState = result && !result.ok ? { error: result.error.message } : (result?.data ?? null);
  return (
    <form action={action} className="grid gap-4" noValidate>
      {state?.error ? <Alert tone="error">{state.error}</Alert> : null}
      <input type="hidden" name="next" value={next ?? ""} />
      <Field id="username" label="Username">
        <Input id="username" name="username" autoComplete="username" defaultValue={state?.username} required autoFocus />
      </Field>
      <Field id="password" label="Password">
        <Input id="password" name="password" type="password" autoComplete="current-password" required />
      </Field>
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
