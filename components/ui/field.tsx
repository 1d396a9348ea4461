import * as React from "react";
import { Label } from "./label";

/** A labelled form field with its hint and its error, wired up for screen readers. */
export function Field({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: React.ReactNode;
  error?: string | string[];
  children: React.ReactNode;
}) {
  const message = Array.isArray(error) ? error.join(" ") : error;
  return (
    <div className="grid gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      {children}
      {hint && !message ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {message ? (
        <p id={`${id}-error`} className="text-xs text-red-600" role="alert">
          {message}
        </p>
      ) : null}
    </div>
  );
}
