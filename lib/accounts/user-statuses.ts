// A job's per-user status map (counts.users of accounts.provision / accounts.remove) can hold
// 10,000 entries; the progress poll (every second) and the page get a bounded slice instead:
// totals per status, every non-done user first (running, then queued), failed users, and done
// users only to fill up. Pure: used by /api/jobs/[id] and the accounts page.

export const USER_STATUSES = ["running", "failed", "queued", "done"] as const;
export type UserStatusName = (typeof USER_STATUSES)[number];
export type UserStatusEntry = { status: UserStatusName; [key: string]: unknown };

/** The most users sent per list. */
export const USERS_SHOWN = 200;

export type UserTotals = Record<UserStatusName, number> & { total: number };

export type UsersQuery =
  /** The default: failed (≤ limit) plus up to `limit` others, running first, then queued, then done. */
  | { mode: "summary"; limit?: number }
  /** One status, paged. */
  | { mode: "status"; status: UserStatusName; offset?: number; limit?: number };

function userMap(counts: unknown): Record<string, UserStatusEntry> | null {
  const users = counts && typeof counts === "object" ? (counts as Record<string, unknown>).users : undefined;
  return users && typeof users === "object" && !Array.isArray(users) ? (users as Record<string, UserStatusEntry>) : null;
}

export function userTotals(users: Record<string, UserStatusEntry>): UserTotals {
  const totals: UserTotals = { running: 0, failed: 0, queued: 0, done: 0, total: 0 };
  for (const s of Object.values(users)) {
    totals.total++;
    if (s && s.status in totals) totals[s.status]++;
  }
  return totals;
}

/**
 * Replaces counts.users with the slice asked for, and adds counts.userTotals and
 * counts.usersTruncated (true when some users were left out). Counts without a user map are
 * returned as they are.
 */
export function trimUserStatuses<T>(counts: T, query: UsersQuery = { mode: "summary" }): T {
  const users = userMap(counts);
  if (!users) return counts;
  const entries = Object.entries(users);
  const limit = Math.max(1, Math.min(USERS_SHOWN, query.limit ?? USERS_SHOWN));
  const byStatus = (status: UserStatusName) => entries.filter(([, s]) => s?.status === status);
  let picked: [string, UserStatusEntry][];
  if (query.mode === "status") {
    const offset = Math.max(0, query.offset ?? 0);
    picked = byStatus(query.status).slice(offset, offset + limit);
  } else {
    const others = [...byStatus("running"), ...byStatus("queued"), ...byStatus("done")].slice(0, limit);
    picked = [...byStatus("failed").slice(0, limit), ...others];
  }
  return {
    ...(counts as Record<string, unknown>),
    users: Object.fromEntries(picked),
    userTotals: userTotals(users),
    usersTruncated: picked.length < entries.length,
  } as T;
}

/** Every username with the status (for "retry the failed"), without the rest of their entries. */
export function usernamesWithStatus(counts: unknown, status: UserStatusName): string[] {
  const users = userMap(counts);
  return users ? Object.entries(users).filter(([, s]) => s?.status === status).map(([u]) => u) : [];
}

/** Reads ?users=&offset=&limit= of /api/jobs/[id]; null when they make no sense. */
export function parseUsersQuery(sp: URLSearchParams): UsersQuery | null {
  const users = sp.get("users");
  const num = (v: string | null) => (v === null ? undefined : /^\d{1,7}$/.test(v) ? Number(v) : NaN);
  const offset = num(sp.get("offset"));
  const limit = num(sp.get("limit"));
  if (Number.isNaN(offset) || Number.isNaN(limit)) return null;
  if (!users || users === "summary" || users === "all") return { mode: "summary", limit };
  if ((USER_STATUSES as readonly string[]).includes(users)) return { mode: "status", status: users as UserStatusName, offset, limit };
  return null;
}
