"use client";

import { useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { deleteProvider } from "../actions";

/**
 * Delete behind a typed confirmation. When accounts exist the dialog says so instead; the
 * server refuses either way.
 */
export function DeleteDialog({ providerId, name, blockedReason }: { providerId: number; name: string; blockedReason: string | null }) {
  const [typed, setTyped] = useState("");
  const [state, action, pending] = useActionState(deleteProvider, null);
  const fe = state && !state.ok ? state.error.fieldErrors : undefined;
  return (
    <ConfirmDialog
      onOpenChange={(open) => !open && setTyped("")}
      trigger={<Button variant="destructive">Delete provider</Button>}
      title={`Delete ${name}?`}
      description={
        blockedReason
          ? "This provider cannot be deleted."
          : "This removes the provider from the portal with its stored credentials, allocation strategy, imported images, sizes and instances, and its launch-test history. Nothing on the cloud itself is touched. This cannot be undone."
      }
      error={blockedReason ?? (state && !state.ok && !fe?.confirmName ? state.error.message : null)}
      {...(blockedReason
        ? { cancelLabel: "Close" }
        : {
            form: { action },
            confirmLabel: "Delete this provider",
            pendingLabel: "Deleting…",
            pending,
            confirmDisabled: typed.trim() !== name,
            destructive: true,
          })}
    >
      {blockedReason ? null : (
        <>
          <input type="hidden" name="providerId" value={providerId} />
          <Field id="confirmName" label={`Type ${name} to confirm`} error={fe?.confirmName}>
            <Input
              id="confirmName"
              name="confirmName"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              autoComplete="off"
              spellCheck={false}
            />
          </Field>
        </>
      )}
    </ConfirmDialog>
  );
}
