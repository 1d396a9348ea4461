// The allocation engine: what a strategy means for one user, computed from instance
// status-history segments. Pure code, no I/O; every time is UTC.
//
// Semantics (precise, because operators compare these numbers with their own sums):
//
// Counting window [start, now]:
//  - "1 Month - Calendar Window": start = the 1st of now's month, 00:00 UTC; resets on the 1st
//    of the next month.
//  - "1 Month - Calendar Window - Anniversary": the user's anchor day D is the UTC day of the
//    month they joined. The anniversary of month M is day min(D, last day of M), 00:00 UTC, so
//    a user who joined on Jan 31 has anniversaries Jan 31, Feb 28 (Feb 29 in leap years),
//    Mar 31, Apr 30, May 31… The anchor never drifts: clamping in February does not move March.
//    start = the latest anniversary at or before now; resets on the next month's anniversary.
//  - "Count all time": start = the join instant; never resets.
//
// Usage = Σ over segments of |segment ∩ [start, now]| in hours × the rules' multiplier.
// An open segment (end null) runs to now; nothing after now counts.
//  - "Ignore non-active status": only time in ACTIVE counts (case-insensitive); every other
//    status counts zero. That covers Atmosphere's list (build, pending, networking, …, error,
//    unknown, see NON_ACTIVE_STATUSES) and also statuses it forgot (paused, shelved, …).
//  - "Multiply by Size CPU" × vCPUs, "Multiply by Size RAM" × GB of RAM (ramMb / 1024),
//    "Multiply by Size Disk" × GB of root disk. Several multiply rules multiply together.
//    Without any, usage is instance-hours.
//
// Credits = threshold × n, where
//    n = opening + #{ distinct refresh instants e : max(start, join) < e ≤ now }
//  - Refresh instants: "First of the Month" → every 1st at 00:00 UTC; "Anniversary Date" →
//    every monthly anniversary as defined above. Two behaviours firing at the same instant
//    grant one credit, not two.
//  - opening = 1 when a periodic refresh ("First of the Month" / "Anniversary Date") is chosen:
//    a window always opens with one credit (the one granted at its start, or at the join
//    when the user joined inside the window, or the one carried in from the last refresh).
//  - "No Refresh" grants one credit at the join instant: opening = 1 only when the join falls
//    inside the window (always, for "Count all time"); later windows get nothing.
//  - No refresh behaviour at all: no credit.
//  The per-user threshold (an identity's allocation override) replaces the strategy's.
//
// Burn rate = Σ multipliers of the open segments that started by now (per hour).
// Run-out = now + remaining / burn rate, assuming that rate and no further credit; null when
// nothing burns; now itself when nothing remains (remaining ≤ 0: "exhausted").
import { formatAmount } from "./format";

export const COUNTING_BEHAVIORS = [
  "1 Month - Calendar Window",
  "1 Month - Calendar Window - Anniversary",
  "Count all time",
] as const;
export const REFRESH_BEHAVIORS = ["First of the Month", "Anniversary Date", "No Refresh"] as const;
export const RULES_BEHAVIORS = [
  "Ignore non-active status",
  "Multiply by Size CPU",
  "Multiply by Size RAM",
  "Multiply by Size Disk",
] as const;

export type CountingBehavior = (typeof COUNTING_BEHAVIORS)[number];
export type RefreshBehavior = (typeof REFRESH_BEHAVIORS)[number];
export type RulesBehavior = (typeof RULES_BEHAVIORS)[number];
export type Behavior = CountingBehavior | RefreshBehavior | RulesBehavior;

/** One line per behaviour, shown next to it in the editor. */
export const BEHAVIOR_EXPLANATIONS: Record<Behavior, string> = {
  "1 Month - Calendar Window": "Usage counts from the 1st of the month, 00:00 UTC, until now.",
  "1 Month - Calendar Window - Anniversary":
    "Usage counts from the user's monthly join day, 00:00 UTC (days 29–31 fall on the last day of shorter months).",
  "Count all time": "Usage counts from the day the user joined, and never resets.",
  "First of the Month": "Grants one allocation on the 1st of every month (00:00 UTC).",
  "Anniversary Date": "Grants one allocation on the user's monthly join day (clamped to the month's last day).",
  "No Refresh": "Grants one allocation when the user joins, and never again.",
  "Ignore non-active status": "Time an instance spends in any status other than ACTIVE (shut off, suspended, error, building…) counts zero.",
  "Multiply by Size CPU": "Each hour counts once per vCPU of the instance's size.",
  "Multiply by Size RAM": "Each hour counts once per GB of the instance's RAM.",
  "Multiply by Size Disk": "Each hour counts once per GB of the instance's root disk.",
};

/** Atmosphere's list of statuses that "Ignore non-active status" counts as zero (we ignore every non-ACTIVE one). */
export const NON_ACTIVE_STATUSES = [
  "build",
  "pending",
  "networking",
  "deploying",
  "hard_reboot",
  "reboot",
  "migrating",
  "rescue",
  "resize",
  "verify_resize",
  "shutoff",
  "shutting-down",
  "suspended",
  "terminated",
  "deleted",
  "deploy_error",
  "error",
  "unknown",
] as const;

export type AllocationStrategy = {
  countingBehavior: string;
  refreshBehaviors: readonly string[];
  rulesBehaviors: readonly string[];
  /** Units granted per refresh (CPU-hours with the seed's rules). */
  threshold: number;
};

/** One status/size period of an instance; `end` null means it is still going on. */
export type UsageSegment = {
  status: string;
  vcpus: number;
  ramMb: number;
  diskGb: number;
  start: Date;
  end: Date | null;
};

export type CountingWindow = {
  start: Date;
  /** The window runs to "now". */
  end: Date;
  /** When the next window starts; null for "Count all time". */
  resetsAt: Date | null;
};

export type Grant = { at: Date; amount: number; reason: "opening" | "First of the Month" | "Anniversary Date" | "No Refresh" };

export type AllocationResult = {
  window: CountingWindow;
  threshold: number;
  grants: Grant[];
  credits: number;
  usage: number;
  remaining: number;
  /** Units per hour, from open segments that count. */
  burnRatePerHour: number;
  /** Projected run-out at the current burn rate; null when nothing burns and credit remains. */
  runsOutAt: Date | null;
  exhausted: boolean;
  unit: string;
};

export type UsagePoint = { at: Date; usage: number };

const HOUR_MS = 3_600_000;
// The largest instant a Date can hold.
const MAX_DATE_MS = 8.64e15;

// ---------------------------------------------------------------------------
// Calendar helpers (UTC)
// ---------------------------------------------------------------------------

/** Days in month `month0` (0 = January) of `year`, UTC. */
export function daysInMonth(year: number, month0: number): number {
  return new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();
}

/** The anniversary in a month for anchor day `day` (1–31): that day, or the month's last day. */
export function anniversaryInMonth(year: number, month0: number, day: number): Date {
  const d = new Date(Date.UTC(year, month0, 1));
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  return new Date(Date.UTC(y, m, Math.min(day, daysInMonth(y, m))));
}

/** The latest monthly anniversary of `joinedAt` at or before `now`. */
export function anniversaryWindowStart(joinedAt: Date, now: Date): Date {
  const day = joinedAt.getUTCDate();
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const here = anniversaryInMonth(y, m, day);
  return here.getTime() <= now.getTime() ? here : anniversaryInMonth(y, m - 1, day);
}

/** Window starts for anchor days 1–31 at `now` (index 0 unused), so SQL can use the very same dates. */
export function anniversaryStartsByDay(now: Date): Date[] {
  const out: Date[] = [new Date(NaN)];
  for (let day = 1; day <= 31; day++) out.push(anniversaryWindowStart(new Date(Date.UTC(2000, 0, day)), now));
  return out;
}

function firstOfMonth(d: Date, addMonths = 0): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + addMonths, 1));
}

// ---------------------------------------------------------------------------
// Strategy
// ---------------------------------------------------------------------------

type Compiled = {
  counting: CountingBehavior;
  firstOfMonth: boolean;
  anniversary: boolean;
  noRefresh: boolean;
  ignoreNonActive: boolean;
  cpu: boolean;
  ram: boolean;
  disk: boolean;
};

function isOneOf<T extends string>(list: readonly T[], v: string): v is T {
  return (list as readonly string[]).includes(v);
}

/** Checks every behaviour name; throws on an unknown one (saved strategies are validated first). */
export function compileStrategy(s: Pick<AllocationStrategy, "countingBehavior" | "refreshBehaviors" | "rulesBehaviors">): Compiled {
  if (!isOneOf(COUNTING_BEHAVIORS, s.countingBehavior)) throw new Error(`Unknown counting behaviour "${s.countingBehavior}"`);
  for (const r of s.refreshBehaviors) if (!isOneOf(REFRESH_BEHAVIORS, r)) throw new Error(`Unknown refresh behaviour "${r}"`);
  for (const r of s.rulesBehaviors) if (!isOneOf(RULES_BEHAVIORS, r)) throw new Error(`Unknown rules behaviour "${r}"`);
  return {
    counting: s.countingBehavior,
    firstOfMonth: s.refreshBehaviors.includes("First of the Month"),
    anniversary: s.refreshBehaviors.includes("Anniversary Date"),
    noRefresh: s.refreshBehaviors.includes("No Refresh"),
    ignoreNonActive: s.rulesBehaviors.includes("Ignore non-active status"),
    cpu: s.rulesBehaviors.includes("Multiply by Size CPU"),
    ram: s.rulesBehaviors.includes("Multiply by Size RAM"),
    disk: s.rulesBehaviors.includes("Multiply by Size Disk"),
  };
}

/** The unit usage and thresholds are counted in, from the multiply rules. */
export function usageUnit(rulesBehaviors: readonly string[]): string {
  const factors: string[] = [];
  if (rulesBehaviors.includes("Multiply by Size CPU")) factors.push("CPU");
  if (rulesBehaviors.includes("Multiply by Size RAM")) factors.push("GB RAM");
  if (rulesBehaviors.includes("Multiply by Size Disk")) factors.push("GB disk");
  return factors.length ? `${factors.join("·")}-hours` : "instance-hours";
}

/** Units per hour that one segment adds under the rules. */
export function segmentMultiplier(rules: Compiled | AllocationStrategy, seg: Pick<UsageSegment, "status" | "vcpus" | "ramMb" | "diskGb">): number {
  const c = "counting" in rules ? rules : compileStrategy(rules);
  if (c.ignoreNonActive && seg.status.trim().toLowerCase() !== "active") return 0;
  let m = 1;
  if (c.cpu) m *= seg.vcpus;
  if (c.ram) m *= seg.ramMb / 1024;
  if (c.disk) m *= seg.diskGb;
  return m > 0 ? m : 0;
}

/** The counting window at `now` for a user who joined at `joinedAt`. */
export function countingWindow(countingBehavior: string, joinedAt: Date, now: Date): CountingWindow {
  const join = joinedAt.getTime() > now.getTime() ? now : joinedAt;
  switch (countingBehavior) {
    case "1 Month - Calendar Window":
      return { start: firstOfMonth(now), end: now, resetsAt: firstOfMonth(now, 1) };
    case "1 Month - Calendar Window - Anniversary": {
      const start = anniversaryWindowStart(join, now);
      return {
        start,
        end: now,
        resetsAt: anniversaryInMonth(start.getUTCFullYear(), start.getUTCMonth() + 1, join.getUTCDate()),
      };
    }
    case "Count all time":
      return { start: join, end: now, resetsAt: null };
    default:
      throw new Error(`Unknown counting behaviour "${countingBehavior}"`);
  }
}

/** Refresh instants e with after < e ≤ until, each instant once. */
function periodicRefreshes(c: Compiled, joinDay: number, after: Date, until: Date): Grant[] {
  const found = new Map<number, Grant>();
  const a = after.getTime();
  const b = until.getTime();
  // Month by month from the month of `after` to the month of `until`.
  for (let m = firstOfMonth(after); m.getTime() <= b; m = firstOfMonth(m, 1)) {
    if (c.firstOfMonth) {
      const t = m.getTime();
      if (t > a && t <= b && !found.has(t)) found.set(t, { at: m, amount: 0, reason: "First of the Month" });
    }
    if (c.anniversary) {
      const d = anniversaryInMonth(m.getUTCFullYear(), m.getUTCMonth(), joinDay);
      const t = d.getTime();
      if (t > a && t <= b && !found.has(t)) found.set(t, { at: d, amount: 0, reason: "Anniversary Date" });
    }
  }
  return [...found.values()].sort((x, y) => x.at.getTime() - y.at.getTime());
}

/** The credits granted in the window, in order; the first is the window's opening credit. */
export function windowGrants(
  strategy: Pick<AllocationStrategy, "countingBehavior" | "refreshBehaviors" | "rulesBehaviors">,
  threshold: number,
  joinedAt: Date,
  now: Date,
  window: CountingWindow = countingWindow(strategy.countingBehavior, joinedAt, now),
): Grant[] {
  const c = compileStrategy(strategy);
  const join = joinedAt.getTime() > now.getTime() ? now : joinedAt;
  const opensAt = join.getTime() > window.start.getTime() ? join : window.start;
  const grants: Grant[] = [];
  if (c.firstOfMonth || c.anniversary) {
    grants.push({ at: opensAt, amount: threshold, reason: "opening" });
    for (const g of periodicRefreshes(c, join.getUTCDate(), opensAt, now)) grants.push({ ...g, amount: threshold });
  } else if (c.noRefresh && join.getTime() >= window.start.getTime() && join.getTime() <= now.getTime()) {
    grants.push({ at: join, amount: threshold, reason: "No Refresh" });
  }
  return grants;
}

// ---------------------------------------------------------------------------
// Usage
// ---------------------------------------------------------------------------

function overlapMs(seg: UsageSegment, startMs: number, nowMs: number): number {
  const s = Math.max(seg.start.getTime(), startMs);
  const e = Math.min(seg.end ? seg.end.getTime() : nowMs, nowMs);
  return e > s ? e - s : 0;
}

/** Usage of the segments inside [windowStart, now], in the strategy's unit. */
export function usageInWindow(c: Compiled, segments: readonly UsageSegment[], windowStart: Date, now: Date): number {
  const a = windowStart.getTime();
  const b = now.getTime();
  let total = 0;
  for (const seg of segments) {
    const ms = overlapMs(seg, a, b);
    if (ms > 0) total += (ms / HOUR_MS) * segmentMultiplier(c, seg);
  }
  return total;
}

/** Units per hour burnt right now: the open segments that have started and count. */
export function burnRate(c: Compiled, segments: readonly UsageSegment[], now: Date): number {
  let rate = 0;
  for (const seg of segments) {
    if (seg.end === null && seg.start.getTime() <= now.getTime()) rate += segmentMultiplier(c, seg);
  }
  return rate;
}

export type AllocationInput = {
  strategy: AllocationStrategy;
  /** The user's own threshold (identity override); replaces strategy.threshold when set. */
  thresholdOverride?: number | null;
  joinedAt: Date;
  segments: readonly UsageSegment[];
  now: Date;
};

/** Window, credits, usage, balance, burn rate and projected run-out for one user. */
export function computeAllocation(input: AllocationInput): AllocationResult {
  const { strategy, joinedAt, segments, now } = input;
  const c = compileStrategy(strategy);
  const threshold = input.thresholdOverride ?? strategy.threshold;
  const window = countingWindow(c.counting, joinedAt, now);
  const grants = windowGrants(strategy, threshold, joinedAt, now, window);
  const credits = grants.reduce((s, g) => s + g.amount, 0);
  const usage = usageInWindow(c, segments, window.start, now);
  const remaining = credits - usage;
  const rate = burnRate(c, segments, now);
  const exhausted = remaining <= 0;
  let runsOutAt: Date | null = null;
  if (exhausted) runsOutAt = now;
  else if (rate > 0) {
    const t = now.getTime() + (remaining / rate) * HOUR_MS;
    runsOutAt = t < MAX_DATE_MS ? new Date(t) : null;
  }
  return {
    window,
    threshold,
    grants,
    credits,
    usage,
    remaining,
    burnRatePerHour: rate,
    runsOutAt,
    exhausted,
    unit: usageUnit(strategy.rulesBehaviors),
  };
}

/**
 * Cumulative usage across [windowStart, now]: exact, since usage is linear between the
 * instants where a counting segment starts or ends. Points are in time order, first at the
 * window start (0), last at now.
 */
export function usageSeries(
  strategy: AllocationStrategy,
  segments: readonly UsageSegment[],
  windowStart: Date,
  now: Date,
): UsagePoint[] {
  const c = compileStrategy(strategy);
  const a = windowStart.getTime();
  const b = now.getTime();
  const deltas = new Map<number, number>();
  for (const seg of segments) {
    const m = segmentMultiplier(c, seg);
    if (m === 0) continue;
    const s = Math.max(seg.start.getTime(), a);
    const e = Math.min(seg.end ? seg.end.getTime() : b, b);
    if (e <= s) continue;
    deltas.set(s, (deltas.get(s) ?? 0) + m);
    deltas.set(e, (deltas.get(e) ?? 0) - m);
  }
  const times = [...deltas.keys()].sort((x, y) => x - y);
  const points: UsagePoint[] = [{ at: new Date(a), usage: 0 }];
  let rate = 0;
  let usage = 0;
  let t = a;
  for (const at of times) {
    usage += (rate * (at - t)) / HOUR_MS;
    t = at;
    rate += deltas.get(at)!;
    // Float drift must not leave a tiny rate after every segment has ended.
    if (Math.abs(rate) < 1e-9) rate = 0;
    if (at === a) continue;
    points.push({ at: new Date(at), usage });
  }
  if (t < b) {
    usage += (rate * (b - t)) / HOUR_MS;
    points.push({ at: new Date(b), usage });
  }
  return points;
}

/** Cumulative usage at `at`, read off a series (linear between points). */
export function seriesValueAt(points: readonly UsagePoint[], at: Date): number {
  const t = at.getTime();
  if (points.length === 0 || t <= points[0].at.getTime()) return 0;
  for (let i = 1; i < points.length; i++) {
    const p = points[i];
    if (t <= p.at.getTime()) {
      const q = points[i - 1];
      const span = p.at.getTime() - q.at.getTime();
      return span === 0 ? p.usage : q.usage + ((p.usage - q.usage) * (t - q.at.getTime())) / span;
    }
  }
  return points[points.length - 1].usage;
}

// ---------------------------------------------------------------------------
// Words
// ---------------------------------------------------------------------------

export { formatAmount };

function joinWords(parts: string[]): string {
  if (parts.length <= 1) return parts.join("");
  return `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}

/**
 * The strategy in one sentence, e.g. "Counts the calendar month (UTC); recharges 168 CPU-hours
 * on the 1st; ignores time not ACTIVE; multiplies by vCPUs".
 */
export function describeStrategy(s: AllocationStrategy): string {
  const c = compileStrategy(s);
  const unit = usageUnit(s.rulesBehaviors);
  const amount = `${formatAmount(s.threshold)} ${unit}`;
  const parts: string[] = [];
  parts.push(
    c.counting === "1 Month - Calendar Window"
      ? "Counts the calendar month (UTC)"
      : c.counting === "1 Month - Calendar Window - Anniversary"
        ? "Counts the month from each user's join day (UTC)"
        : "Counts all time since each user joined",
  );
  const when: string[] = [];
  if (c.firstOfMonth) when.push("on the 1st");
  if (c.anniversary) when.push("on each user's monthly join day");
  if (when.length) parts.push(`recharges ${amount} ${joinWords(when)}`);
  else if (c.noRefresh) parts.push(`grants ${amount} once, when the user joins`);
  else parts.push("grants no allocation (no refresh behaviour)");
  parts.push(c.ignoreNonActive ? "ignores time not ACTIVE" : "counts time in every status");
  const by: string[] = [];
  if (c.cpu) by.push("vCPUs");
  if (c.ram) by.push("GB of RAM");
  if (c.disk) by.push("GB of disk");
  parts.push(by.length ? `multiplies by ${joinWords(by)}` : "counts instance-hours");
  return parts.join("; ");
}
