"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/utils";

const TABS = [
  { segment: "", label: "Overview" },
  { segment: "accounts", label: "Accounts" },
  { segment: "quotas", label: "Quotas" },
  { segment: "drift", label: "Drift" },
  { segment: "imports", label: "Imports" },
  { segment: "allocation", label: "Allocation" },
  { segment: "enforcement", label: "Enforcement" },
  { segment: "capacity", label: "Capacity" },
  { segment: "usage", label: "Usage" },
  { segment: "launch-test", label: "Launch test" },
  { segment: "inventory", label: "Inventory" },
];

export function ProviderTabs({ providerId }: { providerId: number }) {
  const pathname = usePathname();
  const base = `/providers/${providerId}`;
  return (
    <nav aria-label="Provider sections" className="border-b border-slate-200">
      <ul className="-mb-px flex flex-wrap gap-1">
        {TABS.map((t) => {
          const href = t.segment ? `${base}/${t.segment}` : base;
          const active = t.segment ? pathname.startsWith(href) : pathname === base || pathname === `${base}/edit`;
          return (
            <li key={t.label}>
              <Link
                href={href}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "inline-block border-b-2 px-3 py-2 text-sm font-medium",
                  active ? "border-brand-600 text-brand-700" : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900",
                )}
              >
                {t.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
