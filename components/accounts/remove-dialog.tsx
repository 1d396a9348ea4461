"use client";

import { useState, useTransition } from "react";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { AccountActions } from "@/lib/accounts/actions";
import type { AccountStateFilter } from "@/lib/accounts/queries";

export type RemoveTarget = { identityIds?: number[]; matching?: { q?: string; state?: AccountStateFilter } };

/** Removes accounts behind a confirmation that says exactly what is deleted on the cloud. */
export function RemoveAccountsDialog({
  providerId,
  target,
  count,
  who,
  trigger,
  onStarted,
  removeAccounts,
}: {
  providerId: number;
  target: RemoveTarget;
  count: number;
  /** "cmart's account" or "3 accounts". */
  who: string;
  trigger: React.ReactNode;
  onStarted: (jobId: string) => void;
  removeAccounts: AccountActions["removeAccounts"];
}) {
  const [open, setOpen] = useState(false);
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const confirm = () =>
    start(async () => {
      const r = await removeAccounts({ providerId, ...target });
      if (!r.ok) {
        setError(r.error.message);
        return;
      }
      onStarted(r.data.jobId);
      setOpen(false);
    });
  return (
    <ConfirmDialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (!o) setError(null);
      }}
      trigger={trigger}
      title={`Remove ${who}?`}
      description={
        <>
          For each account this deletes, on the cloud: the router interface, the router if it was made for the account, the subnet, the
          network, the security groups, the role assignments, the Keystone project and the Keystone user. Instances or volumes still in
          the project make the removal fail with the cloud&apos;s message. The account stays listed here as removed.
        </>
      }
      error={error}
      onConfirm={confirm}
      confirmLabel={count === 1 ? "Remove the account" : `Remove ${count.toLocaleString("en-US")} accounts`}
      pendingLabel="Starting…"
      pending={pending}
      destructive
    />
  );
}
