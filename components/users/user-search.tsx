"use client";

import { Search } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";

const DEBOUNCE_MS = 300;

/** The URL for a set of filters; page is left out so a new search starts at page 1. */
export function userListHref(values: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const key of ["q", "role", "status"]) {
    const v = values[key]?.trim();
    if (v) params.set(key, v);
  }
  const qs = params.toString();
  return qs ? `/users?${qs}` : "/users";
}

/**
 * Search and filters for the user list. The URL holds them (?q=&role=&status=), so a search
 * can be shared and works without JavaScript (the form is a plain GET); with JavaScript,
 * typing updates the list after a short pause and the filters apply at once.
 */
export function UserSearch({ q, role, status }: { q?: string; role?: string; status?: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const form = useRef<HTMLFormElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  function apply() {
    clearTimeout(timer.current);
    if (!form.current) return;
    const data = Object.fromEntries(new FormData(form.current)) as Record<string, string>;
    const href = userListHref(data);
    // replace, not push: every keystroke is not a step Back should walk through.
    startTransition(() => router.replace(href, { scroll: false }));
  }

  return (
    <form
      ref={form}
      method="get"
      action="/users"
      role="search"
      aria-label="Users"
      className="mb-4 flex flex-wrap items-end gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        apply();
      }}
    >
      <div className="w-full max-w-sm">
        <Field id="q" label="Search users" hint="Part of a username, name or email; any capitalisation.">
          <Input
            id="q"
            name="q"
            type="search"
            defaultValue={q}
            placeholder="e.g. cmart"
            autoComplete="off"
            spellCheck={false}
            onChange={() => {
              clearTimeout(timer.current);
              timer.current = setTimeout(apply, DEBOUNCE_MS);
            }}
            onBlur={(e) => {
              // Leaving for a link (a user in the list, the nav) within the pause: that
              // navigation wins, instead of being replaced by the search a moment later.
              if (e.relatedTarget instanceof Element && e.relatedTarget.closest("a")) clearTimeout(timer.current);
            }}
          />
        </Field>
      </div>
      <div className="w-40">
        <Field id="role" label="Role">
          <Select id="role" name="role" defaultValue={role ?? ""} onChange={apply}>
            <option value="">Anyone</option>
            <option value="staff">Staff</option>
            <option value="superuser">Superusers</option>
            <option value="none">Not staff</option>
          </Select>
        </Field>
      </div>
      <div className="w-36">
        <Field id="status" label="Status">
          <Select id="status" name="status" defaultValue={status ?? ""} onChange={apply}>
            <option value="">Any</option>
            <option value="active">Active</option>
            <option value="inactive">Inactive</option>
          </Select>
        </Field>
      </div>
      <Button type="submit" variant="secondary">
        <Search aria-hidden className="h-4 w-4" /> Search
      </Button>
      <span className="pb-2 text-xs text-slate-500" aria-live="polite">
        {pending ? "Searching…" : ""}
      </span>
    </form>
  );
}
