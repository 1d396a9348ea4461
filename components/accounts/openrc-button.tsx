"use client";

import { Download } from "lucide-react";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import type { AccountActions } from "@/lib/accounts/actions";

/** Downloads an account's openrc (audit-logged on the server; it never holds the password). */
export function OpenrcButton({
  providerId,
  identityId,
  username,
  exportOpenrc,
}: {
  providerId: number;
  identityId: number;
  username: string;
  exportOpenrc: AccountActions["exportOpenrc"];
}) {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const download = () =>
    start(async () => {
      const r = await exportOpenrc({ providerId, identityId });
      if (!r.ok) {
        setError(r.error.message);
        return;
      }
      setError(null);
      const url = URL.createObjectURL(new Blob([r.data.body], { type: "text/x-shellscript" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = r.data.fileName;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    });
  return (
    <span className="inline-grid gap-1">
      <Button type="button" size="sm" variant="ghost" onClick={download} disabled={pending} aria-label={`Download openrc of ${username}`}>
        <Download aria-hidden className="h-3.5 w-3.5" /> openrc
      </Button>
      {error ? <span role="alert" className="text-xs text-red-600">{error}</span> : null}
    </span>
  );
}
