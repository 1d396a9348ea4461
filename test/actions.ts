import type { SessionUser } from "@/lib/auth/dal";
import type { ActionDeps } from "@/lib/actions/safe-action";
import type { Db } from "@/lib/db/client";
import { listAuditEntries } from "@/lib/db/queries/audit";
import { makeUser } from "./db";

export const TEST_IP = "10.9.8.7";

/** Deps for `runAction` as a new user with these flags (or with no session). */
export async function depsAs(db: Db, flags: (Partial<SessionUser> & { password?: string }) | null): Promise<ActionDeps & { user: SessionUser | null }> {
  const user = flags
    ? // Signed in just now with a password: actions that need a fresh sign-in (lib/auth/fresh.ts) accept it.
      ({ authTime: Date.now(), hasPassword: true, ...(await makeUser(db, { username: `op${Math.random().toString(36).slice(2, 7)}`, ...flags })) } as SessionUser)
    : null;
  return { user, getUser: async () => user, getDb: async () => db, getIp: async () => TEST_IP };
}

/** The audit rows, oldest first. */
export async function auditRows(db: Db) {
  return (await listAuditEntries(db, { pageSize: 100 })).rows.reverse();
}

/** What Next's redirect() threw, as the URL it redirects to (runAction passes it through). */
export async function redirectOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const digest = String((error as { digest?: string }).digest ?? "");
    const m = /^NEXT_REDIRECT;[^;]*;([^;]*);/.exec(digest);
    if (m) return m[1];
    throw error;
  }
  throw new Error("expected a redirect, the action returned");
}
