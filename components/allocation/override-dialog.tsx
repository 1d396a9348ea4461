"use client";

import { useActionState, useEffect, useState } from "react";
import { flushSync } from "react-dom";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import type { ActionResult } from "@/lib/actions/errors";
import type { OverrideResult } from "@/lib/allocation/actions";
import { formatAmount } from "@/lib/domain/allocation";

type OverrideAction = (prev: ActionResult<OverrideResult> | null, form: FormData) => Promise<ActionResult<OverrideResult>>;

/** Sets or clears one user's own allocation per refresh (identities.allocation_override). */
export function OverrideDialog({
  providerId,
  userId,
  username,
  override,
  providerThreshold,
  unit,
  action,
}: {
  providerId: number;
  userId: number;
  username: string;
  override: number | null;
  providerThreshold: number;
  unit: string;
  action: OverrideAction;
}) {
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState(override === null ? "" : String(override));
  const [state, dispatch, pending] = useActionState(action, null);
  const fe = state && !state.ok ? state.error.fieldErrors : undefined;

  useEffect(() => {
    if (state?.ok) setOpen(false);
  }, [state]);

  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (o) setValue(override === null ? "" : String(override));
      }}
    >
      <DialogTrigger asChild>
        <Button variant="link" size="sm" className="h-auto px-0">
          {override === null ? "Set" : formatAmount(override)}
          <span className="sr-only"> allocation for {username}</span>
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogTitle>Allocation for {username}</DialogTitle>
        <DialogDescription>
          Granted to {username} at each refresh instead of the provider&apos;s {formatAmount(providerThreshold)} {unit}. Leave it empty to use
          the provider&apos;s.
        </DialogDescription>
        <form action={dispatch} className="grid gap-4" noValidate>
          <input type="hidden" name="providerId" value={providerId} />
          <input type="hidden" name="userId" value={userId} />
          {state && !state.ok && !fe?.override ? <Alert tone="error">{state.error.message}</Alert> : null}
          <Field id={`override-${userId}`} label={`Allocation per refresh (${unit})`} error={fe?.override}>
            <Input
              id={`override-${userId}`}
              name="override"
              inputMode="decimal"
              value={value}
              placeholder={`provider's ${formatAmount(providerThreshold)}`}
              onChange={(e) => setValue(e.target.value)}
            />
          </Field>
          <DialogFooter>
            {override !== null ? (
              <Button type="submit" variant="secondary" disabled={pending} onClick={() => flushSync(() => setValue(""))}>
                Use the provider&apos;s
              </Button>
            ) : null}
            <Button type="submit" disabled={pending}>
              {pending ? "Saving…" : "Save"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
