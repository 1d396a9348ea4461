// What the allocation pages and actions need, built from the queries and the pure engine.
// No "server-only": the benchmark script runs this under tsx.
import { ActionError } from "@/lib/actions/errors";
import type { Db } from "@/lib/db/client";
import { getProvider } from "@/lib/db/queries/providers";
import {
  computeAllocation,
  countingWindow,
  describeStrategy,
  usageSeries,
  usageUnit,
  type AllocationResult,
  type AllocationStrategy,
  type UsagePoint,
  type UsageSegment,
} from "@/lib/domain/allocation";
import {
  countProviderUsers,
  getProviderUser,
  getStrategy,
  loadSegments,
  rankUsersByUsage,
  upsertStrategy,
  type ProviderUserRow,
  type SegmentRow,
  type StrategyRow,
} from "./queries";

/** The engine's view of a stored strategy. */
export function strategyOf(row: Pick<StrategyRow, "countingBehavior" | "refreshBehaviors" | "rulesBehaviors" | "threshold">): AllocationStrategy {
  return {
    countingBehavior: row.countingBehavior,
    refreshBehaviors: [...row.refreshBehaviors],
    rulesBehaviors: [...row.rulesBehaviors],
    threshold: Number(row.threshold),
  };
}

export type UserAllocation = ProviderUserRow & { result: AllocationResult };

function groupByUser(segments: SegmentRow[]): Map<number, UsageSegment[]> {
  const by = new Map<number, UsageSegment[]>();
  for (const s of segments) {
    let list = by.get(s.userId);
    if (!list) by.set(s.userId, (list = []));
    list.push(s);
  }
  return by;
}

/** Segments of these users overlapping any of the strategies' windows, by user (one query). */
async function segmentsFor(
  db: Db,
  providerId: number,
  strategies: AllocationStrategy[],
  people: ProviderUserRow[],
  now: Date,
): Promise<Map<number, UsageSegment[]>> {
  if (people.length === 0) return new Map();
  let since = now;
  for (const s of strategies) {
    for (const p of people) {
      const start = countingWindow(s.countingBehavior, p.joinedAt, now).start;
      if (start < since) since = start;
    }
  }
  return groupByUser(await loadSegments(db, providerId, people.map((p) => p.userId), since, now));
}

function runEngine(strategy: AllocationStrategy, people: ProviderUserRow[], segments: Map<number, UsageSegment[]>, now: Date): UserAllocation[] {
  return people.map((p) => ({
    ...p,
    result: computeAllocation({ strategy, thresholdOverride: p.override, joinedAt: p.joinedAt, segments: segments.get(p.userId) ?? [], now }),
  }));
}

/** Runs the engine for each user, loading only their segments (one query for all of them). */
export async function allocationsFor(
  db: Db,
  providerId: number,
  strategy: AllocationStrategy,
  people: ProviderUserRow[],
  now: Date,
): Promise<UserAllocation[]> {
  return runEngine(strategy, people, await segmentsFor(db, providerId, [strategy], people, now), now);
}

export type UsagePageOptions = { search?: string; sort?: "usage" | "username"; page?: number; pageSize?: number; now?: Date };

/**
 * One page of the provider's usage table: SQL ranks every user by usage (so sorting covers all
 * 10,000), then the engine computes the page's rows from their own segments.
 */
export async function getUsagePage(db: Db, providerId: number, strategy: AllocationStrategy, opts: UsagePageOptions = {}) {
  const now = opts.now ?? new Date();
  const pageSize = Math.min(Math.max(opts.pageSize ?? 25, 1), 200);
  const page = Math.max(opts.page ?? 1, 1);
  const [ranked, total] = await Promise.all([
    rankUsersByUsage(db, { providerId, strategy, now, search: opts.search, sort: opts.sort, limit: pageSize, offset: (page - 1) * pageSize }),
    countProviderUsers(db, providerId, opts.search),
  ]);
  const rows = await allocationsFor(db, providerId, strategy, ranked, now);
  return { rows, total, page, pageSize, now };
}

export type UserUsageDetail = {
  user: ProviderUserRow;
  strategy: AllocationStrategy;
  result: AllocationResult;
  series: UsagePoint[];
  instances: Array<{ instanceId: number; name: string; serverId: string; segments: UsageSegment[] }>;
};

/** One user's allocation on the provider with the cumulative usage series for the chart. */
export async function getUserUsage(db: Db, providerId: number, userId: number, now = new Date()): Promise<UserUsageDetail | undefined> {
  const [row, user] = await Promise.all([getStrategy(db, providerId), getProviderUser(db, providerId, userId)]);
  if (!row || !user) return undefined;
  const strategy = strategyOf(row);
  const window = countingWindow(strategy.countingBehavior, user.joinedAt, now);
  const segments = await loadSegments(db, providerId, [userId], window.start, now);
  const result = computeAllocation({ strategy, thresholdOverride: user.override, joinedAt: user.joinedAt, segments, now });
  const byInstance = new Map<number, UserUsageDetail["instances"][number]>();
  for (const s of segments) {
    let entry = byInstance.get(s.instanceId);
    if (!entry) byInstance.set(s.instanceId, (entry = { instanceId: s.instanceId, name: s.instanceName, serverId: s.serverId, segments: [] }));
    entry.segments.push(s);
  }
  return { user, strategy, result, series: usageSeries(strategy, segments, window.start, now), instances: [...byInstance.values()] };
}

export type PreviewRow = {
  userId: number;
  username: string;
  before: { usage: number; credits: number; remaining: number } | null;
  after: { usage: number; credits: number; remaining: number };
};

export type StrategyPreview = {
  /** The saved strategy the five were picked by; null when the provider has none yet. */
  rankedBy: "saved" | "proposed";
  beforeUnit: string | null;
  afterUnit: string;
  summary: string;
  rows: PreviewRow[];
};

const brief = (r: AllocationResult) => ({ usage: r.usage, credits: r.credits, remaining: r.remaining });

/**
 * How a proposed strategy would change the five heaviest users of this period, the heaviest
 * being ranked by the saved strategy (by the proposed one when none is saved yet).
 */
export async function previewStrategyChange(db: Db, providerId: number, proposed: AllocationStrategy, now = new Date()): Promise<StrategyPreview> {
  const savedRow = await getStrategy(db, providerId);
  const saved = savedRow ? strategyOf(savedRow) : null;
  const top = await rankUsersByUsage(db, { providerId, strategy: saved ?? proposed, now, limit: 5 });
  const segments = await segmentsFor(db, providerId, saved ? [saved, proposed] : [proposed], top, now);
  const before = saved ? runEngine(saved, top, segments, now) : null;
  const after = runEngine(proposed, top, segments, now);
  return {
    rankedBy: saved ? "saved" : "proposed",
    beforeUnit: saved ? usageUnit(saved.rulesBehaviors) : null,
    afterUnit: usageUnit(proposed.rulesBehaviors),
    summary: describeStrategy(proposed),
    rows: top.map((u, i) => ({
      userId: u.userId,
      username: u.username,
      before: before ? brief(before[i].result) : null,
      after: brief(after[i].result),
    })),
  };
}

export type SavedStrategy = { before: AllocationStrategy | null; after: AllocationStrategy; summary: string; providerName: string };

/** Creates or replaces the provider's strategy (input already validated). */
export async function saveStrategy(db: Db, providerId: number, input: AllocationStrategy): Promise<SavedStrategy> {
  const provider = await getProvider(db, providerId);
  if (!provider) throw new ActionError("not_found", `There is no provider ${providerId}. It may have been deleted.`);
  const beforeRow = await getStrategy(db, providerId);
  const row = await upsertStrategy(db, providerId, input);
  const after = strategyOf(row);
  return { before: beforeRow ? strategyOf(beforeRow) : null, after, summary: describeStrategy(after), providerName: provider.name };
}
