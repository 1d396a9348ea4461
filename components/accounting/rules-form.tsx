"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Textarea } from "@/components/ui/input";
import type { SaveRulesResult, SaveSiteResult } from "@/lib/accounting/actions";
import type { ActionResult } from "@/lib/actions/errors";

type FormAction<T> = (prev: ActionResult<T> | null, form: FormData) => Promise<ActionResult<T>>;

export type RulesFormValues = {
  effectiveFrom: string;
  minDate: string | null;
  weights: { active: number; suspended: number; paused: number; stopped: number; shelved: number; other: number };
  currency: string;
  rates: string;
  multipliers: string;
};

const pct = (f: number) => String(Math.round(f * 10000) / 100);

/** Adds a dated version of the rules; the current ones fill the form. */
export function RulesForm({ providerId, values, action }: { providerId: number; values: RulesFormValues; action: FormAction<SaveRulesResult> }) {
  const [state, dispatch, pending] = useActionState(action, null);
  const fe = state && !state.ok ? state.error.fieldErrors : undefined;
  const weight = (name: string, label: string, value: number, hint?: string) => (
    <Field id={`w-${name}`} label={label} hint={hint} error={fe?.[name]}>
      <Input id={`w-${name}`} name={name} inputMode="decimal" defaultValue={pct(value)} className="w-24" />
    </Field>
  );
  return (
    <form action={dispatch} className="grid gap-4" noValidate aria-label="New rules version">
      <input type="hidden" name="providerId" value={providerId} />
      {state?.ok ? <Alert tone="success">{state.data.message}</Alert> : null}
      {state && !state.ok ? <Alert tone="error">{state.error.message}</Alert> : null}
      <div className="grid gap-4 sm:grid-cols-3">
        <Field
          id="effectiveFrom"
          label="Applies from (UTC day)"
          hint={values.minDate ? `After ${values.minDate}, the start of the current version.` : "Time before it is counted with the defaults and no rate."}
          error={fe?.effectiveFrom}
        >
          <Input id="effectiveFrom" name="effectiveFrom" type="date" defaultValue={values.effectiveFrom} />
        </Field>
        <Field id="currency" label="Currency" error={fe?.currency}>
          <Input id="currency" name="currency" defaultValue={values.currency} className="w-24 uppercase" />
        </Field>
        <Field id="note" label="Note (optional)" error={fe?.note}>
          <Input id="note" name="note" placeholder="e.g. FY25 rates" />
        </Field>
      </div>
      <fieldset className="grid gap-2">
        <legend className="text-sm font-medium text-slate-800">State weights (% of the SU rate charged in each state)</legend>
        <div className="flex flex-wrap gap-4">
          {weight("weightActive", "Active %", values.weights.active)}
          {weight("weightSuspended", "Suspended %", values.weights.suspended)}
          {weight("weightPaused", "Paused %", values.weights.paused)}
          {weight("weightStopped", "Stopped / shut off %", values.weights.stopped)}
          {weight("weightShelved", "Shelved %", values.weights.shelved, "Also shelved offloaded.")}
          {weight("weightOther", "Any other state %", values.weights.other, "Build, error, …")}
        </div>
      </fieldset>
      <div className="grid gap-4 md:grid-cols-2">
        <Field id="rates" label="Rates (one per line: SU type=cost per SU)" hint="CPU is 1 SU per vCPU-hour. Example: CPU=0.012" error={fe?.rates}>
          <Textarea id="rates" name="rates" defaultValue={values.rates} rows={4} />
        </Field>
        <Field
          id="multipliers"
          label="SU multipliers (one per line: SU type | factor | flavor pattern | extra spec)"
          hint="First match wins; SUs = vCPUs × factor × weight × hours. Example: GPU | 8 | g*.* | resources:VGPU"
          error={fe?.multipliers}
        >
          <Textarea id="multipliers" name="multipliers" defaultValue={values.multipliers} rows={4} />
        </Field>
      </div>
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Add rules version"}
        </Button>
      </div>
    </form>
  );
}

/** SiteName and CloudComputeService of the provider's APEL records. */
export function SiteForm({
  providerId,
  siteName,
  cloudComputeService,
  vo,
  projectVos,
  action,
}: {
  providerId: number;
  siteName: string;
  cloudComputeService: string;
  vo: string;
  /** `project = vo` lines. */
  projectVos: string;
  action: FormAction<SaveSiteResult>;
}) {
  const [state, dispatch, pending] = useActionState(action, null);
  const fe = state && !state.ok ? state.error.fieldErrors : undefined;
  return (
    <form action={dispatch} className="flex flex-wrap items-end gap-4" noValidate aria-label="APEL site">
      <input type="hidden" name="providerId" value={providerId} />
      <div className="w-64">
        <Field id="siteName" label="SiteName (GOCDB)" error={fe?.siteName}>
          <Input id="siteName" name="siteName" defaultValue={siteName} />
        </Field>
      </div>
      <div className="w-64">
        <Field id="cloudComputeService" label="CloudComputeService" error={fe?.cloudComputeService}>
          <Input id="cloudComputeService" name="cloudComputeService" defaultValue={cloudComputeService} />
        </Field>
      </div>
      <div className="w-64">
        <Field id="vo" label="VO (FQAN /vo/Role=NULL/Capability=NULL)" error={fe?.vo}>
          <Input id="vo" name="vo" defaultValue={vo} placeholder="vo.example.org" />
        </Field>
      </div>
      <div className="w-full">
        <Field id="projectVos" label="Projects in another VO (project name or id = VO, one per line)" error={fe?.projectVos}>
          <Textarea id="projectVos" name="projectVos" defaultValue={projectVos} rows={3} placeholder="my-project = vo.other.org" />
        </Field>
      </div>
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? "Saving…" : "Save site"}
      </Button>
      {state?.ok ? <Alert tone="success">{state.data.message}</Alert> : null}
      {state && !state.ok && !fe ? <Alert tone="error">{state.error.message}</Alert> : null}
    </form>
  );
}
