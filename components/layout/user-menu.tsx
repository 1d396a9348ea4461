"use client";

import { ChevronDown, KeyRound, LogOut, MonitorX } from "lucide-react";
import Link from "next/link";
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { useSessionActions } from "@/components/auth/session-actions-context";

const ITEM = "flex w-full cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-left outline-none hover:bg-slate-100 focus:bg-slate-100";

/**
 * The account menu in the header, a WAI-ARIA menu button written out (Radix's dropdown and its
 * positioning engine were a quarter of the JavaScript of every console page): Enter, Space or
 * ArrowDown opens it on the first item, ArrowUp on the last; arrows, Home and End move; Escape
 * closes and gives focus back to the button; Tab, a click outside or choosing an item closes it.
 */
export function UserMenu({
  username,
  role,
  logout,
}: {
  username: string;
  role: string;
  /** The sign-out server action, passed by the layout. */
  logout: () => Promise<void>;
}) {
  const { signOutEverywhere } = useSessionActions();
  const [open, setOpen] = useState(false);
  const [focusOn, setFocusOn] = useState<"first" | "last">("first");
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const menuId = useId();

  const items = () => Array.from(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };

  useEffect(() => {
    if (!open) return;
    const list = items();
    (focusOn === "first" ? list[0] : list.at(-1))?.focus();
    const outside = (e: PointerEvent) => {
      const target = e.target as Node;
      if (!menu.current?.contains(target) && !button.current?.contains(target)) setOpen(false);
    };
    document.addEventListener("pointerdown", outside);
    return () => document.removeEventListener("pointerdown", outside);
  }, [open, focusOn]);

  const onButtonKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      setFocusOn(e.key === "ArrowDown" ? "first" : "last");
      setOpen(true);
    }
  };
  const onMenuKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const list = items();
    const at = list.indexOf(document.activeElement as HTMLElement);
    const move = (i: number) => list[(i + list.length) % list.length]?.focus();
    if (e.key === "ArrowDown") move(at + 1);
    else if (e.key === "ArrowUp") move(at - 1);
    else if (e.key === "Home") move(0);
    else if (e.key === "End") move(list.length - 1);
    else if (e.key === "Escape") close(true);
    else if (e.key === "Tab") return setOpen(false);
    else return;
    e.preventDefault();
  };

  return (
    <div className="relative">
      <button
        ref={button}
        type="button"
        className="flex items-center gap-2 rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100"
        aria-label={`Account menu for ${username}`}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => {
          setFocusOn("first");
          setOpen((o) => !o);
        }}
        onKeyDown={onButtonKey}
      >
        <span className="flex h-7 w-7 items-center justify-center rounded-full bg-brand-600 text-xs font-semibold uppercase text-white">
          {username.slice(0, 2)}
        </span>
        <span className="max-w-[10rem] truncate sm:max-w-[16rem]">{username}</span>
        <ChevronDown aria-hidden className="h-4 w-4 text-slate-400" />
      </button>
      {open ? (
        <div
          ref={menu}
          id={menuId}
          role="menu"
          aria-label={`Account menu for ${username}`}
          onKeyDown={onMenuKey}
          className="absolute right-0 top-full z-50 mt-1.5 min-w-52 rounded-md border border-slate-200 bg-white p-1 text-sm shadow-lg"
        >
          <div role="presentation" className="px-2 py-1.5 text-xs text-slate-500">
            Signed in as {role}
          </div>
          <Link href="/account" role="menuitem" tabIndex={-1} className={ITEM} onClick={() => setOpen(false)}>
            <KeyRound aria-hidden className="h-4 w-4" /> Change password
          </Link>
          <div role="separator" className="my-1 h-px bg-slate-100" />
          {[
            { label: "Sign out", Icon: LogOut, run: () => logout() },
            { label: "Sign out everywhere", Icon: MonitorX, run: () => signOutEverywhere({}) },
          ].map(({ label, Icon, run }) => (
            <button
              key={label}
              type="button"
              role="menuitem"
              tabIndex={-1}
              className={ITEM}
              onClick={() => {
                close(false);
                void run();
              }}
            >
              <Icon aria-hidden className="h-4 w-4" /> {label}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
