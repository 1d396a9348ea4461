"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { changeOwnPassword } from "./actions";

/** Changes the signed-in user's password; `then` is where to go afterwards (the forced change). */
export function PasswordForm({ then }: { then?: string } = {}) {
  const [state, action, pending] = useActionState(changeOwnPassword, null);
  const router = useRouter();
  useEffect(() => {
    if (state?.ok && then) router.replace(then);
  }, [state, then, router]);
  const fe = state && !state.ok ? state.error.fieldErrors : undefined;
  return (
    <form action={action} className="grid max-w-md gap-4">
      {state?.ok ? (
        <Alert tone="success">
          {state.data.signedOut
            ? "Your password was changed and every session ended, this one too: sign in again."
            : "Your password was changed. Every other session is signed out."}
        </Alert>
      ) : null}
      {state && !state.ok ? <Alert tone="error">{state.error.message}</Alert> : null}
      <Field id="currentPassword" label="Current password" error={fe?.currentPassword}>
        <Input id="currentPassword" name="currentPassword" type="password" autoComplete="current-password" />
      </Field>
      <Field
        id="newPassword"
        label="New password"
        hint="At least 12 characters, mixing three of: lower case, upper case, digits, symbols."
        error={fe?.newPassword}
      >
        <Input id="newPassword" name="newPassword" type="password" autoComplete="new-password" />
      </Field>
      <Field id="confirmPassword" label="Repeat the new password" error={fe?.confirmPassword}>
        <Input id="confirmPassword" name="confirmPassword" type="password" autoComplete="new-password" />
      </Field>
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Change password"}
        </Button>
      </div>
    </form>
  );
}
