import "server-only";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { requirePage } from "@/lib/auth/dal";
import { getDb } from "@/lib/db";
import { getProviderDraft, type Draft } from "@/lib/db/queries/provider-drafts";
import type { OpenStackClient } from "@/lib/openstack";
import { clientOptions, connect } from "@/lib/providers/connection";
import { missingSteps } from "@/lib/providers/create";
import { redactSecrets } from "@/lib/redact";
import { WIZARD_STEPS, type WizardStep } from "@/lib/providers/schemas";

/** The signed-in user's draft for a wizard page, once per request. */
export const loadDraftPage = cache(async (id: string) => {
  const user = await requirePage("providers.manage");
  const draft = await getProviderDraft(await getDb(), user.id, id);
  if (!draft) notFound();
  return draft;
});

/** Steps must be done in order; a page further on sends the person back to the first gap. */
export async function requireStepsBefore(id: string, step: WizardStep) {
  const draft = await loadDraftPage(id);
  const order = WIZARD_STEPS.map((s) => s.id);
  const gap = missingSteps(draft.data, draft.secrets).find((s) => order.indexOf(s as WizardStep) < order.indexOf(step));
  if (gap) redirect(`/providers/new/${id}/${gap}`);
  return draft;
}

/**
 * Runs `fn` with an admin client for the draft's cloud; a failure becomes a message the page
 * shows (with a way back to Connect) instead of an error page.
 */
export async function withDraftClient<T>(
  draft: Draft,
  fn: (client: OpenStackClient) => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; message: string }> {
  let client: OpenStackClient | undefined;
  try {
    client = await connect(clientOptions(draft.data.connect!, draft.secrets));
    return { ok: true, value: await fn(client) };
  } catch (error) {
    // Shown on the page: OpenStack's messages are redacted by the client already, anything else is here.
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, message: redactSecrets(message, [draft.secrets.password, draft.secrets.applicationCredentialSecret]) };
  } finally {
    await client?.close();
  }
}
