import * as React from "react";
import { cn } from "@/lib/utils";

// No `maxLength` on text fields: the browser would cut a pasted value silently (a 300-character
// username became a 150-character user nobody typed). The server's schema refuses it with a
// message that says the limit and the length instead (lib/domain/format.ts `tooLong`).
type NoMaxLength<T> = Omit<T, "maxLength">;

export function Input({ className, ...props }: NoMaxLength<React.InputHTMLAttributes<HTMLInputElement>>) {
  return (
    <input
      className={cn(
        "flex h-9 w-full rounded-md border border-slate-300 bg-white px-3 py-1 text-sm shadow-sm placeholder:text-slate-400 focus-visible:border-brand-500 focus-visible:outline-2 focus-visible:outline-brand-500/40 disabled:opacity-50 aria-[invalid=true]:border-red-500",
        className,
      )}
      {...props}
    />
  );
}

export function Select({ className, ...props }: React.SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <select
      className={cn(
        "flex h-9 w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm shadow-sm focus-visible:border-brand-500 focus-visible:outline-2 focus-visible:outline-brand-500/40",
        className,
      )}
      {...props}
    />
  );
}

export function Textarea({ className, ...props }: NoMaxLength<React.TextareaHTMLAttributes<HTMLTextAreaElement>>) {
  return (
    <textarea
      className={cn(
        "flex min-h-24 w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-xs shadow-sm placeholder:text-slate-400 focus-visible:border-brand-500 focus-visible:outline-2 focus-visible:outline-brand-500/40 aria-[invalid=true]:border-red-500",
        className,
      )}
      {...props}
    />
  );
}
