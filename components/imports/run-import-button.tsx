"use client";

import { useActionState, useEffect, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import type { ImportActions } from "@/lib/imports/actions";
import type { ImportResource } from "@/lib/imports/resources";

/** One import button; the page re-renders with the new run's progress bar once it is queued. */
export function RunImportButton({
  providerId,
  resource,
  label,
  variant = "secondary",
  disabled,
  runImports,
}: {
  providerId: number;
  resource: ImportResource | "all";
  label: string;
  variant?: "default" | "secondary";
  disabled?: boolean;
  runImports: ImportActions["runImports"];
}) {
  const [state, action, pending] = useActionState(runImports, null);
  const [, startTransition] = useTransition();
  // Until hydrated the form has no handler, and a native submit would only reload the page.
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  // Dispatched from onSubmit rather than bound as the form's action: a bound server action
  // writes ~450 bytes of hidden fields into the HTML of every button, six per provider on the
  // imports overview.
  return (
    <form
      className="grid justify-items-start gap-1"
      onSubmit={(event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        startTransition(() => action(data));
      }}
    >
      <input type="hidden" name="providerId" value={providerId} />
      <input type="hidden" name="resource" value={resource} />
      <Button type="submit" size="sm" variant={variant} disabled={!ready || pending || disabled}>
        {pending ? "Starting…" : label}
      </Button>
      {state && !state.ok ? (
        <p role="alert" className="text-xs text-red-700">
          {state.error.message}
        </p>
      ) : state?.ok && state.data.message !== "Started." ? (
        <p role="status" className="text-xs text-slate-600">
          {state.data.message}
        </p>
      ) : null}
    </form>
  );
}
