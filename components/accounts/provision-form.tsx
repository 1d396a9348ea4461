"use client";

import { useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Textarea } from "@/components/ui/input";
import type { AccountActions } from "@/lib/accounts/actions";
import { useAccountJobs } from "./jobs-context";
import { plural } from "@/lib/domain/format";

/** Paste usernames (commas or new lines) and provision them; unknown ones become portal users. */
export function ProvisionForm({
  providerId,
  provisionAccounts,
}: {
  providerId: number;
  provisionAccounts: AccountActions["provisionAccounts"];
}) {
  const { addJob } = useAccountJobs();
  const [text, setText] = useState("");
  const [rebuild, setRebuild] = useState(false);
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<{ tone: "success" | "error"; text: string; field?: string } | null>(null);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    start(async () => {
      const r = await provisionAccounts({ providerId, usernamesText: text, rebuild });
      if (!r.ok) {
        setMessage({ tone: "error", text: r.error.message, field: r.error.fieldErrors?.usernamesText?.join(" ") });
        return;
      }
      addJob(r.data.jobId);
      setText("");
      const created = r.data.createdUsers.length ? ` New portal users: ${r.data.createdUsers.join(", ")}.` : "";
      setMessage({
        tone: "success",
        text: r.data.alreadyQueued
          ? `The same request is already running; following it below.`
          : `Provisioning ${plural(r.data.count, "account")}.${created}`,
      });
    });
  };

  return (
    <form onSubmit={submit} className="grid gap-4">
      <Field
        id="usernamesText"
        label="Usernames"
        hint="Separate them with commas or new lines. Usernames not yet in the portal are created as ordinary portal users (not staff)."
        error={message?.field}
      >
        <Textarea
          id="usernamesText"
          name="usernamesText"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={"cmart\nalice, bob"}
          rows={4}
          spellCheck={false}
        />
      </Field>
      <label className="flex items-start gap-2 text-sm text-slate-700">
        <input type="checkbox" className="mt-0.5" checked={rebuild} onChange={(e) => setRebuild(e.target.checked)} />
        <span>
          <span className="font-medium">Rebuild</span>: re-apply every step even for complete accounts (restores anything deleted on the
          cloud, resets the password to the derived one; never duplicates).
        </span>
      </label>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={pending || !text.trim()}>
          {pending ? "Starting…" : rebuild ? "Rebuild accounts" : "Provision accounts"}
        </Button>
      </div>
      {message && !message.field ? <Alert tone={message.tone}>{message.text}</Alert> : null}
    </form>
  );
}
