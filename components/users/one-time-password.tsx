"use client";

import { Check, Copy } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

/** A generated password, shown once: the server keeps only its hash and never sends it again. */
export function OneTimePassword({ username, password }: { username: string; password: string }) {
  const [copied, setCopied] = useState(false);
  const id = `one-time-password-${username}`;
  async function copy() {
    try {
      await navigator.clipboard.writeText(password);
      setCopied(true);
    } catch {
      // No clipboard (plain http, old browser): the field is selected for a manual copy instead.
      (document.getElementById(id) as HTMLInputElement | null)?.select();
    }
  }
  return (
    <div className="grid gap-2 rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
      <p className="font-medium">The password is shown only this once.</p>
      <p>
        Copy it now and give it to {username} through a safe channel. Cloudport keeps only a hash of it: once you leave this
        page nobody can show it again, and the way out is a new reset.
      </p>
      <label htmlFor={id} className="sr-only">
        One-time password for {username}
      </label>
      <div className="flex max-w-md gap-2">
        <Input
          id={id}
          readOnly
          value={password}
          className="font-mono"
          spellCheck={false}
          autoComplete="off"
          onFocus={(e) => e.currentTarget.select()}
        />
        <Button type="button" variant="secondary" onClick={copy}>
          {copied ? <Check aria-hidden className="h-4 w-4" /> : <Copy aria-hidden className="h-4 w-4" />}
          {copied ? "Copied" : "Copy"}
        </Button>
      </div>
    </div>
  );
}
