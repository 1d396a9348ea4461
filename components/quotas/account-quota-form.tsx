"use client";

import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { ActionResult } from "@/lib/actions/errors";
import { formatQuota, QUOTA_KEYS, QUOTA_LABELS, type QuotaKey, type QuotaValues } from "@/lib/domain/quotas";

type Result = { message: string };
export type AccountQuotaAction<T extends Result = Result> = (prev: ActionResult<T> | null, form: FormData) => Promise<ActionResult<T>>;

/**
 * An account's quota: per value the tier's, a custom override, the cloud's limit and what the
 * project uses now. Saving applies it through Nova, Cinder and Neutron and reads it back.
 */
export function AccountQuotaForm<T extends Result>({
  providerId,
  identityId,
  username,
  tiers,
  tierId,
  custom,
  cloud,
  usage,
  action,
}: {
  providerId: number;
  identityId: number;
  username: string;
  tiers: Array<{ id: number; name: string; isDefault: boolean; values: QuotaValues }>;
  tierId: number | null;
  custom: Partial<QuotaValues> | null;
  cloud: Partial<QuotaValues> | null;
  usage: Partial<Record<QuotaKey, number>> | null;
  action: AccountQuotaAction<T>;
}) {
  const [state, dispatch, pending] = useActionState(action, null);
  const fe = state && !state.ok ? state.error.fieldErrors : undefined;
  const current = tiers.find((t) => t.id === tierId) ?? tiers.find((t) => t.isDefault) ?? null;
  return (
    <form action={dispatch} className="grid gap-4" noValidate>
      <input type="hidden" name="providerId" value={providerId} />
      <input type="hidden" name="identityId" value={identityId} />
      {state?.ok ? <Alert tone="success">{state.data.message}</Alert> : null}
      {state && !state.ok ? <Alert tone="error">{state.error.message}</Alert> : null}
      <div className="w-72">
        <Field id="tierId" label="Tier" hint="The values below are the tier's unless a custom value is set.">
          <Select id="tierId" name="tierId" defaultValue={tierId === null ? "" : String(tierId)}>
            <option value="">Provider default ({tiers.find((t) => t.isDefault)?.name ?? "none"})</option>
            {tiers.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <Table aria-label={`Quota of ${username}`}>
        <THead>
          <TR>
            <TH>Quota</TH>
            <TH>Tier ({current?.name ?? "—"})</TH>
            <TH>Custom value</TH>
            <TH>On the cloud</TH>
            <TH>In use</TH>
          </TR>
        </THead>
        <TBody>
          {QUOTA_KEYS.map((k) => (
            <TR key={k} data-quota={k}>
              <TD className="font-medium">{QUOTA_LABELS[k]}</TD>
              <TD>{formatQuota(current?.values[k])}</TD>
              <TD>
                <Field id={`custom-${k}`} label={`Custom ${QUOTA_LABELS[k]}`} error={fe?.[`values.${k}`]}>
                  <Input
                    id={`custom-${k}`}
                    name={`values.${k}`}
                    inputMode="numeric"
                    className="w-28"
                    defaultValue={custom?.[k] === undefined ? "" : String(custom[k])}
                    placeholder="tier's"
                  />
                </Field>
              </TD>
              <TD data-testid={`cloud-${k}`}>{cloud ? formatQuota(cloud[k]) : "—"}</TD>
              <TD data-testid={`usage-${k}`}>{usage ? formatQuota(usage[k]) : "—"}</TD>
            </TR>
          ))}
        </TBody>
      </Table>
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? "Applying…" : "Apply to the cloud"}
        </Button>
      </div>
    </form>
  );
}
