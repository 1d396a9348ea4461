"use client";

import Link from "next/link";
import { useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Select } from "@/components/ui/input";
import type { AccountActions } from "@/lib/accounts/actions";
import { AccountJob } from "./account-job";

/**
 * Gives one portal user an account on a provider (or re-runs it), with live progress. Meant for
 * the user's page: `<ProvisionOnProvider username="cmart" providers={[{ id: 4, name: "lab" }]} />`.
 */
export function ProvisionOnProvider({
  username,
  providers,
  defaultProviderId,
  provisionAccounts,
}: {
  username: string;
  providers: Array<{ id: number; name: string }>;
  defaultProviderId?: number;
  provisionAccounts: AccountActions["provisionAccounts"];
}) {
  const [providerId, setProviderId] = useState<number | undefined>(defaultProviderId ?? providers[0]?.id);
  const [rebuild, setRebuild] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  if (providers.length === 0) return <p className="text-sm text-slate-500">No provider to provision on yet.</p>;
  const id = `provision-${username}`;
  const go = () =>
    start(async () => {
      if (!providerId) return;
      const r = await provisionAccounts({ providerId, usernames: [username], rebuild });
      if (!r.ok) return setError(r.error.message);
      setError(null);
      setJobId(r.data.jobId);
    });
  return (
    <div className="grid gap-3">
      <div className="flex flex-wrap items-end gap-3">
        <div className="w-64">
          <Field id={`${id}-provider`} label="Provider">
            <Select id={`${id}-provider`} value={providerId} onChange={(e) => setProviderId(Number(e.target.value))}>
              {providers.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name} (provider {p.id})
                </option>
              ))}
            </Select>
          </Field>
        </div>
        <label className="flex items-center gap-2 pb-2 text-sm text-slate-700">
          <input type="checkbox" checked={rebuild} onChange={(e) => setRebuild(e.target.checked)} /> Rebuild
        </label>
        <Button type="button" onClick={go} disabled={pending || !providerId}>
          {pending ? "Starting…" : rebuild ? `Rebuild ${username}'s account` : `Provision ${username}`}
        </Button>
        {providerId ? (
          <Link href={`/providers/${providerId}/accounts?q=${encodeURIComponent(username)}`} className="pb-2 text-sm text-brand-600 hover:underline">
            Accounts on this provider
          </Link>
        ) : null}
      </div>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {jobId ? <AccountJob jobId={jobId} /> : null}
    </div>
  );
}
