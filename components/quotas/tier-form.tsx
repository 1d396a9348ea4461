"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import type { ActionResult } from "@/lib/actions/errors";
import { QUOTA_LABELS, QUOTA_SERVICES, SERVICE_LABELS, type QuotaService, type QuotaValues } from "@/lib/domain/quotas";

type Result = { message: string };
export type TierFormAction<T extends Result = Result> = (prev: ActionResult<T> | null, form: FormData) => Promise<ActionResult<T>>;

/** Creates or edits one quota tier: name, description, default flag and the 13 values (-1 unlimited). */
export function TierForm<T extends Result>({
  providerId,
  tier,
  defaults,
  action,
}: {
  providerId: number;
  tier: { id: number; name: string; description: string; isDefault: boolean; values: QuotaValues } | null;
  defaults: QuotaValues;
  action: TierFormAction<T>;
}) {
  const [state, dispatch, pending] = useActionState(action, null);
  const fe = state && !state.ok ? state.error.fieldErrors : undefined;
  const key = tier ? `tier-${tier.id}` : "tier-new";
  const values = tier?.values ?? defaults;
  return (
    <form action={dispatch} className="grid gap-4" noValidate aria-label={tier ? `Tier ${tier.name}` : "New tier"}>
      <input type="hidden" name="providerId" value={providerId} />
      <input type="hidden" name="tierId" value={tier?.id ?? ""} />
      {state?.ok ? <Alert tone="success">{state.data.message}</Alert> : null}
      {state && !state.ok ? <Alert tone="error">{state.error.message}</Alert> : null}
      <div className="grid gap-3 sm:grid-cols-[12rem_1fr_auto] sm:items-end">
        <Field id={`${key}-name`} label="Name" error={fe?.name}>
          <Input id={`${key}-name`} name="name" defaultValue={tier?.name ?? ""} required />
        </Field>
        <Field id={`${key}-description`} label="Description">
          <Input id={`${key}-description`} name="description" defaultValue={tier?.description ?? ""} />
        </Field>
        <label className="flex items-center gap-2 pb-2 text-sm text-slate-700">
          <input type="checkbox" name="isDefault" defaultChecked={tier?.isDefault ?? false} />
          Provider default
        </label>
      </div>
      {(Object.keys(QUOTA_SERVICES) as QuotaService[]).map((service) => (
        <fieldset key={service} className="grid gap-2">
          <legend className="text-sm font-medium text-slate-800">{SERVICE_LABELS[service]}</legend>
          <div className="grid grid-cols-2 gap-3 sm:grid-cols-4 lg:grid-cols-7">
            {QUOTA_SERVICES[service].map((k) => (
              <Field key={k} id={`${key}-${k}`} label={QUOTA_LABELS[k]} error={fe?.[`values.${k}`]}>
                <Input id={`${key}-${k}`} name={`values.${k}`} inputMode="numeric" defaultValue={String(values[k])} />
              </Field>
            ))}
          </div>
        </fieldset>
      ))}
      <p className="text-xs text-slate-500">-1 means unlimited. Security group rules are applied as at least 100.</p>
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : tier ? `Save ${tier.name}` : "Create tier"}
        </Button>
      </div>
    </form>
  );
}
