import * as React from "react";
import { cn } from "@/lib/utils";

// globals.css: .alert and its tones.
const tones = { error: "alert-error", success: "alert-success", info: "alert-info", warning: "alert-warning" };

export function Alert({
  tone = "info",
  className,
  ...props
}: React.HTMLAttributes<HTMLDivElement> & { tone?: keyof typeof tones }) {
  return (
    <div
      role={tone === "error" ? "alert" : "status"}
      className={cn("alert", tones[tone], className)}
      {...props}
    />
  );
}
