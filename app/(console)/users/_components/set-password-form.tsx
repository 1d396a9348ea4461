"use client";

import { useState } from "react";
import { OneTimePassword } from "@/components/users/one-time-password";
import { PasswordModeFields } from "@/components/users/password-mode-fields";
import { useKeptForm } from "@/components/users/use-kept-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { PasswordMode } from "@/lib/users/schemas";
import { resetUserPassword } from "../actions";

/** Sets a typed password or generates one (shown once) for another user. */
export function SetPasswordForm({ userId, username, hasPassword }: { userId: number; username: string; hasPassword: boolean }) {
  const { state, pending, formProps } = useKeptForm(resetUserPassword);
  const [mode, setMode] = useState<PasswordMode>("generate");
  const fe = state && !state.ok ? state.error.fieldErrors : undefined;
  return (
    <div className="grid gap-4">
      {state?.ok ? (
        state.data.generatedPassword ? (
          <OneTimePassword username={username} password={state.data.generatedPassword} />
        ) : (
          <Alert tone="success">The password of {username} was changed.</Alert>
        )
      ) : null}
      <form {...formProps} className="grid max-w-2xl gap-4" noValidate>
        <input type="hidden" name="userId" value={userId} />
        {state && !state.ok ? <Alert tone="error">{state.error.message}</Alert> : null}
        <p className="text-sm text-slate-600">
          {hasPassword
            ? `${username} has a local password. A new one replaces it at once.`
            : `${username} has no local password yet (single sign-on only).`}
        </p>
        <PasswordModeFields idPrefix="reset" modes={["generate", "set"]} mode={mode} onModeChange={setMode} errors={fe} />
        <div>
          <Button type="submit" variant="secondary" disabled={pending}>
            {pending ? "Saving…" : mode === "generate" ? "Generate a new password" : "Set this password"}
          </Button>
        </div>
      </form>
    </div>
  );
}
