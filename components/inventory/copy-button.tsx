"use client";

import { Check, Copy } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";

async function writeClipboard(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
  // Plain-HTTP consoles have no Clipboard API: fall back to a hidden textarea.
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  try {
    if (!document.execCommand("copy")) throw new Error("The browser refused to copy.");
  } finally {
    area.remove();
  }
}

/** Copies a whole file: fetched from `url` (the full download, not the preview) or given as `text`. */
export function CopyButton({ url, text, label }: { url?: string; text?: string; label: string }) {
  const [state, setState] = useState<"idle" | "busy" | "done" | "error">("idle");
  const [error, setError] = useState<string | null>(null);
  async function copy() {
    setState("busy");
    setError(null);
    try {
      let value = text ?? "";
      if (url) {
        const res = await fetch(url, { cache: "no-store" });
        if (!res.ok) throw new Error((await res.text()).trim() || `HTTP ${res.status}`);
        value = await res.text();
      }
      await writeClipboard(value);
      setState("done");
      setTimeout(() => setState("idle"), 2000);
    } catch (e) {
      setState("error");
      setError(e instanceof Error ? e.message : String(e));
    }
  }
  return (
    <span className="inline-flex items-center gap-2">
      <Button type="button" variant="secondary" size="sm" onClick={copy} disabled={state === "busy"} aria-label={label}>
        {state === "done" ? <Check aria-hidden className="h-4 w-4" /> : <Copy aria-hidden className="h-4 w-4" />}
        {state === "done" ? "Copied" : state === "busy" ? "Copying…" : "Copy"}
      </Button>
      {state === "error" ? (
        <span role="alert" className="text-xs text-red-600">
          Could not copy: {error}
        </span>
      ) : null}
    </span>
  );
}
