"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { rotateAppCredential, switchToAppCredential } from "../actions";

/**
 * Issue 12 §6: which credential Cloudport holds for this cloud, when it expires (warned from 30
 * days before), and the switch from the admin password / the rotation.
 */
export function CredentialCard({
  providerId,
  appCred,
  credentialId,
  notice,
  canManage,
}: {
  providerId: number;
  appCred: boolean;
  credentialId: string | null;
  notice: { tone: "neutral" | "warning" | "danger"; text: string } | null;
  canManage: boolean;
}) {
  const [switched, doSwitch, switching] = useActionState(switchToAppCredential, null);
  const [rotated, doRotate, rotating] = useActionState(rotateAppCredential, null);
  return (
    <Card>
      <CardHeader>
        <CardTitle>Cloud credential</CardTitle>
        <p className="mt-1 text-sm text-slate-600">
          {appCred
            ? `Cloudport signs in with the application credential ${credentialId ?? ""}. It is restricted: it cannot create further credentials or trusts, so rotating it asks for the admin password again (used once, never stored).`
            : "Cloudport stores the admin password. Switching to an application credential stores only an expiring, revocable credential with the admin's roles on the admin project and discards the password."}
        </p>
      </CardHeader>
      <CardContent className="grid gap-4">
        {notice ? (
          <Alert tone={notice.tone === "neutral" ? "info" : notice.tone === "warning" ? "warning" : "error"}>
            <span data-testid="credential-expiry">{notice.text}</span>
          </Alert>
        ) : appCred ? (
          <p className="text-sm text-slate-500">The expiry of this credential is not known (it was not made by Cloudport).</p>
        ) : null}
        {canManage && !appCred ? (
          <form action={doSwitch} className="flex flex-wrap items-end gap-3" aria-label="Switch to an application credential">
            <input type="hidden" name="providerId" value={providerId} />
            <Field id="switch-days" label="Expires after (days)">
              <Input id="switch-days" name="days" type="number" min={1} max={366} defaultValue={90} className="w-28" />
            </Field>
            <Button type="submit" variant="secondary" disabled={switching}>
              {switching ? "Creating and verifying…" : "Switch to an application credential"}
            </Button>
          </form>
        ) : null}
        {canManage && appCred ? (
          <form action={doRotate} className="flex flex-wrap items-end gap-3" aria-label="Rotate the application credential">
            <input type="hidden" name="providerId" value={providerId} />
            <Field id="rotate-password" label="Admin password (to create the new credential)">
              <Input id="rotate-password" name="password" type="password" autoComplete="off" className="w-64" />
            </Field>
            <Field id="rotate-days" label="Expires after (days)">
              <Input id="rotate-days" name="days" type="number" min={1} max={366} defaultValue={90} className="w-28" />
            </Field>
            <Button type="submit" variant="secondary" disabled={rotating}>
              {rotating ? "Rotating…" : "Rotate"}
            </Button>
          </form>
        ) : null}
        {[switched, rotated].map((state, i) =>
          state ? (
            <Alert key={i} tone={state.ok ? (state.data.note ? "warning" : "success") : "error"}>
              {state.ok
                ? `Now using ${state.data.name}, verified, expiring ${state.data.expiresAt.slice(0, 10)}.${i === 1 ? (state.data.note ? "" : " The old credential was deleted in Keystone.") : " The password was discarded."}${state.data.note ? ` ${state.data.note}` : ""}`
                : state.error.message}
            </Alert>
          ) : null,
        )}
      </CardContent>
    </Card>
  );
}
