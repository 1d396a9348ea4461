"use client";

import { useActionState, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
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
    <Dialog onOpenChange={(open) => !open && setTyped("")}>
      <DialogTrigger asChild>
        <Button variant="destructive">Delete provider</Button>
      </DialogTrigger>
      <DialogContent>
        <DialogTitle>Delete {name}?</DialogTitle>
        {blockedReason ? (
          <>
            <DialogDescription>This provider cannot be deleted.</DialogDescription>
            <Alert tone="error">{blockedReason}</Alert>
            <DialogFooter>
              <DialogClose asChild>
                <Button type="button" variant="secondary">
                  Close
                </Button>
              </DialogClose>
            </DialogFooter>
          </>
        ) : (
          <>
            <DialogDescription>
              This removes the provider from the portal with its stored credentials, allocation strategy, imported images, sizes and
              instances, and its launch-test history. Nothing on the cloud itself is touched. This cannot be undone.
            </DialogDescription>
            <form action={action} className="grid gap-4">
              <input type="hidden" name="providerId" value={providerId} />
              {state && !state.ok && !fe?.confirmName ? <Alert tone="error">{state.error.message}</Alert> : null}
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
              <DialogFooter>
                <DialogClose asChild>
                  <Button type="button" variant="secondary">
                    Cancel
                  </Button>
                </DialogClose>
                <Button type="submit" variant="destructive" disabled={pending || typed.trim() !== name}>
                  {pending ? "Deleting…" : "Delete this provider"}
                </Button>
              </DialogFooter>
            </form>
          </>
        )}
      </DialogContent>
    </Dialog>
  );
}
