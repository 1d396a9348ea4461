"use client";

import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import type { PasswordMode } from "@/lib/users/schemas";

export const PASSWORD_HINT = "At least 12 characters, mixing three of: lower case, upper case, digits, symbols; not the username.";

const LABELS: Record<PasswordMode, { label: string; hint: string }> = {
  generate: { label: "Generate a strong password", hint: "Shown to you once, after saving." },
  set: { label: "Type a password", hint: "You tell the user what it is." },
  none: { label: "No password", hint: "They sign in with single sign-on only; set one later if needed." },
};

/** "How is the password chosen" radios, and the password fields when it is typed. */
export function PasswordModeFields({
  idPrefix,
  modes,
  mode,
  onModeChange,
  errors,
}: {
  idPrefix: string;
  modes: PasswordMode[];
  mode: PasswordMode;
  onModeChange: (mode: PasswordMode) => void;
  errors?: Record<string, string[]>;
}) {
  return (
    <fieldset className="grid gap-3">
      <legend className="mb-1 text-sm font-medium text-slate-700">Password</legend>
      <div className="grid gap-2">
        {modes.map((m) => (
          <label key={m} className="flex items-start gap-2 text-sm">
            <input
              type="radio"
              name="passwordMode"
              value={m}
              checked={mode === m}
              onChange={() => onModeChange(m)}
              className="mt-0.5 h-4 w-4 accent-brand-600"
              aria-describedby={`${idPrefix}-mode-${m}-hint`}
            />
            <span>
              <span className="font-medium text-slate-800">{LABELS[m].label}</span>{" "}
              <span id={`${idPrefix}-mode-${m}-hint`} className="text-slate-500">
                {LABELS[m].hint}
              </span>
            </span>
          </label>
        ))}
      </div>
      {errors?.passwordMode ? <p className="text-xs text-red-600">{errors.passwordMode.join(" ")}</p> : null}
      {mode === "set" ? (
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id={`${idPrefix}-password`} label="Password" hint={PASSWORD_HINT} error={errors?.password}>
            <Input id={`${idPrefix}-password`} name="password" type="password" autoComplete="new-password" />
          </Field>
          <Field id={`${idPrefix}-confirm`} label="Repeat the password" error={errors?.confirmPassword}>
            <Input id={`${idPrefix}-confirm`} name="confirmPassword" type="password" autoComplete="new-password" />
          </Field>
        </div>
      ) : null}
    </fieldset>
  );
}
