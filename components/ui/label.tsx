import * as React from "react";
import { cn } from "@/lib/utils";

/** A visible form label: a plain <label> (no client JavaScript). */
export function Label({ className, ...props }: React.ComponentProps<"label">) {
  return <label className={cn("label", className)} {...props} />;
}
