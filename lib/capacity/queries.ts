import { and, asc, desc, eq, gte, isNull, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { capacitySnapshots, type CapacitySnapshot } from "@/lib/db/schema";
import type { ClassTotal, HostCapacity } from "@/lib/domain/capacity";
import type { AllocationWatch, QuotaReading, SnapshotContent } from "./types";

export type Snapshot = Omit<CapacitySnapshot, "hosts" | "totals" | "quota" | "allocation"> & SnapshotContent;

const typed = (row: CapacitySnapshot): Snapshot => ({
  ...row,
  hosts: row.hosts as HostCapacity[],
  totals: row.totals as ClassTotal[],
  quota: (row.quota ?? null) as QuotaReading | null,
  allocation: (row.allocation ?? null) as AllocationWatch | null,
});

export async function insertSnapshot(
  db: Db,
  providerId: number,
  content: SnapshotContent,
  extra: { jobId?: string | null; takenAt?: Date } = {},
): Promise<Snapshot> {
  const [row] = await db
    .insert(capacitySnapshots)
    .values({ providerId, ...content, jobId: extra.jobId ?? null, ...(extra.takenAt ? { takenAt: extra.takenAt } : {}) })
    .returning();
  return typed(row);
}

/** The provider's latest snapshot that read the cloud successfully. */
export async function latestSnapshot(db: Db, providerId: number): Promise<Snapshot | undefined> {
  const [row] = await db
    .select()
    .from(capacitySnapshots)
    .where(and(eq(capacitySnapshots.providerId, providerId), isNull(capacitySnapshots.error)))
    .orderBy(desc(capacitySnapshots.takenAt))
    .limit(1);
  return row && typed(row);
}

/** The provider's latest snapshot attempt, failed or not. */
export async function latestAttempt(db: Db, providerId: number): Promise<Snapshot | undefined> {
  const [row] = await db
    .select()
    .from(capacitySnapshots)
    .where(eq(capacitySnapshots.providerId, providerId))
    .orderBy(desc(capacitySnapshots.takenAt))
    .limit(1);
  return row && typed(row);
}

export type TrendRow = { takenAt: Date; totals: ClassTotal[] };

/** Successful snapshots' totals since an instant, oldest first (30 days at 15 min ≈ 2,900 rows). */
export async function snapshotTrend(db: Db, providerId: number, since: Date): Promise<TrendRow[]> {
  const rows = await db
    .select({ takenAt: capacitySnapshots.takenAt, totals: capacitySnapshots.totals })
    .from(capacitySnapshots)
    .where(and(eq(capacitySnapshots.providerId, providerId), isNull(capacitySnapshots.error), gte(capacitySnapshots.takenAt, since)))
    .orderBy(asc(capacitySnapshots.takenAt));
  return rows.map((r) => ({ takenAt: r.takenAt, totals: r.totals as ClassTotal[] }));
}

export type SnapshotRetention = {
  /** Every snapshot younger than this many days is kept. */
  fullDays: number;
  /** Older than this many days, even the daily ones go; 0: kept. */
  retentionDays: number;
};

const DAY_MS = 86_400_000;

/**
 * Thins a provider's old snapshots: beyond `fullDays` only the last successful snapshot of each
 * UTC day stays (failed attempts go), beyond `retentionDays` (if set) none. The provider's latest
 * snapshot and latest attempt always stay, whatever their age, so the pages still show them.
 * Idempotent; returns how many rows it deleted.
 */
export async function pruneSnapshots(db: Db, providerId: number, now: Date, r: SnapshotRetention): Promise<number> {
  const cutoff = new Date(now.getTime() - r.fullDays * DAY_MS).toISOString();
  const hard = r.retentionDays > 0 ? new Date(now.getTime() - r.retentionDays * DAY_MS).toISOString() : null;
  const result = await db.execute(sql`
    with keep as (
      (select id from capacity_snapshots where provider_id = ${providerId} and error is null order by taken_at desc, id desc limit 1)
      union all
      (select id from capacity_snapshots where provider_id = ${providerId} order by taken_at desc, id desc limit 1)
    )
    delete from capacity_snapshots s
    where s.provider_id = ${providerId} and s.taken_at < ${cutoff}::timestamptz
      and s.id not in (select id from keep)
      and (
        ${hard ? sql`s.taken_at < ${hard}::timestamptz or` : sql``}
        s.error is not null
        or exists (
          select 1 from capacity_snapshots t
          where t.provider_id = s.provider_id and t.error is null
            and t.taken_at >= date_trunc('day', s.taken_at, 'UTC') and t.taken_at < date_trunc('day', s.taken_at, 'UTC') + interval '1 day'
            and (t.taken_at, t.id) > (s.taken_at, s.id)
        )
      )
    returning s.id`);
  return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows).length;
}
