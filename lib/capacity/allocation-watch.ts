// Users near or over their allocation, for the console home. Uses the allocation module's SQL
// ranking (heaviest users first) and its engine for the exact percentage of those users; the
// snapshot job computes it, so the home only reads a stored figure.
import { rankUsersByUsage, getStrategy } from "@/lib/allocation/queries";
import { allocationsFor, strategyOf } from "@/lib/allocation/service";
import type { Db } from "@/lib/db/client";
import type { AllocationWatch } from "./types";

/** The heaviest users checked per provider; anyone further down the ranking uses less. */
export const WATCH_LIMIT = 500;

/** Null when the provider has no allocation strategy (nothing is allocated there). */
export async function allocationWatch(db: Db, providerId: number, now = new Date(), limit = WATCH_LIMIT): Promise<AllocationWatch | null> {
  const row = await getStrategy(db, providerId);
  if (!row) return null;
  const strategy = strategyOf(row);
  const ranked = await rankUsersByUsage(db, { providerId, strategy, now, sort: "usage", limit });
  const people = await allocationsFor(db, providerId, strategy, ranked.filter((r) => r.usage > 0 && r.live), now);
  const percent = (credits: number, usage: number) => (credits > 0 ? (usage / credits) * 100 : Number.POSITIVE_INFINITY);
  const scored = people
    .map((p) => ({ userId: p.userId, username: p.username, percent: percent(p.result.credits, p.result.usage) }))
    .filter((p) => p.percent >= 80)
    .sort((a, b) => b.percent - a.percent || a.username.localeCompare(b.username));
  const lastRanked = ranked.at(-1);
  return {
    asOf: now.toISOString(),
    // The ranking stopped at its limit while still finding users over 80 %: there may be more.
    capped: ranked.length >= limit && lastRanked !== undefined && scored.some((p) => p.userId === lastRanked.userId),
    over80: scored.length,
    over100: scored.filter((p) => p.percent >= 100).length,
    checked: ranked.length,
    // JSON has no Infinity: no credit at all is shown as 100 000 %.
    top: scored.slice(0, 5).map((p) => ({ ...p, percent: Number.isFinite(p.percent) ? Math.round(p.percent * 10) / 10 : 100_000 })),
  };
}
