"use client";

import Link from "next/link";
import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button, buttonVariants } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { createProvider, discardProviderDraft } from "../../actions";

export function CreateButtons({ draftId, offerAppCredential }: { draftId: string; offerAppCredential: boolean }) {
  const [state, action, pending] = useActionState(createProvider, null);
  const [discardState, discard, discarding] = useActionState(discardProviderDraft, null);
  const error = (state && !state.ok && state.error.message) || (discardState && !discardState.ok && discardState.error.message);
  return (
    <div className="grid gap-3">
      {error ? <Alert tone="error">{error}</Alert> : null}
      <div className="flex items-center justify-between">
        <div className="flex gap-2">
          <Link href={`/providers/new/${draftId}/deploy`} className={buttonVariants({ variant: "secondary" })}>
            Back
          </Link>
          <form action={discard}>
            <input type="hidden" name="draftId" value={draftId} />
            <Button type="submit" variant="ghost" disabled={discarding}>
              Discard this draft
            </Button>
          </form>
        </div>
        <form action={action} className="grid justify-items-end gap-3">
          <input type="hidden" name="draftId" value={draftId} />
          {offerAppCredential ? (
            <fieldset className="grid max-w-md gap-2 rounded-md border border-slate-200 p-3 text-sm" aria-label="Credential to store">
              <div className="flex items-start gap-2">
                <input id="appCredential" name="appCredential" type="checkbox" className="mt-1" />
                <label htmlFor="appCredential">
                  Store a Keystone application credential instead of the admin password (recommended)
                  <span className="block text-xs text-slate-500">
                    Cloudport creates <code>cloudport-&lt;provider name&gt;</code> with the admin&apos;s roles on the admin project, verifies it, stores
                    only its secret and discards the password. It is restricted: it cannot create further credentials, so rotating it later
                    asks for the admin password again.
                  </span>
                </label>
              </div>
              <Field id="appCredentialDays" label="Expires after (days)">
                <Input id="appCredentialDays" name="appCredentialDays" type="number" min={1} max={366} defaultValue={90} className="w-28" />
              </Field>
            </fieldset>
          ) : null}
          <Button type="submit" disabled={pending}>
            {pending ? "Creating…" : "Create provider"}
          </Button>
        </form>
      </div>
    </div>
  );
}
