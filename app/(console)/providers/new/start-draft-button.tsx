"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { startProviderDraft } from "./actions";

export function StartDraftButton() {
  const [state, action, pending] = useActionState(startProviderDraft, null);
  return (
    <form action={action} className="grid gap-2">
      {state && !state.ok ? <Alert tone="error">{state.error.message}</Alert> : null}
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? "Starting…" : "Start the wizard"}
        </Button>
      </div>
    </form>
  );
}
