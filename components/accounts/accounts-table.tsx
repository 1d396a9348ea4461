"use client";

import { useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { AccountActions } from "@/lib/accounts/actions";
import type { AccountStateFilter } from "@/lib/accounts/queries";
import { stepLabel } from "@/lib/accounts/steps";
import type { AccountView } from "@/lib/accounts/views";
import { formatDateTime } from "@/lib/utils";
import { AdoptAccountDialog, type AdoptAction } from "./adopt-dialog";
import { useAccountJobs } from "./jobs-context";
import { OpenrcButton } from "./openrc-button";
import { SelectAllMatching, SelectPageCheckbox, usePageSelection } from "./page-selection";
import { RemoveAccountsDialog } from "./remove-dialog";
import { AccountStateBadge } from "./state-badge";
import { plural } from "@/lib/domain/format";

const short = (id: string | null) => (id ? `${id.slice(0, 8)}…` : "—");

function Ids({ a }: { a: AccountView }) {
  // Styled by .ids in globals.css: fifty rows of five ids each.
  const item = (label: string, value: string | null, full = value) => (
    <div title={full ?? undefined}>
      <dt>{label}</dt> <dd>{value ?? "—"}</dd>
    </div>
  );
  return (
    <dl className="ids">
      {item("project", short(a.projectId), a.projectId)}
      {item("user", short(a.openstackUserId), a.openstackUserId)}
      {item("network", short(a.networkId), a.networkId)}
      {item("subnet", a.subnetCidr, a.subnetId)}
      {item(a.routerOwned ? "own router" : "router", short(a.routerId), a.routerId)}
    </dl>
  );
}

/**
 * One page of a provider's accounts with selection: the rows ticked, the whole page, or every
 * account matching the search; then retry, rebuild or remove them.
 */
export function AccountsTable({
  providerId,
  rows,
  total,
  q,
  state,
  actions: { provisionAccounts, removeAccounts, exportOpenrc },
  adopt,
  federated = false,
}: {
  providerId: number;
  /** Federated provider: accounts also get a clouds.yaml (OIDC, no password). */
  federated?: boolean;
  rows: AccountView[];
  total: number;
  q?: string;
  state: AccountStateFilter;
  actions: AccountActions;
  /** Given to superusers only: adopts a project or user Cloudport did not create. */
  adopt?: AdoptAction;
}) {
  const { addJob } = useAccountJobs();
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const live = rows.filter((r) => !r.endDate);
  // A new page or search starts with nothing selected.
  const selection = usePageSelection(
    live.map((r) => r.id),
    total,
    [rows.map((r) => r.id).join(","), q, state],
  );
  const { allMatching, count } = selection;
  const chosen = rows.filter((r) => selection.selected.has(r.id));

  const provision = (rebuild: boolean, usernames?: string[]) =>
    start(async () => {
      const r = await provisionAccounts(
        usernames
          ? { providerId, usernames, rebuild }
          : allMatching
            ? { providerId, accountsMatching: { q, state }, rebuild }
            : { providerId, usernames: chosen.map((c) => c.username), rebuild },
      );
      if (!r.ok) return setMessage({ tone: "error", text: r.error.message });
      addJob(r.data.jobId);
      setMessage({ tone: "success", text: `${rebuild ? "Rebuilding" : "Provisioning"} ${plural(r.data.count, "account")}: follow it above.` });
    });

  const started = (jobId: string) => {
    addJob(jobId);
    selection.clear();
    setMessage({ tone: "success", text: "Removal started: follow it above." });
  };

  return (
    <div className="grid gap-0">
      <div className="flex flex-wrap items-center gap-2 border-b border-slate-100 px-4 py-3 text-sm" aria-label="Selection">
        <span className="text-slate-600">{count === 0 ? "Select accounts to act on them." : `${count.toLocaleString("en-US")} selected`}</span>
        <SelectAllMatching selection={selection} total={total} />
        <div className="ml-auto flex flex-wrap gap-2">
          <Button type="button" size="sm" variant="secondary" disabled={count === 0 || pending} onClick={() => provision(false)}>
            Retry selected
          </Button>
          <Button type="button" size="sm" variant="secondary" disabled={count === 0 || pending} onClick={() => provision(true)}>
            Rebuild selected
          </Button>
          <RemoveAccountsDialog
            providerId={providerId}
            target={allMatching ? { matching: { q, state } } : { identityIds: chosen.map((c) => c.id) }}
            count={count}
            who={count === 1 ? `${chosen[0]?.username ?? "1"}'s account` : `${count} accounts`}
            onStarted={started}
            removeAccounts={removeAccounts}
            trigger={
              <Button type="button" size="sm" variant="destructive" disabled={count === 0 || pending}>
                Remove selected…
              </Button>
            }
          />
        </div>
      </div>
      {message ? (
        <div className="px-4 pt-3">
          <Alert tone={message.tone}>{message.text}</Alert>
        </div>
      ) : null}
      <Table aria-label="Accounts">
        <THead>
          <tr>
            <TH className="w-8">
              <SelectPageCheckbox selection={selection} label="Select every account on this page" />
            </TH>
            <TH>User</TH>
            <TH>State</TH>
            <TH>Last step</TH>
            <TH>Last error</TH>
            <TH>OpenStack ids</TH>
            <TH>Updated</TH>
            <TH>
              <span className="sr-only">Actions</span>
            </TH>
          </tr>
        </THead>
        <TBody>
          {rows.map((a) => (
            <TR key={a.id} data-username={a.username} data-state={a.state}>
              <TD>
                <input
                  type="checkbox"
                  aria-label={`Select ${a.username}`}
                  disabled={Boolean(a.endDate)}
                  checked={selection.isChecked(a.id)}
                  onChange={() => selection.toggle(a.id)}
                />
              </TD>
              <TD>
                <span className="font-medium text-slate-900">{a.username}</span>
                {a.projectName !== a.username ? <span className="block text-xs text-slate-500">project {a.projectName}</span> : null}
                {a.adoptedAt ? <span className="block text-xs text-amber-700">adopted {formatDateTime(a.adoptedAt)}</span> : null}
              </TD>
              <TD>
                <AccountStateBadge state={a.state} />
              </TD>
              <TD className="whitespace-nowrap text-slate-600">{a.state === "active" ? "all steps done" : stepLabel(a.lastStep)}</TD>
              <TD className="max-w-xs break-words text-xs text-red-700">{a.lastError ?? ""}</TD>
              <TD>
                <Ids a={a} />
              </TD>
              <TD className="whitespace-nowrap text-xs text-slate-500">{a.endDate ? `removed ${formatDateTime(a.endDate)}` : formatDateTime(a.updatedAt)}</TD>
              <TD className="whitespace-nowrap">
                {a.endDate ? null : (
                  <div className="flex flex-wrap items-start justify-end gap-1">
                    {a.state !== "active" ? (
                      <Button type="button" size="sm" variant="ghost" disabled={pending} onClick={() => provision(false, [a.username])} aria-label={`Retry ${a.username}`}>
                        Retry
                      </Button>
                    ) : null}
                    <Button type="button" size="sm" variant="ghost" disabled={pending} onClick={() => provision(true, [a.username])} aria-label={`Rebuild ${a.username}`}>
                      Rebuild
                    </Button>
                    {a.adoptable && adopt ? (
                      <AdoptAccountDialog
                        providerId={providerId}
                        identityId={a.id}
                        username={a.username}
                        projectName={a.projectName}
                        adopt={adopt}
                        onStarted={(jobId) => {
                          addJob(jobId);
                          setMessage({ tone: "success", text: `Adopted for ${a.username}; provisioning it: follow it above.` });
                        }}
                      />
                    ) : null}
                    {a.projectId ? <OpenrcButton providerId={providerId} identityId={a.id} username={a.username} exportOpenrc={exportOpenrc} cloudsYaml={federated} /> : null}
                    <RemoveAccountsDialog
                      providerId={providerId}
                      target={{ identityIds: [a.id] }}
                      count={1}
                      who={`${a.username}'s account`}
                      onStarted={started}
                      removeAccounts={removeAccounts}
                      trigger={
                        <Button type="button" size="sm" variant="ghost" className="text-red-700" aria-label={`Remove ${a.username}`}>
                          Remove
                        </Button>
                      }
                    />
                  </div>
                )}
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
    </div>
  );
}
