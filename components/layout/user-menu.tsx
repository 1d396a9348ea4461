"use client";

import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { ChevronDown, KeyRound, LogOut, MonitorX } from "lucide-react";
import Link from "next/link";
import { useSessionActions } from "@/components/auth/session-actions-context";

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
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger
        className="flex items-center gap-2 rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100"
        aria-label={`Account menu for ${username}`}
      >
        <span className="flex h-7 w-7 items-center justify-center rounded-full bg-brand-600 text-xs font-semibold uppercase text-white">
          {username.slice(0, 2)}
        </span>
        <span className="max-w-[10rem] truncate sm:max-w-[16rem]">{username}</span>
        <ChevronDown aria-hidden className="h-4 w-4 text-slate-400" />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="end"
          sideOffset={6}
          className="z-50 min-w-52 rounded-md border border-slate-200 bg-white p-1 text-sm shadow-lg"
        >
          <DropdownMenu.Label className="px-2 py-1.5 text-xs text-slate-500">Signed in as {role}</DropdownMenu.Label>
          <DropdownMenu.Item asChild>
            <Link href="/account" className="flex items-center gap-2 rounded px-2 py-1.5 outline-none data-[highlighted]:bg-slate-100">
              <KeyRound aria-hidden className="h-4 w-4" /> Change password
            </Link>
          </DropdownMenu.Item>
          <DropdownMenu.Separator className="my-1 h-px bg-slate-100" />
          <DropdownMenu.Item
            className="flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 outline-none data-[highlighted]:bg-slate-100"
            onSelect={() => void logout()}
          >
            <LogOut aria-hidden className="h-4 w-4" /> Sign out
          </DropdownMenu.Item>
          <DropdownMenu.Item
            className="flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 outline-none data-[highlighted]:bg-slate-100"
            onSelect={() => void signOutEverywhere({})}
          >
            <MonitorX aria-hidden className="h-4 w-4" /> Sign out everywhere
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
