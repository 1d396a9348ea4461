"use client";

import { useActionState, useEffect, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
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
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="secondary">{verb} provider</Button>
      </DialogTrigger>
      <DialogContent>
        <DialogTitle>
          {verb} {name}?
        </DialogTitle>
        <DialogDescription>
          {isActive
            ? "An inactive provider is hidden from users: they cannot launch on it, and no accounts are made on it — provisioning already queued or running stops, each user not done yet failing with “provider is deactivated”. Scheduled imports pause until it is active again; removals already queued still run. Nothing on the cloud changes, and existing accounts, images and sizes are kept. You can activate it again at any time."
            : "Users see the provider again and accounts can be made on it."}
        </DialogDescription>
        <form action={action} className="grid gap-4">
          <input type="hidden" name="providerId" value={providerId} />
          <input type="hidden" name="active" value={String(!isActive)} />
          {state && !state.ok ? <Alert tone="error">{state.error.message}</Alert> : null}
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="secondary">
                Cancel
              </Button>
            </DialogClose>
            <Button type="submit" variant={isActive ? "destructive" : "default"} disabled={pending}>
              {pending ? `${verb.replace(/e$/, "")}ing…` : verb}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
