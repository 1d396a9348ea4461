"use client";

import * as DialogPrimitive from "@radix-ui/react-dialog";
import { Menu, X } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useState } from "react";
import { BrandIcon, Nav } from "./nav";

/**
 * Below the `md` breakpoint the sidebar is hidden: this menu button opens the same navigation
 * in a sheet (a Radix dialog: focus trapped, Escape closes, focus returns to the button).
 */
export function MobileNav() {
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  // Following a link closes the sheet.
  useEffect(() => setOpen(false), [pathname]);
  return (
    <DialogPrimitive.Root open={open} onOpenChange={setOpen}>
      <DialogPrimitive.Trigger
        className="-ml-2 flex h-9 w-9 items-center justify-center rounded-md text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-brand-500 md:hidden"
        aria-label="Open navigation"
      >
        <Menu aria-hidden className="h-5 w-5" />
      </DialogPrimitive.Trigger>
      <DialogPrimitive.Portal>
        <DialogPrimitive.Overlay className="fixed inset-0 z-50 bg-slate-900/40 md:hidden" />
        <DialogPrimitive.Content
          className="fixed inset-y-0 left-0 z-50 flex w-72 max-w-[85vw] flex-col bg-slate-900 px-3 py-5 shadow-xl focus:outline-none md:hidden"
          aria-describedby={undefined}
        >
          <div className="mb-6 flex items-center justify-between px-3">
            <DialogPrimitive.Title asChild>
              <Link href="/providers" className="flex items-center gap-2 text-white" onClick={() => setOpen(false)}>
                <BrandIcon aria-hidden className="h-5 w-5 text-brand-500" />
                <span className="text-lg font-semibold tracking-tight">Cloudport</span>
              </Link>
            </DialogPrimitive.Title>
            <DialogPrimitive.Close
              className="rounded-md p-1 text-slate-300 hover:bg-white/10 hover:text-white focus-visible:outline-2 focus-visible:outline-brand-500"
              aria-label="Close navigation"
            >
              <X aria-hidden className="h-5 w-5" />
            </DialogPrimitive.Close>
          </div>
          <Nav onNavigate={() => setOpen(false)} />
        </DialogPrimitive.Content>
      </DialogPrimitive.Portal>
    </DialogPrimitive.Root>
  );
}
