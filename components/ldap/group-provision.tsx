"use client";

import { plural } from "@/lib/domain/format";
import { useState, useTransition } from "react";
import { useAccountJobs } from "@/components/accounts/jobs-context";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { ActionResult } from "@/lib/actions/errors";
import type { GroupPreviewResult, GroupProvisioned, LeaversRemoved } from "@/lib/ldap/actions";
import type { Leaver } from "@/lib/ldap/sync";
import { hasAccount, planGroup } from "@/lib/ldap/plan";

type GroupInput = { providerId: number; directoryId: number | string; groupName: string };
type Preview = (input: GroupInput) => Promise<ActionResult<GroupPreviewResult>>;
type Provision = (input: GroupInput & { sync?: boolean; intervalHours?: number | string; confirm?: string[] }) => Promise<ActionResult<GroupProvisioned>>;
type SetSync = (input: { providerId: number; sourceId: number; enabled: boolean }) => Promise<ActionResult<{ message: string }>>;
type PreviewLeavers = (input: { providerId: number; sourceId: number }) => Promise<ActionResult<{ group: string; leavers: Leaver[] }>>;
type RemoveLeavers = (input: { providerId: number; sourceId: number; confirm: string[] }) => Promise<ActionResult<LeaversRemoved>>;

/** A group already provisioned here, as the card lists it. */
export type GroupSourceView = {
  id: number;
  directoryId: number;
  directoryName: string;
  groupName: string;
  syncEnabled: boolean;
  intervalHours: number;
  lastRunAt: string | null;
  members: number;
  newCount: number;
  left: string[];
  /** Members the last run held back, with why. */
  skipped: Array<{ username: string; reason: string }>;
  error: string | null;
};

const privilegedText = { staff: "staff", superuser: "superuser", sso: "SSO" } as const;

/** "Provision members of an LDAP group": choose a directory and a group, preview, provision. */
export function GroupProvision({
  providerId,
  directories,
  sources,
  preview,
  provision,
  setGroupSync,
  previewLeavers,
  removeLeavers,
}: {
  providerId: number;
  directories: Array<{ id: number; name: string }>;
  sources: GroupSourceView[];
  preview: Preview;
  provision: Provision;
  setGroupSync: SetSync;
  previewLeavers: PreviewLeavers;
  removeLeavers: RemoveLeavers;
}) {
  const { addJob } = useAccountJobs();
  const [directoryId, setDirectoryId] = useState(String(directories[0]?.id ?? ""));
  const [groupName, setGroupName] = useState("");
  const [sync, setSync] = useState(false);
  const [intervalHours, setIntervalHours] = useState("24");
  const [shown, setShown] = useState<GroupPreviewResult | null>(null);
  // Members matching a staff, superuser or SSO-bound portal user whom the operator ticked.
  const [confirmed, setConfirmed] = useState<string[]>([]);
  const [result, setResult] = useState<{ tone: "success" | "error"; text: string; fieldErrors?: Record<string, string[]> } | null>(null);
  const [previewing, startPreview] = useTransition();
  const [provisioning, startProvision] = useTransition();
  const [toggling, startToggle] = useTransition();
  // "Remove those who left": the accounts listed for confirmation, per group source.
  const [leaving, setLeaving] = useState<{ sourceId: number; group: string; leavers: Leaver[] } | null>(null);
  const [removing, startRemoving] = useTransition();
  const listLeavers = (s: GroupSourceView) =>
    startRemoving(async () => {
      const r = await previewLeavers({ providerId, sourceId: s.id });
      if (!r.ok) return setResult({ tone: "error", text: r.error.message });
      if (!r.data.leavers.length) {
        setLeaving(null);
        return setResult({ tone: "success", text: `None of those who left ${r.data.group} has an account here any more (or they are back in the group): nothing to remove.` });
      }
      setLeaving({ sourceId: s.id, ...r.data });
    });
  const confirmRemoval = () =>
    startRemoving(async () => {
      if (!leaving) return;
      const r = await removeLeavers({ providerId, sourceId: leaving.sourceId, confirm: leaving.leavers.map((l) => l.username) });
      setLeaving(null);
      if (!r.ok) return setResult({ tone: "error", text: r.error.message });
      if (r.data.jobId) addJob(r.data.jobId);
      setResult({ tone: "success", text: r.data.message });
    });
  // Choosing a group provisioned before shows its schedule, so provisioning again keeps it.
  const pick = (dir: string, group: string) => {
    setDirectoryId(dir);
    setGroupName(group);
    setShown(null);
    const known = sources.find((s) => String(s.directoryId) === dir && s.groupName === group.trim());
    if (known) {
      setSync(known.syncEnabled);
      setIntervalHours(String(known.intervalHours));
    }
  };
  const toggle = (s: GroupSourceView) =>
    startToggle(async () => {
      const r = await setGroupSync({ providerId, sourceId: s.id, enabled: !s.syncEnabled });
      setResult(r.ok ? { tone: "success", text: r.data.message } : { tone: "error", text: r.error.message });
    });

  if (directories.length === 0) {
    return (
      <p className="text-sm text-slate-600">
        No LDAP directory is set up yet: add one under <a className="text-brand-700 hover:underline" href="/settings/ldap">Settings → LDAP</a>.
      </p>
    );
  }

  const input = { providerId, directoryId, groupName };
  const fe = result?.fieldErrors;
  const onPreview = () =>
    startPreview(async () => {
      const r = await preview(input);
      if (r.ok) {
        setShown(r.data);
        setConfirmed([]);
        setResult(null);
      } else {
        setShown(null);
        setResult({ tone: "error", text: r.error.message, fieldErrors: r.error.fieldErrors });
      }
    });
  const onProvision = (e: React.FormEvent) => {
    e.preventDefault();
    startProvision(async () => {
      const r = await provision({ ...input, sync, intervalHours, confirm: shown ? confirmed : [] });
      if (!r.ok) {
        setResult({ tone: "error", text: r.error.message, fieldErrors: r.error.fieldErrors });
        return;
      }
      if (r.data.jobId) addJob(r.data.jobId);
      setResult({ tone: "success", text: r.data.message + (r.data.left.length ? ` No longer in the group (nothing done to them): ${r.data.left.slice(0, 20).join(", ")}${r.data.left.length > 20 ? `, and ${r.data.left.length - 20} more` : ""}.` : "") });
      setShown(null);
    });
  };
  const plan = shown ? planGroup(shown.members, { scheduled: false, confirmed }) : null;
  const toProvision = plan?.queue.length ?? 0;
  const skippedWhy = new Map(plan?.skipped.map((m) => [m.username, m]) ?? []);
  const toggleConfirm = (username: string, on: boolean) => setConfirmed((c) => (on ? [...c, username] : c.filter((u) => u !== username)));

  return (
    <div className="grid gap-4">
      <form onSubmit={onProvision} className="grid gap-4" noValidate aria-label="Provision members of an LDAP group">
        <div className="grid gap-4 md:grid-cols-2">
          <Field id="ldap-directory" label="Directory" error={fe?.directoryId}>
            <Select id="ldap-directory" name="directoryId" value={directoryId} onChange={(e) => pick(e.target.value, groupName)}>
              {directories.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </Select>
          </Field>
          <Field id="ldap-group" label="Group name (cn)" hint="The group's cn, exactly, e.g. atmo-user." error={fe?.groupName}>
            <Input id="ldap-group" name="groupName" value={groupName} onChange={(e) => pick(directoryId, e.target.value)} spellCheck={false} />
          </Field>
        </div>
        <div className="flex flex-wrap items-end gap-4">
          <label className="flex items-start gap-2 text-sm text-slate-700" htmlFor="ldap-sync">
            <input id="ldap-sync" type="checkbox" className="mt-0.5" checked={sync} onChange={(e) => setSync(e.target.checked)} />
            <span>
              <span className="font-medium">Keep in sync</span>: provision new members on a schedule (members who leave are listed; only "Remove those who left" removes their accounts, after you confirm the list).
            </span>
          </label>
          {sync ? (
            <div className="w-40">
              <Field id="ldap-interval" label="Sync every (hours)" error={fe?.intervalHours}>
                <Input id="ldap-interval" name="intervalHours" inputMode="numeric" value={intervalHours} onChange={(e) => setIntervalHours(e.target.value)} />
              </Field>
            </div>
          ) : null}
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <Button type="button" variant="secondary" disabled={previewing || !groupName.trim()} onClick={onPreview}>
            {previewing ? "Reading the group…" : "Preview"}
          </Button>
          <Button type="submit" disabled={provisioning || !groupName.trim()}>
            {provisioning ? "Starting…" : shown ? `Provision ${toProvision} member${toProvision === 1 ? "" : "s"}` : "Provision"}
          </Button>
        </div>
        {result ? <Alert tone={result.tone}>{result.text}</Alert> : null}
      </form>

      {shown ? (
        <div className="grid gap-3" data-testid="ldap-preview">
          <p className="text-sm text-slate-700">
            {shown.members.length} member{shown.members.length === 1 ? "" : "s"} of {groupName} in {shown.directory.name}; {toProvision} will be provisioned
            {plan?.skipped.length ? `; ${plan.skipped.length} held back (see why below)` : ""}
            {shown.rejected.length ? `; ${shown.rejected.length} cannot be used` : ""}.
          </p>
          {shown.members.length ? (
            <Table aria-label="Group members">
              <THead>
                <TR>
                  <TH>Username</TH>
                  <TH>Portal user</TH>
                  <TH>Account on this provider</TH>
                  <TH>Provision anyway</TH>
                </TR>
              </THead>
              <TBody>
                {shown.members.map((m) => {
                  const held = skippedWhy.get(m.username);
                  const needsConfirm = m.privileged.length > 0 && !m.deactivated && !hasAccount(m);
                  return (
                    <TR key={m.username} data-username={m.username}>
                      <TD className="font-medium">{m.username}</TD>
                      <TD>
                        {m.portalUser ? (
                          <span className="flex flex-wrap gap-1">
                            <Badge tone={m.deactivated || m.privileged.length ? "warning" : "success"}>{m.portalUsername ? `yes: ${m.portalUsername}` : "yes"}</Badge>
                            {m.privileged.map((p) => (
                              <Badge key={p} tone="warning">
                                {privilegedText[p]}
                              </Badge>
                            ))}
                            {m.deactivated ? <Badge tone="danger">deactivated</Badge> : null}
                          </span>
                        ) : (
                          <Badge>created on provision</Badge>
                        )}
                      </TD>
                      <TD>
                        {held ? (
                          <span className="text-sm text-amber-800">{held.reason}</span>
                        ) : m.account && m.account !== "failed" ? (
                          <Badge tone={m.account === "active" ? "success" : "info"}>{m.account}</Badge>
                        ) : m.removedAt ? (
                          <span className="text-sm text-slate-700">Removed by staff on {m.removedAt.slice(0, 10)}: Provision adds it again (the schedule does not).</span>
                        ) : m.account === "failed" ? (
                          <Badge tone="danger">failed: will be retried</Badge>
                        ) : (
                          <Badge>none: will be provisioned</Badge>
                        )}
                      </TD>
                      <TD>
                        {needsConfirm ? (
                          <label className="flex items-center gap-2 text-sm">
                            <input
                              type="checkbox"
                              checked={confirmed.includes(m.username)}
                              onChange={(e) => toggleConfirm(m.username, e.target.checked)}
                              aria-label={`Provision ${m.username} although they match ${m.portalUsername ?? m.username} (${m.privileged.map((p) => privilegedText[p]).join(", ")})`}
                            />
                            yes, it is the same person
                          </label>
                        ) : null}
                      </TD>
                    </TR>
                  );
                })}
              </TBody>
            </Table>
          ) : null}
          {shown.rejected.length ? (
            <Table aria-label="Members that cannot be used">
              <THead>
                <TR>
                  <TH>Member</TH>
                  <TH>Username</TH>
                  <TH>Why it is skipped</TH>
                </TR>
              </THead>
              <TBody>
                {shown.rejected.map((m) => (
                  <TR key={m.dn}>
                    <TD className="font-mono text-xs">{m.dn}</TD>
                    <TD>{m.username ?? "—"}</TD>
                    <TD>{m.reason}</TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          ) : null}
        </div>
      ) : null}

      {sources.length ? (
        <Table aria-label="LDAP groups provisioned here">
          <THead>
            <TR>
              <TH>Group</TH>
              <TH>Sync</TH>
              <TH>Last run</TH>
              <TH>Left the group</TH>
              <TH>
                <span className="sr-only">Actions</span>
              </TH>
            </TR>
          </THead>
          <TBody>
            {sources.map((s) => (
              <TR key={s.id}>
                <TD className="font-medium">
                  {s.groupName} <span className="text-xs text-slate-500">({s.directoryName})</span>
                </TD>
                <TD>{s.syncEnabled ? `every ${s.intervalHours} h` : "off"}</TD>
                <TD>
                  {s.error ? (
                    <span className="text-red-700">{s.error}</span>
                  ) : (
                    <>
                      {plural(s.members, "member")}, {s.newCount} queued
                      {s.skipped.length ? `, ${s.skipped.length} held back` : ""}
                    </>
                  )}
                  {s.lastRunAt ? <span className="block text-xs text-slate-500">{s.lastRunAt}</span> : null}
                  {s.skipped.length ? (
                    <ul className="mt-1 grid gap-0.5 text-xs text-amber-800" aria-label={`Held back from ${s.groupName}`}>
                      {s.skipped.slice(0, 20).map((m) => (
                        <li key={m.username}>
                          <span className="font-medium">{m.username}</span>: {m.reason}
                        </li>
                      ))}
                      {s.skipped.length > 20 ? <li>and {s.skipped.length - 20} more</li> : null}
                    </ul>
                  ) : null}
                </TD>
                <TD>{s.left.length ? `${s.left.slice(0, 20).join(", ")}${s.left.length > 20 ? `, and ${s.left.length - 20} more` : ""}` : "—"}</TD>
                <TD className="text-right">
                  <span className="inline-flex flex-wrap justify-end gap-2">
                    {s.left.length ? (
                      <Button type="button" size="sm" variant="secondary" disabled={removing} onClick={() => listLeavers(s)} aria-label={`Remove those who left ${s.groupName}`}>
                        Remove those who left…
                      </Button>
                    ) : null}
                    <Button type="button" size="sm" variant="secondary" disabled={toggling} onClick={() => toggle(s)} aria-label={`${s.syncEnabled ? "Turn off" : "Turn on"} sync of ${s.groupName}`}>
                      {s.syncEnabled ? "Turn sync off" : "Turn sync on"}
                    </Button>
                  </span>
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      ) : null}

      {leaving ? (
        <div className="grid gap-3 rounded-md border border-red-200 bg-red-50 p-3" role="region" aria-label={`Remove the accounts of those who left ${leaving.group}`}>
          <p className="text-sm text-slate-800">
            Remove the account{leaving.leavers.length === 1 ? "" : "s"} of {leaving.leavers.length} member{leaving.leavers.length === 1 ? "" : "s"} who left {leaving.group}? Their project, user and network on this cloud are deleted by the
            removal job; their portal users stay.
          </p>
          <ul className="grid gap-0.5 text-sm">
            {leaving.leavers.map((l) => (
              <li key={l.identityId}>
                <span className="font-medium">{l.username}</span> <span className="text-xs text-slate-500">({l.state})</span>
              </li>
            ))}
          </ul>
          <div className="flex gap-2">
            <Button type="button" variant="destructive" disabled={removing} onClick={confirmRemoval}>
              {removing ? "Starting…" : `Remove ${leaving.leavers.length} account${leaving.leavers.length === 1 ? "" : "s"}`}
            </Button>
            <Button type="button" variant="secondary" disabled={removing} onClick={() => setLeaving(null)}>
              Cancel
            </Button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
