"use client";

import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { ActionResult } from "@/lib/actions/errors";

export type AdoptAction = (input: { providerId: number; identityId: number; openNetwork: boolean; applyQuota: boolean }) => Promise<ActionResult<{ jobId: string; username: string }>>;

/**
 * A superuser's explicit adoption of a project or user that Cloudport did not create (issue 12
 * §2): confirmed, audited, and by default leaving the project's security group and network alone.
 */
export function AdoptAccountDialog({
  providerId,
  identityId,
  username,
  projectName,
  adopt,
  onStarted,
}: {
  providerId: number;
  identityId: number;
  username: string;
  projectName: string;
  adopt: AdoptAction;
  onStarted: (jobId: string) => void;
}) {
  const [open, setOpen] = useState(false);
  const [openNetwork, setOpenNetwork] = useState(false);
  const [applyQuota, setApplyQuota] = useState(false);
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const checkboxId = `adopt-network-${identityId}`;
  const quotaId = `adopt-quota-${identityId}`;
  const confirm = () =>
    start(async () => {
      const r = await adopt({ providerId, identityId, openNetwork, applyQuota });
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
      trigger={
        <Button type="button" size="sm" variant="ghost" aria-label={`Adopt ${username}`}>
          Adopt…
        </Button>
      }
      title={`Adopt ${projectName} for ${username}?`}
      description={
        <>
          A Keystone project or user named {projectName} exists on this cloud and was not created by Cloudport. Adopting it gives {username}{" "}
          and the provider&apos;s admin roles on it, so {username} sees everything already in the project (its instances and volumes).
          Removing the account later takes back only the roles Cloudport granted: the project, its members, roles held before and its networks stay. This is
          recorded in the audit log.
        </>
      }
      error={error}
      onConfirm={confirm}
      confirmLabel="Adopt and provision"
      pendingLabel="Adopting…"
      pending={pending}
    >
      <div className="flex items-start gap-2 text-sm">
        <input id={checkboxId} type="checkbox" className="mt-1" checked={openNetwork} onChange={(e) => setOpenNetwork(e.target.checked)} />
        <label htmlFor={checkboxId}>
          Also open its default security group and create the network
          <span className="block text-xs text-slate-500">
            Adds the provider&apos;s default rules to the project&apos;s <code>default</code> group and creates <code>{projectName}-net</code>{" "}
            with its subnet and router wiring. Left unticked, the project&apos;s security group and networks are not touched.
          </span>
        </label>
      </div>
      <div className="flex items-start gap-2 text-sm">
        <input id={quotaId} type="checkbox" className="mt-1" checked={applyQuota} onChange={(e) => setApplyQuota(e.target.checked)} />
        <label htmlFor={quotaId}>
          Also apply {username}&apos;s quota tier to the project
          <span className="block text-xs text-slate-500">Left unticked, the project keeps the quota it has.</span>
        </label>
      </div>
    </ConfirmDialog>
  );
}
