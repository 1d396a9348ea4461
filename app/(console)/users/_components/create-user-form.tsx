"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { OneTimePassword } from "@/components/users/one-time-password";
import { PasswordModeFields } from "@/components/users/password-mode-fields";
import { useKeptForm } from "@/components/users/use-kept-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import type { PasswordMode } from "@/lib/users/schemas";
import { createUser } from "../actions";

export function CreateUserForm() {
  // A new key gives a fresh, empty form for "Create another user".
  const [round, setRound] = useState(0);
  return <CreateUserRound key={round} onAnother={() => setRound((r) => r + 1)} />;
}

function CreateUserRound({ onAnother }: { onAnother: () => void }) {
  const { state, pending, formProps } = useKeptForm(createUser);
  const [mode, setMode] = useState<PasswordMode>("generate");
  const done = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (state?.ok) done.current?.focus();
  }, [state]);

  if (state?.ok) {
    const { id, username, generatedPassword } = state.data;
    return (
      <div ref={done} tabIndex={-1} className="grid gap-4 outline-none">
        <Alert tone="success">The user {username} was created. They are not staff: grant it on their page if they need the console.</Alert>
        {generatedPassword ? <OneTimePassword username={username} password={generatedPassword} /> : null}
        <div className="flex flex-wrap gap-2">
          <Button asChild>
            <Link href={`/users/${id}`}>Open {username}</Link>
          </Button>
          <Button type="button" variant="secondary" onClick={onAnother}>
            Create another user
          </Button>
          <Button asChild variant="ghost">
            <Link href="/users">Back to users</Link>
          </Button>
        </div>
      </div>
    );
  }

  const fe = state && !state.ok ? state.error.fieldErrors : undefined;
  return (
    <form {...formProps} className="grid max-w-2xl gap-5" noValidate>
      {state && !state.ok ? <Alert tone="error">{state.error.message}</Alert> : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          id="username"
          label="Username"
          hint="Letters, digits and . _ - (up to 150). Unique whatever the capitalisation."
          error={fe?.username}
        >
          <Input id="username" name="username" autoComplete="off" spellCheck={false} required />
        </Field>
        <Field id="displayName" label="Display name" hint="Optional, e.g. Carla Martinez." error={fe?.displayName}>
          <Input id="displayName" name="displayName" autoComplete="off" />
        </Field>
        <Field id="email" label="Email" hint="Optional; unique when given." error={fe?.email}>
          <Input id="email" name="email" type="email" autoComplete="off" />
        </Field>
      </div>
      <PasswordModeFields idPrefix="new-user" modes={["generate", "set", "none"]} mode={mode} onModeChange={setMode} errors={fe} />
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create user"}
        </Button>
        <Button asChild variant="ghost">
          <Link href="/users">Cancel</Link>
        </Button>
      </div>
    </form>
  );
}
