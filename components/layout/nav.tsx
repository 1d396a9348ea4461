"use client";

import { Activity, Bell, BookUser, FlaskConical, Gauge, Cloud, DownloadCloud, LayoutDashboard, ScrollText, Users } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/utils";

const ITEMS = [
  { href: "/", label: "Home", icon: LayoutDashboard },
  { href: "/providers", label: "Providers", icon: Cloud },
  { href: "/users", label: "Users", icon: Users },
  { href: "/allocation", label: "Allocation", icon: Gauge },
  { href: "/imports", label: "Imports", icon: DownloadCloud },
  { href: "/launch-test", label: "Launch test", icon: FlaskConical },
  { href: "/notifications", label: "Notifications", icon: Bell },
  { href: "/settings/ldap", label: "LDAP", icon: BookUser },
  { href: "/audit", label: "Audit log", icon: ScrollText },
];

/** The main navigation; `onNavigate` runs when a link is followed (the mobile sheet closes). */
export function Nav({ onNavigate }: { onNavigate?: () => void } = {}) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="grid gap-1">
      {ITEMS.map(({ href, label, icon: Icon }) => {
        const active = pathname === href || pathname.startsWith(`${href}/`);
        return (
          <Link
            key={href}
            href={href}
            aria-current={active ? "page" : undefined}
            onClick={onNavigate}
            className={cn(
              "flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium hover:bg-white/10 hover:text-white",
              active ? "bg-white/10 text-white" : "text-slate-300",
            )}
          >
            <Icon aria-hidden className="h-4 w-4" />
            {label}
          </Link>
        );
      })}
    </nav>
  );
}

export const BrandIcon = Activity;
