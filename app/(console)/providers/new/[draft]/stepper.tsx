"use client";

import { Check } from "lucide-react";
import Link from "next/link";
import { useSelectedLayoutSegment } from "next/navigation";
import { WIZARD_STEPS } from "@/lib/providers/constants";
import { cn } from "@/lib/utils";

export function Stepper({ draftId, missing }: { draftId: string; missing: string[] }) {
  const current = useSelectedLayoutSegment();
  const firstGap = WIZARD_STEPS.findIndex((s) => missing.includes(s.id));
  return (
    <nav aria-label="Wizard steps">
      <ol className="flex flex-wrap gap-2">
        {WIZARD_STEPS.map((step, i) => {
          const done = !missing.includes(step.id) && step.id !== "review";
          const reachable = firstGap === -1 || i <= firstGap;
          const active = current === step.id;
          const body = (
            <>
              <span
                className={cn(
                  "flex h-6 w-6 items-center justify-center rounded-full border text-xs",
                  done ? "border-emerald-500 bg-emerald-500 text-white" : active ? "border-brand-600 text-brand-600" : "border-slate-300 text-slate-500",
                )}
              >
                {done ? <Check aria-hidden className="h-3.5 w-3.5" /> : i + 1}
              </span>
              {step.label}
            </>
          );
          const cls = cn(
            "flex items-center gap-2 rounded-full px-3 py-1.5 text-sm",
            active ? "bg-white font-semibold text-slate-900 shadow-sm ring-1 ring-slate-200" : "text-slate-600",
          );
          return (
            <li key={step.id}>
              {reachable && !active ? (
                <Link href={`/providers/new/${draftId}/${step.id}`} className={cn(cls, "hover:bg-white")}>
                  {body}
                </Link>
              ) : (
                <span className={cls} aria-current={active ? "step" : undefined}>
                  {body}
                </span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
