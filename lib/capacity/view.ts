import "server-only";
// What the capacity tab shows: live Placement (falling back to the latest snapshot when the
// cloud cannot be read), the fit of every imported flavor, Placement's answer for a chosen one,
// quota against capacity and the 30-day trend.
import { and, asc, desc, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { jobs, sizes } from "@/lib/db/schema";
import {
  classTotals,
  flavorNeeds,
  fullIn,
  oversubscription,
  sortClasses,
  whatStillFits,
  type ClassTotal,
  type FitReport,
  type FlavorNeeds,
  type FullIn,
  type HostCapacity,
  type Oversubscription,
  type TrendPoint,
} from "@/lib/domain/capacity";
import { toJobView, type JobView } from "@/lib/jobs/view";
import { openAdminClient } from "@/lib/providers/connection";
import { redactSecrets } from "@/lib/redact";
import { placementCandidates, readHosts, type PlacementAnswer } from "./placement";
import { latestAttempt, latestSnapshot, snapshotTrend, type Snapshot } from "./queries";
import { CAPACITY_SNAPSHOT_JOB, getCapacitySchedule } from "./schedule";
import type { QuotaReading } from "./types";

const DAY_MS = 86_400_000;
/** Points drawn per chart; older ones are thinned evenly. */
const CHART_POINTS = 240;

export type ClassTrend = { resourceClass: string; points: TrendPoint[]; fullIn: FullIn };

export type CapacityPage = {
  hosts: HostCapacity[];
  totals: ClassTotal[];
  /** "live" from Placement now, or "snapshot" when the cloud could not be read. */
  source: { kind: "live"; at: Date } | { kind: "snapshot"; at: Date; error: string } | { kind: "none"; error: string };
  fits: FitReport;
  chosen: FlavorNeeds | null;
  candidates: PlacementAnswer | null;
  candidatesError: string | null;
  quota: { reading: QuotaReading; at: Date; rows: Oversubscription[] } | null;
  trends: ClassTrend[];
  lastSnapshot: Snapshot | undefined;
  lastAttemptError: string | null;
  schedule: { intervalSeconds: number; nextRunAt: Date; enabled: boolean } | null;
  liveJob: JobView | null;
};

const messageOf = (e: unknown) => redactSecrets(e instanceof Error ? e.message : String(e));

function thin<T>(items: T[], max: number): T[] {
  if (items.length <= max) return items;
  const step = items.length / max;
  const out = Array.from({ length: max - 1 }, (_, i) => items[Math.floor(i * step)]);
  out.push(items[items.length - 1]);
  return out;
}

export async function loadCapacityPage(db: Db, providerId: number, opts: { flavorId?: string; now?: Date } = {}): Promise<CapacityPage> {
  const now = opts.now ?? new Date();
  const [flavorRows, snapshot, attempt, trendRows, schedule, [running]] = await Promise.all([
    db
      .select()
      .from(sizes)
      .where(and(eq(sizes.providerId, providerId), isNull(sizes.endDate)))
      .orderBy(asc(sizes.name)),
    latestSnapshot(db, providerId),
    latestAttempt(db, providerId),
    snapshotTrend(db, providerId, new Date(now.getTime() - 30 * DAY_MS)),
    getCapacitySchedule(db, providerId),
    db
      .select()
      .from(jobs)
      .where(and(eq(jobs.providerId, providerId), eq(jobs.kind, CAPACITY_SNAPSHOT_JOB), inArray(jobs.state, ["queued", "running"])))
      .orderBy(desc(jobs.createdAt))
      .limit(1),
  ]);
  const flavors = flavorRows.map(flavorNeeds);
  const chosen = flavors.find((f) => f.id === opts.flavorId) ?? null;

  let hosts: HostCapacity[] = [];
  let source: CapacityPage["source"];
  let candidates: PlacementAnswer | null = null;
  let candidatesError: string | null = null;
  try {
    const { client } = await openAdminClient(db, providerId, { timeoutMs: 10_000 });
    try {
      hosts = await readHosts(client);
      source = { kind: "live", at: new Date() };
      if (chosen) {
        try {
          candidates = await placementCandidates(client, chosen.resources, new Map(hosts.map((h) => [h.uuid, h.name])));
        } catch (error) {
          candidatesError = messageOf(error);
        }
      }
    } finally {
      await client.close();
    }
  } catch (error) {
    if (snapshot) {
      hosts = snapshot.hosts;
      source = { kind: "snapshot", at: snapshot.takenAt, error: messageOf(error) };
    } else source = { kind: "none", error: messageOf(error) };
  }

  const totals = classTotals(hosts);
  const trends = sortClasses(trendRows.flatMap((r) => r.totals.map((t) => t.resourceClass))).map((rc) => {
    const points = trendRows.flatMap((r) => {
      const t = r.totals.find((x) => x.resourceClass === rc);
      return t ? [{ at: r.takenAt, used: t.used, usable: t.usable }] : [];
    });
    return { resourceClass: rc, points: thin(points, CHART_POINTS), fullIn: fullIn(points, now) };
  });
  const quota = snapshot?.quota
    ? { reading: snapshot.quota, at: snapshot.takenAt, rows: oversubscription(snapshot.quota.granted, totals.length ? totals : snapshot.totals) }
    : null;

  return {
    hosts,
    totals,
    source,
    fits: whatStillFits(hosts, flavors),
    chosen,
    candidates,
    candidatesError,
    quota,
    trends,
    lastSnapshot: snapshot,
    lastAttemptError: attempt?.error ?? null,
    schedule: schedule ? { intervalSeconds: schedule.intervalSeconds, nextRunAt: schedule.nextRunAt, enabled: schedule.enabled } : null,
    liveJob: running ? toJobView(running) : null,
  };
}
