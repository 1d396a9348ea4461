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
  const describedBy = message ? `${id}-error` : hint ? `${id}-hint` : undefined;
  // The control gets its description and invalid state here, so no form can forget them.
  const control = React.isValidElement<React.HTMLAttributes<HTMLElement>>(children)
    ? React.cloneElement(children, { "aria-describedby": describedBy, "aria-invalid": message ? true : undefined })
    : children;
  return (
    <div className="grid gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      {control}
      {hint && !message ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {message ? (
        <p id={`${id}-error`} className="text-xs text-red-600">
          {message}
        </p>
      ) : null}
    </div>
  );
}
