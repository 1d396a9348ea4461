// Enforcement policy, per-account overrides and events in Postgres (issue 13 §3).
import { and, count, desc, eq, isNull, ne } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { enforcementEvents, enforcementOverrides, enforcementPolicies, identities, notifications, providers, users } from "@/lib/db/schema";
import { DEFAULT_POLICY, ENFORCEMENT_ACTIONS, type EnforcementOverride, type EnforcementPolicy } from "@/lib/domain/enforcement";

export const policySchema = z.object({
  thresholds: z
    .array(z.coerce.number({ message: "Thresholds are whole percents, e.g. 80, 100." }).int("Thresholds are whole percents, e.g. 80, 100.").min(1, "A threshold is at least 1 %.").max(1000, "A threshold is at most 1000 %."))
    .min(1, "Give at least one threshold.")
    .max(10, "Give at most 10 thresholds.")
    .transform((t) => [...new Set(t)].sort((a, b) => a - b)),
  action: z.enum(ENFORCEMENT_ACTIONS),
  graceHours: z.coerce.number().int("Grace is whole hours.").min(0, "Grace cannot be negative.").max(24 * 90, "Grace is at most 90 days."),
  enabled: z.coerce.boolean(),
});

/** The policy with its schedule (interval, next and last run). */
export async function getPolicyRow(db: Db, providerId: number) {
  const [row] = await db.select().from(enforcementPolicies).where(eq(enforcementPolicies.providerId, providerId));
  return row;
}

export async function getPolicy(db: Db, providerId: number): Promise<EnforcementPolicy> {
  const [row] = await db.select().from(enforcementPolicies).where(eq(enforcementPolicies.providerId, providerId));
  if (!row) return { ...DEFAULT_POLICY };
  return { thresholds: row.thresholds, action: row.action as EnforcementPolicy["action"], graceHours: row.graceHours, enabled: row.enabled };
}

export async function savePolicy(db: Db, providerId: number, policy: EnforcementPolicy, userId: number | null, intervalSeconds?: number) {
  const values = { ...policy, updatedBy: userId, ...(intervalSeconds ? { intervalSeconds } : {}) };
  await db.insert(enforcementPolicies).values({ providerId, ...values }).onConflictDoUpdate({ target: enforcementPolicies.providerId, set: { ...values, updatedAt: new Date() } });
}

export async function getOverride(db: Db, identityId: number): Promise<EnforcementOverride> {
  const [row] = await db.select().from(enforcementOverrides).where(eq(enforcementOverrides.identityId, identityId));
  return (row?.override as EnforcementOverride | undefined) ?? "default";
}

export async function setOverride(db: Db, identityId: number, override: EnforcementOverride, userId: number | null, reason: string | null = null) {
  const values = { override, reason, updatedBy: userId };
  await db.insert(enforcementOverrides).values({ identityId, ...values }).onConflictDoUpdate({ target: enforcementOverrides.identityId, set: { ...values, updatedAt: new Date() } });
}

export type NewEvent = typeof enforcementEvents.$inferInsert;

/** Records an event; a threshold notice already recorded for this period returns false (dedupe). */
export async function recordEvent(db: Db, ev: NewEvent): Promise<boolean> {
  const rows = await db.insert(enforcementEvents).values(ev).onConflictDoNothing().returning({ id: enforcementEvents.id });
  return rows.length > 0;
}

export async function listEvents(db: Db, identityId: number, limit = 50) {
  return db.select().from(enforcementEvents).where(eq(enforcementEvents.identityId, identityId)).orderBy(desc(enforcementEvents.createdAt), desc(enforcementEvents.id)).limit(limit);
}

export type EventRow = typeof enforcementEvents.$inferSelect & { username: string; userId: number };

/** A provider's events (newest first), paged, with the account's username; notices optional. */
export async function providerEventsPage(db: Db, providerId: number, opts: { page: number; pageSize: number; includeNotices?: boolean }) {
  const where = opts.includeNotices
    ? eq(enforcementEvents.providerId, providerId)
    : and(eq(enforcementEvents.providerId, providerId), ne(enforcementEvents.kind, "notify"));
  const [rows, [{ n }]] = await Promise.all([
    db
      .select({ event: enforcementEvents, username: users.username, userId: users.id })
      .from(enforcementEvents)
      .innerJoin(identities, eq(identities.id, enforcementEvents.identityId))
      .innerJoin(users, eq(users.id, identities.userId))
      .where(where)
      .orderBy(desc(enforcementEvents.createdAt), desc(enforcementEvents.id))
      .limit(opts.pageSize)
      .offset((opts.page - 1) * opts.pageSize),
    db.select({ n: count() }).from(enforcementEvents).where(where),
  ]);
  return { rows: rows.map((r) => ({ ...r.event, username: r.username, userId: r.userId })), total: Number(n) };
}

/** Notifications (newest first), paged; `unread` keeps only those not yet read. */
export async function notificationsPage(db: Db, opts: { page: number; pageSize: number; unread?: boolean }) {
  const where = opts.unread ? isNull(notifications.readAt) : undefined;
  const [rows, [{ n }], [{ unread }]] = await Promise.all([
    db
      .select({ n: notifications, username: users.username, providerName: providers.name })
      .from(notifications)
      .leftJoin(users, eq(users.id, notifications.userId))
      .leftJoin(providers, eq(providers.id, notifications.providerId))
      .where(where)
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(opts.pageSize)
      .offset((opts.page - 1) * opts.pageSize),
    db.select({ n: count() }).from(notifications).where(where),
    db.select({ unread: count() }).from(notifications).where(isNull(notifications.readAt)),
  ]);
  return { rows: rows.map((r) => ({ ...r.n, username: r.username, providerName: r.providerName })), total: Number(n), unread: Number(unread) };
}
