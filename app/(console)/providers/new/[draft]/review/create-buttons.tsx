"use client";

import Link from "next/link";
import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button, buttonVariants } from "@/components/ui/button";
import { createProvider, discardProviderDraft } from "../../actions";

export function CreateButtons({ draftId }: { draftId: string }) {
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
        <form action={action}>
          <input type="hidden" name="draftId" value={draftId} />
          <Button type="submit" disabled={pending}>
            {pending ? "Creating…" : "Create provider"}
          </Button>
        </form>
      </div>
    </div>
  );
}
