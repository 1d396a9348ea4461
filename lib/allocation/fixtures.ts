// Rows for allocation tests and the benchmark: providers, users, accounts, instances and their
// status history, inserted directly (imports are another feature's business).
import type { Db } from "@/lib/db/client";
import { allocationStrategies, identities, instances, instanceStatusHistory, providers, users } from "@/lib/db/schema";
import type { AllocationStrategy, UsageSegment } from "@/lib/domain/allocation";

export async function insertProvider(db: Db, name: string, strategy?: AllocationStrategy): Promise<number> {
  const [p] = await db.insert(providers).values({ name, authUrl: `https://${name}.example.org:5000/v3` }).returning({ id: providers.id });
  if (strategy) {
    await db.insert(allocationStrategies).values({
      providerId: p.id,
      countingBehavior: strategy.countingBehavior,
      refreshBehaviors: [...strategy.refreshBehaviors],
      rulesBehaviors: [...strategy.rulesBehaviors],
      threshold: strategy.threshold,
    });
  }
  return p.id;
}

export type FixtureUser = {
  username: string;
  joinedAt: Date;
  /** Instances, each a list of segments (at most one open). */
  instances: UsageSegment[][];
  override?: number | null;
  /** The account was removed (end-dated). */
  removed?: boolean;
};

/** Inserts users with one account each on the provider, their instances and history, in batches. */
export async function insertUsers(db: Db, providerId: number, people: FixtureUser[], batch = 1000): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < people.length; i += batch) {
    const chunk = people.slice(i, i + batch);
    const userRows = await db
      .insert(users)
      .values(chunk.map((p) => ({ username: p.username, joinedAt: p.joinedAt })))
      .returning({ id: users.id });
    const identityRows = await db
      .insert(identities)
      .values(
        chunk.map((p, k) => ({
          userId: userRows[k].id,
          providerId,
          projectName: p.username,
          state: "active" as const,
          allocationOverride: p.override ?? null,
          endDate: p.removed ? new Date("2024-01-01T00:00:00Z") : null,
        })),
      )
      .returning({ id: identities.id });
    const instanceValues: Array<typeof instances.$inferInsert> = [];
    const owners: UsageSegment[][] = [];
    chunk.forEach((p, k) =>
      p.instances.forEach((segments, n) => {
        instanceValues.push({
          providerId,
          identityId: identityRows[k].id,
          serverId: `${p.username}-server-${n}`,
          name: `${p.username}-vm${n}`,
          status: segments.at(-1)?.status ?? "ACTIVE",
        });
        owners.push(segments);
      }),
    );
    if (instanceValues.length) {
      const instanceRows = await db.insert(instances).values(instanceValues).returning({ id: instances.id });
      const history = instanceRows.flatMap((row, n) =>
        owners[n].map((s) => ({
          instanceId: row.id,
          status: s.status,
          vcpus: s.vcpus,
          ramMb: s.ramMb,
          diskGb: s.diskGb,
          startDate: s.start,
          endDate: s.end,
        })),
      );
      for (let h = 0; h < history.length; h += 5000) await db.insert(instanceStatusHistory).values(history.slice(h, h + 5000));
    }
    ids.push(...userRows.map((r) => r.id));
  }
  return ids;
}

/** A deterministic pseudo-random generator, so benchmarks and tests see the same data. */
export function lcg(seed: number) {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

const SIZES = [
  { vcpus: 1, ramMb: 2048, diskGb: 20 },
  { vcpus: 2, ramMb: 4096, diskGb: 40 },
  { vcpus: 4, ramMb: 8192, diskGb: 80 },
  { vcpus: 8, ramMb: 16384, diskGb: 160 },
];
const STATUSES = ["ACTIVE", "ACTIVE", "ACTIVE", "SHUTOFF", "SUSPENDED", "ERROR"];

/**
 * `count` users who joined over the past two years, each with one instance of ~`segments`
 * status segments across the last 45 days before `now`, the last one open.
 */
export function syntheticUsers(count: number, now: Date, segments = 5, seed = 42, prefix = "bench"): FixtureUser[] {
  const rnd = lcg(seed);
  const day = 86_400_000;
  const out: FixtureUser[] = [];
  for (let u = 0; u < count; u++) {
    const joinedAt = new Date(now.getTime() - Math.floor(rnd() * 730 * day));
    const size = SIZES[Math.floor(rnd() * SIZES.length)];
    let t = now.getTime() - 45 * day;
    const list: UsageSegment[] = [];
    for (let s = 0; s < segments; s++) {
      const status = s === 0 ? "BUILD" : STATUSES[Math.floor(rnd() * STATUSES.length)];
      const len = s === segments - 1 ? null : Math.floor(rnd() * 9 * day) + 3_600_000;
      list.push({ status, ...size, start: new Date(t), end: len === null ? null : new Date(t + len) });
      if (len !== null) t += len;
    }
    out.push({ username: `${prefix}${String(u).padStart(5, "0")}`, joinedAt, instances: [list] });
  }
  return out;
}
