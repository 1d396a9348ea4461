// Capacity snapshots run on the imports' schedule mechanism: a row per provider in
// import_schedules (resource "capacity"), claimed by the same atomic UPDATE pattern and ticked
// by the same scheduler loop (lib/imports/scheduler.ts), queued as a durable job.
import { and, eq, inArray, lte, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { importSchedules, providers, type ImportSchedule } from "@/lib/db/schema";
import { env } from "@/lib/env";
import { enqueueJob } from "@/lib/jobs/queue";

export const CAPACITY_RESOURCE = "capacity";
export const CAPACITY_SNAPSHOT_JOB = "capacity.snapshot";
/** Every 15 minutes unless CLOUDPORT_CAPACITY_INTERVAL_SECONDS says otherwise (for new schedules). */
export const DEFAULT_CAPACITY_INTERVAL_SECONDS = 15 * 60;

export function capacityIntervalSeconds(): number {
  return env().CLOUDPORT_CAPACITY_INTERVAL_SECONDS;
}

export const capacityDedupeKey = (providerId: number) => `capacity:snapshot:${providerId}`;

/** Creates the missing capacity schedule rows; new rows are due at once. */
export async function ensureCapacitySchedules(db: Db, providerId?: number): Promise<void> {
  await db.execute(sql`
    insert into ${importSchedules} (provider_id, resource, interval_seconds)
    select p.id, ${CAPACITY_RESOURCE}, ${capacityIntervalSeconds()}::int from ${providers} p
    ${providerId === undefined ? sql`` : sql`where p.id = ${providerId}`}
    on conflict (provider_id, resource) do nothing`);
}

export async function getCapacitySchedule(db: Db, providerId: number): Promise<ImportSchedule | undefined> {
  await ensureCapacitySchedules(db, providerId);
  const [row] = await db
    .select()
    .from(importSchedules)
    .where(and(eq(importSchedules.providerId, providerId), eq(importSchedules.resource, CAPACITY_RESOURCE)));
  return row;
}

/** Claims due capacity schedules of active providers (one instance wins each), moving them one interval on. */
export async function claimDueCapacity(db: Db): Promise<Array<{ providerId: number; scheduleId: number }>> {
  const active = db.select({ id: providers.id }).from(providers).where(eq(providers.isActive, true));
  return db
    .update(importSchedules)
    .set({ nextRunAt: sql`now() + make_interval(secs => ${importSchedules.intervalSeconds})` })
    .where(
      and(
        eq(importSchedules.resource, CAPACITY_RESOURCE),
        eq(importSchedules.enabled, true),
        lte(importSchedules.nextRunAt, sql`now()`),
        inArray(importSchedules.providerId, active),
      ),
    )
    .returning({ providerId: importSchedules.providerId, scheduleId: importSchedules.id });
}

/** Queues a snapshot job for the provider, or returns the one already queued/running. */
export async function enqueueSnapshot(db: Db, providerId: number, trigger: "schedule" | "manual", createdBy: number | null = null) {
  return enqueueJob(db, {
    kind: CAPACITY_SNAPSHOT_JOB,
    providerId,
    params: { trigger },
    createdBy,
    // The next tick takes another: retrying a snapshot of the past is pointless.
    maxAttempts: 1,
    dedupeKey: capacityDedupeKey(providerId),
  });
}

/** One scheduler step for capacity (called by the imports' scheduler loop). */
export async function runCapacitySchedulerTick(db: Db): Promise<Array<{ providerId: number; jobId: string; created: boolean }>> {
  await ensureCapacitySchedules(db);
  const out = [];
  for (const d of await claimDueCapacity(db)) {
    const { job, created } = await enqueueSnapshot(db, d.providerId, "schedule");
    out.push({ providerId: d.providerId, jobId: job.id, created });
  }
  return out;
}
