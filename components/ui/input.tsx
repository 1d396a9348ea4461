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
        "input",
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
        "select",
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
        "textarea",
        className,
      )}
      {...props}
    />
  );
}
