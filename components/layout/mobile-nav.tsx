"use client";

import { Menu, X } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { BrandIcon, Nav } from "./nav";

/**
 * Below the `md` breakpoint the sidebar is hidden: this menu button opens the same navigation
 * in a sheet. The sheet is the browser's own modal <dialog> (showModal: the page behind is
 * inert, so focus stays inside; Escape closes), which keeps a dialog library out of every
 * console page's JavaScript; focus goes back to the button when it closes.
 */
export function MobileNav() {
  const [open, setOpen] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const pathname = usePathname();
  // Following a link closes the sheet.
  useEffect(() => setOpen(false), [pathname]);
  // A modal sheet left open while the window grows past md would leave the page inert.
  useEffect(() => {
    const wide = window.matchMedia("(min-width: 768px)");
    const onChange = () => wide.matches && setOpen(false);
    wide.addEventListener("change", onChange);
    return () => wide.removeEventListener("change", onChange);
  }, []);
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) {
      d.close();
      button.current?.focus();
    }
  }, [open]);

  return (
    <>
      <button
        ref={button}
        type="button"
        className="-ml-2 flex h-9 w-9 items-center justify-center rounded-md text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-brand-500 md:hidden"
        aria-label="Open navigation"
        aria-haspopup="dialog"
        aria-expanded={open}
        onClick={() => setOpen(true)}
      >
        <Menu aria-hidden className="h-5 w-5" />
      </button>
      <dialog
        ref={dialog}
        aria-labelledby="mobile-nav-title"
        // Escape (the browser's cancel) and a click on the backdrop close it.
        onCancel={(e) => {
          e.preventDefault();
          setOpen(false);
        }}
        onClick={(e) => {
          if (e.target === dialog.current) setOpen(false);
        }}
        className="fixed inset-y-0 left-0 m-0 h-full max-h-none w-72 max-w-[85vw] flex-col bg-slate-900 px-3 py-5 shadow-xl backdrop:bg-slate-900/40 focus:outline-none open:flex md:hidden"
      >
        <div className="mb-6 flex items-center justify-between px-3">
          <Link href="/providers" id="mobile-nav-title" className="flex items-center gap-2 text-white" onClick={() => setOpen(false)}>
            <BrandIcon aria-hidden className="h-5 w-5 text-brand-500" />
            <span className="text-lg font-semibold tracking-tight">Cloudport</span>
          </Link>
          <button
            type="button"
            className="rounded-md p-1 text-slate-300 hover:bg-white/10 hover:text-white focus-visible:outline-2 focus-visible:outline-brand-500"
            aria-label="Close navigation"
            onClick={() => setOpen(false)}
          >
            <X aria-hidden className="h-5 w-5" />
          </button>
        </div>
        <Nav onNavigate={() => setOpen(false)} />
      </dialog>
    </>
  );
}
