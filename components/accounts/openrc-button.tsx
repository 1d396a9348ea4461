"use client";

import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import type { AccountActions } from "@/lib/accounts/actions";

/**
 * Downloads an account's openrc (audit-logged on the server; it never holds the password). One per
 * table row, so the label is text only (an icon was 18 KB of a 50-row page).
 */
export function OpenrcButton({
  providerId,
  identityId,
  username,
  exportOpenrc,
  cloudsYaml = false,
}: {
  providerId: number;
  identityId: number;
  username: string;
  exportOpenrc: AccountActions["exportOpenrc"];
  /** Also offer the account's clouds.yaml (federated providers: OIDC auth, no password). */
  cloudsYaml?: boolean;
}) {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const download = (format: "openrc" | "clouds.yaml") =>
    start(async () => {
      const r = await exportOpenrc({ providerId, identityId, format });
      if (!r.ok) {
        setError(r.error.message);
        return;
      }
      setError(null);
      const url = URL.createObjectURL(new Blob([r.data.body], { type: format === "openrc" ? "text/x-shellscript" : "application/yaml" }));
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
      <span className="inline-flex gap-1">
        <Button type="button" size="sm" variant="ghost" onClick={() => download("openrc")} disabled={pending} aria-label={`Download openrc of ${username}`}>
          openrc ↓
        </Button>
        {cloudsYaml ? (
          <Button type="button" size="sm" variant="ghost" onClick={() => download("clouds.yaml")} disabled={pending} aria-label={`Download clouds.yaml of ${username}`}>
            clouds.yaml ↓
          </Button>
        ) : null}
      </span>
      {error ? <span role="alert" className="text-xs text-red-600">{error}</span> : null}
    </span>
  );
}
