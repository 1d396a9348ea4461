import { cva, type VariantProps } from "class-variance-authority";
import * as React from "react";
import { cn } from "@/lib/utils";

const badgeVariants = cva("inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium", {
  variants: {
    tone: {
      neutral: "bg-slate-100 text-slate-700",
      success: "bg-emerald-50 text-emerald-700 ring-1 ring-emerald-200",
      warning: "bg-amber-50 text-amber-800 ring-1 ring-amber-200",
      danger: "bg-red-50 text-red-700 ring-1 ring-red-200",
      info: "bg-brand-50 text-brand-700 ring-1 ring-brand-100",
    },
  },
  defaultVariants: { tone: "neutral" },
});

export function Badge({
  className,
  tone,
  ...props
}: React.HTMLAttributes<HTMLSpanElement> & VariantProps<typeof badgeVariants>) {
  return <span className={cn(badgeVariants({ tone }), className)} {...props} />;
}
