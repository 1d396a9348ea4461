"use client";

import { useEffect, useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { provisionAccounts } from "@/lib/accounts/actions";
import { useAccountJobs } from "./jobs-context";

export type CandidateView = { id: number; username: string; email: string | null; displayName: string | null; isActive: boolean };

/** Portal users without an account on the provider: tick some, the page, or all matching, then provision. */
export function CandidatesTable({ providerId, rows, total, q }: { providerId: number; rows: CandidateView[]; total: number; q?: string }) {
  const { addJob } = useAccountJobs();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [allMatching, setAllMatching] = useState(false);
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const pageKey = rows.map((r) => r.id).join(",");
  useEffect(() => {
    setSelected(new Set());
    setAllMatching(false);
  }, [pageKey, q]);

  const pageSelected = rows.length > 0 && rows.every((r) => selected.has(r.username));
  const count = allMatching ? total : selected.size;
  const provision = () =>
    start(async () => {
      const r = await provisionAccounts(
        allMatching ? { providerId, candidatesMatching: { q } } : { providerId, usernames: [...selected] },
      );
      if (!r.ok) return setMessage({ tone: "error", text: r.error.message });
      addJob(r.data.jobId);
      setSelected(new Set());
      setAllMatching(false);
      setMessage({ tone: "success", text: `Provisioning ${r.data.count} ${r.data.count === 1 ? "account" : "accounts"}: follow it above.` });
    });

  return (
    <div>
      <div className="flex flex-wrap items-center gap-2 border-b border-slate-100 px-4 py-3 text-sm">
        <span className="text-slate-600">{count === 0 ? "Select users to give them an account." : `${count.toLocaleString("en-US")} selected`}</span>
        {pageSelected && total > rows.length && !allMatching ? (
          <Button type="button" variant="link" size="sm" onClick={() => setAllMatching(true)}>
            Select all {total.toLocaleString("en-US")} matching
          </Button>
        ) : null}
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
              <input
                type="checkbox"
                aria-label="Select every user on this page"
                checked={pageSelected}
                onChange={(e) => {
                  setAllMatching(false);
                  setSelected(e.target.checked ? new Set(rows.map((r) => r.username)) : new Set());
                }}
              />
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
                  checked={allMatching || selected.has(u.username)}
                  onChange={() =>
                    setSelected((s) => {
                      const n = new Set(allMatching ? rows.map((r) => r.username) : s);
                      if (n.has(u.username)) n.delete(u.username);
                      else n.add(u.username);
                      setAllMatching(false);
                      return n;
                    })
                  }
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
