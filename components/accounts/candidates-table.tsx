"use client";

import { useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { AccountActions } from "@/lib/accounts/actions";
import { useAccountJobs } from "./jobs-context";
import { SelectAllMatching, SelectPageCheckbox, usePageSelection } from "./page-selection";
import { plural } from "@/lib/domain/format";

export type CandidateView = { id: number; username: string; email: string | null; displayName: string | null; isActive: boolean };

/** Portal users without an account on the provider: tick some, the page, or all matching, then provision. */
export function CandidatesTable({
  providerId,
  rows,
  total,
  q,
  provisionAccounts,
}: {
  providerId: number;
  rows: CandidateView[];
  total: number;
  q?: string;
  provisionAccounts: AccountActions["provisionAccounts"];
}) {
  const { addJob } = useAccountJobs();
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const selection = usePageSelection(
    rows.map((r) => r.username),
    total,
    [rows.map((r) => r.id).join(","), q],
  );
  const { selected, allMatching, count } = selection;
  const provision = () =>
    start(async () => {
      const r = await provisionAccounts(
        allMatching ? { providerId, candidatesMatching: { q } } : { providerId, usernames: [...selected] },
      );
      if (!r.ok) return setMessage({ tone: "error", text: r.error.message });
      addJob(r.data.jobId);
      selection.clear();
      setMessage({ tone: "success", text: `Provisioning ${plural(r.data.count, "account")}: follow it above.` });
    });

  return (
    <div>
      <div className="flex flex-wrap items-center gap-2 border-b border-slate-100 px-4 py-3 text-sm">
        <span className="text-slate-600">{count === 0 ? "Select users to give them an account." : `${count.toLocaleString("en-US")} selected`}</span>
        <SelectAllMatching selection={selection} total={total} />
        <Button type="button" size="sm" className="ml-auto" disabled={count === 0 || pending} onClick={provision}>
          {pending ? "Starting…" : count ? `Provision ${count.toLocaleString("en-US")} selected` : "Provision selected"}
        </Button>
      </div>
      {message ? (
        <div className="px-4 pt-3">
          <Alert tone={message.tone}>{message.text}</Alert>
        </div>
      ) : null}
      <Table aria-label="Portal users without an account">
        <THead>
          <tr>
            <TH className="w-8">
              <SelectPageCheckbox selection={selection} label="Select every user on this page" />
            </TH>
            <TH>Username</TH>
            <TH>Name</TH>
            <TH>Email</TH>
            <TH>Active</TH>
          </tr>
        </THead>
        <TBody>
          {rows.map((u) => (
            <TR key={u.id}>
              <TD>
                <input
                  type="checkbox"
                  aria-label={`Select ${u.username}`}
                  checked={selection.isChecked(u.username)}
                  onChange={() => selection.toggle(u.username)}
                />
              </TD>
              <TD className="font-medium">{u.username}</TD>
              <TD className="text-slate-600">{u.displayName ?? ""}</TD>
              <TD className="text-slate-600">{u.email ?? ""}</TD>
              <TD>{u.isActive ? "yes" : "no"}</TD>
            </TR>
          ))}
        </TBody>
      </Table>
    </div>
  );
}
