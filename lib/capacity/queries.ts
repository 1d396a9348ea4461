import { and, asc, desc, eq, gte, isNull } from "drizzle-orm";
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
