"use client";

import { useActionState, useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { setActive } from "../actions";

/** Deactivate (or activate again) behind a confirmation. */
export function ActiveDialog({ providerId, name, isActive }: { providerId: number; name: string; isActive: boolean }) {
  const [open, setOpen] = useState(false);
  const [state, action, pending] = useActionState(setActive, null);
  useEffect(() => {
    if (state?.ok) setOpen(false);
  }, [state]);
  const verb = isActive ? "Deactivate" : "Activate";
  return (
    <ConfirmDialog
      open={open}
      onOpenChange={setOpen}
      trigger={<Button variant="secondary">{verb} provider</Button>}
      title={`${verb} ${name}?`}
      description={
        isActive
          ? "An inactive provider is hidden from users: they cannot launch on it, and no accounts are made on it — provisioning already queued or running stops, each user not done yet failing with “provider is deactivated”. Scheduled imports pause until it is active again; removals already queued still run. Nothing on the cloud changes, and existing accounts, images and sizes are kept. You can activate it again at any time."
          : "Users see the provider again and accounts can be made on it."
      }
      form={{ action }}
      error={state && !state.ok ? state.error.message : null}
      confirmLabel={verb}
      pendingLabel={`${verb.replace(/e$/, "")}ing…`}
      pending={pending}
      destructive={isActive}
    >
      <input type="hidden" name="providerId" value={providerId} />
      <input type="hidden" name="active" value={String(!isActive)} />
    </ConfirmDialog>
  );
}
