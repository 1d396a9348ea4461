"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { Select } from "@/components/ui/input";

/**
 * Superusers only: a download that includes the admin credential and the account secret. It is
 * a plain GET of the export route with secrets=1&confirm=1; the route checks both again.
 */
export function ExportSecretsDialog({ providerId, name }: { providerId: number; name: string }) {
  const [open, setOpen] = useState(false);
  const [confirmed, setConfirmed] = useState(false);
  return (
    <ConfirmDialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (!o) setConfirmed(false);
      }}
      trigger={<Button variant="secondary">Export with secrets…</Button>}
      title={`Export ${name} with its secrets`}
      description={
        <>
          The file will hold the admin password (or application credential secret) and the account secret in plain text. Anyone with
          the account secret can derive every user&apos;s OpenStack password. The export is written to the audit log.
        </>
      }
      form={{ method: "get", action: `/providers/${providerId}/export`, onSubmit: () => setTimeout(() => setOpen(false), 0) }}
      confirmLabel="Download with secrets"
      confirmDisabled={!confirmed}
      destructive
    >
      <input type="hidden" name="secrets" value="1" />
      <Field id="secret-export-format" label="Format">
        <Select id="secret-export-format" name="format" defaultValue="json">
          <option value="json">add_new_provider JSON</option>
          <option value="clouds.yaml">clouds.yaml</option>
        </Select>
      </Field>
      <label className="flex items-start gap-2 text-sm text-slate-800">
        <input
          type="checkbox"
          name="confirm"
          value="1"
          required
          checked={confirmed}
          onChange={(e) => setConfirmed(e.target.checked)}
          className="mt-1"
        />
        <span>I understand that this file contains secrets in plain text and I will keep it safe.</span>
      </label>
      <Alert tone="warning">Store the file in a password manager or encrypted storage, never in a repository or a ticket.</Alert>
    </ConfirmDialog>
  );
}
