import { and, lt, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { loginThrottle } from "@/lib/db/schema";
import { throttleNetwork } from "./client-ip";

// Sign-in throttling with exponential back-off, never a hard lock.
//
// Two counters per attempt, each one row of login_throttle changed by a single upsert (so
// parallel attempts each get their own count; there is no count-then-insert window):
//  - per (username, IP): USER_IP_FREE attempts, then a back-off that doubles with every further
//    failure. A stranger's failures from their address never slow the owner down elsewhere,
//    so no one can keep an account (the last superuser included) locked.
//  - per IP, all usernames: IP_FREE failures, then the same back-off (password spraying).
// The attempt is counted *before* the password is checked; a success then gives it back (the
// (username, IP) row is deleted, the IP count goes down by one). While a key is backing off,
// attempts are refused without checking the password and do not extend the wait.
// A key idle for IDLE_RESET_MS starts again from zero, and such rows are pruned.

export const USER_IP_FREE = 5;
export const IP_FREE = 50;
export const BASE_DELAY_MS = 30_000;
export const MAX_DELAY_MS = 60 * 60 * 1000;
export const IDLE_RESET_MS = 24 * 60 * 60 * 1000;

/** How long a key waits after its n-th counted attempt (0 below the free allowance). */
export function backoffMs(n: number, free: number): number {
  if (n < free) return 0;
  return Math.min(BASE_DELAY_MS * 2 ** Math.min(n - free, 30), MAX_DELAY_MS);
}

// An IPv6 client counts by its /64 (lib/auth/client-ip.ts throttleNetwork): rotating through
// the addresses of one's own /64 must not reset either counter.
export const userIpKey = (username: string, ip: string) => `u ${throttleNetwork(ip)} ${username.trim().toLowerCase()}`;
export const ipKey = (ip: string) => `ip ${throttleNetwork(ip)}`;

type Reserved = { ok: true; failures: number } | { ok: false; retryAt: Date };

/**
 * Counts one attempt against `key` unless it is backing off; atomically (one INSERT … ON
 * CONFLICT DO UPDATE … WHERE, which row-locks the key). Returns the new count, or when the key
 * may be tried again.
 */
export async function reserveAttempt(db: Db, key: string, free: number, now: Date): Promise<Reserved> {
  const idleBefore = new Date(now.getTime() - IDLE_RESET_MS);
  const at = now.toISOString();
  const n = sql`(case when ${loginThrottle.lastAt} < ${idleBefore.toISOString()}::timestamptz then 1 else ${loginThrottle.failures} + 1 end)`;
  const blockedFor = (count: ReturnType<typeof sql>) =>
    sql`(case when ${count} >= ${free}::int then ${at}::timestamptz + least(${BASE_DELAY_MS}::float8 * power(2, least(${count} - ${free}::int, 30)), ${MAX_DELAY_MS}::float8) * interval '1 millisecond' end)`;
  const rows = await db
    .insert(loginThrottle)
    .values({ key, failures: 1, lastAt: now, blockedUntil: backoffMs(1, free) ? new Date(now.getTime() + backoffMs(1, free)) : null })
    .onConflictDoUpdate({
      target: loginThrottle.key,
      set: { failures: n, lastAt: now, blockedUntil: blockedFor(n) },
      setWhere: sql`${loginThrottle.blockedUntil} is null or ${loginThrottle.blockedUntil} <= ${at}::timestamptz`,
    })
    .returning({ failures: loginThrottle.failures });
  if (rows.length) return { ok: true, failures: rows[0].failures };
  const [row] = await db
    .select({ blockedUntil: loginThrottle.blockedUntil })
    .from(loginThrottle)
    .where(sql`${loginThrottle.key} = ${key}`);
  return { ok: false, retryAt: row?.blockedUntil ?? now };
}

/** Gives one counted attempt back (a success); the back-off is lifted when the count drops below `free`. */
export async function releaseAttempt(db: Db, key: string, free: number): Promise<void> {
  await db
    .update(loginThrottle)
    .set({
      failures: sql`greatest(${loginThrottle.failures} - 1, 0)`,
      blockedUntil: sql`case when ${loginThrottle.failures} - 1 >= ${free}::int then ${loginThrottle.blockedUntil} end`,
    })
    .where(sql`${loginThrottle.key} = ${key}`);
}

/** Forgets a key (a successful sign-in for that username from that address). */
export async function clearKey(db: Db, key: string): Promise<void> {
  await db.delete(loginThrottle).where(sql`${loginThrottle.key} = ${key}`);
}

/** Deletes rows idle for longer than IDLE_RESET_MS (they would restart from zero anyway). */
export async function pruneLoginThrottle(db: Db, now: Date = new Date()): Promise<number> {
  const idleBefore = new Date(now.getTime() - IDLE_RESET_MS);
  const gone = await db
    .delete(loginThrottle)
    .where(and(lt(loginThrottle.lastAt, idleBefore), sql`(${loginThrottle.blockedUntil} is null or ${loginThrottle.blockedUntil} <= ${now.toISOString()}::timestamptz)`))
    .returning({ key: loginThrottle.key });
  return gone.length;
}

const PRUNE_EVERY_MS = 10 * 60 * 1000;
let lastPrune = 0;
/** Prunes at most every ten minutes per process; called on sign-in attempts. */
export async function maybePruneLoginThrottle(db: Db, now: Date = new Date()): Promise<void> {
  if (Date.now() - lastPrune < PRUNE_EVERY_MS) return;
  lastPrune = Date.now();
  await pruneLoginThrottle(db, now);
}

/** "in 4 minutes" / "in 30 seconds": when a throttled person may try again. */
export function retryIn(retryAt: Date, now: Date = new Date()): string {
  const s = Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 1000));
  if (s < 90) return `in ${s} second${s === 1 ? "" : "s"}`;
  const m = Math.ceil(s / 60);
  return `in ${m} minute${m === 1 ? "" : "s"}`;
}
