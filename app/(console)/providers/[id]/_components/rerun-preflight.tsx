"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { rerunPreflight } from "../actions";
import { plural } from "@/lib/domain/format";

export function RerunPreflightButton({ providerId }: { providerId: number }) {
  const [state, action, pending] = useActionState(rerunPreflight, null);
  return (
    <form action={action} className="grid justify-items-end gap-2">
      <input type="hidden" name="providerId" value={providerId} />
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? "Running preflight…" : "Re-run preflight"}
      </Button>
      {pending ? (
        <p role="status" className="text-xs text-slate-500">
          Discovering Keystone, getting a token, auditing every endpoint…
        </p>
      ) : state?.ok ? (
        <Alert tone={state.data.ok ? (state.data.warnings ? "warning" : "success") : "error"}>
          {state.data.ok
            ? `Preflight passed${state.data.warnings ? ` with ${plural(state.data.warnings, "warning")}` : ""}.`
            : `Preflight failed: ${plural(state.data.failed, "check")} failed. See the remedies below.`}
        </Alert>
      ) : state && !state.ok ? (
        <Alert tone="error">{state.error.message}</Alert>
      ) : null}
    </form>
  );
}
