// Allocation queries. No "server-only" here: scripts/bench-allocation.ts runs them under tsx.
import { executeWithoutJit, rowsOf } from "@/lib/db/rows";
import { and, asc, eq, gt, inArray, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { allocationStrategies, identities, instances, instanceStatusHistory, providers, users } from "@/lib/db/schema";
import { anniversaryStartsByDay, compileStrategy, type AllocationStrategy, type UsageSegment } from "@/lib/domain/allocation";

export type StrategyRow = typeof allocationStrategies.$inferSelect;


/** The strategy of a provider, or undefined when it has none. */
export async function getStrategy(db: Db, providerId: number): Promise<StrategyRow | undefined> {
  const [row] = await db.select().from(allocationStrategies).where(eq(allocationStrategies.providerId, providerId)).limit(1);
  return row;
}

/** Every provider with its strategy (null when none) and how many users have an account on it. */
export async function listProviderStrategies(db: Db) {
  const accounts = db
    .select({ providerId: identities.providerId, users: sql<number>`count(distinct ${identities.userId})::int`.as("alloc_users") })
    .from(identities)
    .groupBy(identities.providerId)
    .as("alloc_accounts");
  const rows = await db
    .select({
      id: providers.id,
      name: providers.name,
      isActive: providers.isActive,
      strategy: allocationStrategies,
      users: sql<number>`coalesce(${accounts.users}, 0)::int`,
    })
    .from(providers)
    .leftJoin(allocationStrategies, eq(allocationStrategies.providerId, providers.id))
    .leftJoin(accounts, eq(accounts.providerId, providers.id))
    .orderBy(asc(providers.id));
  return rows;
}

/** Creates or replaces a provider's strategy; one per provider. */
export async function upsertStrategy(db: Db, providerId: number, s: AllocationStrategy): Promise<StrategyRow> {
  const values = {
    countingBehavior: s.countingBehavior,
    refreshBehaviors: [...s.refreshBehaviors],
    rulesBehaviors: [...s.rulesBehaviors],
    threshold: s.threshold,
  };
  const [row] = await db
    .insert(allocationStrategies)
    .values({ providerId, ...values })
    .onConflictDoUpdate({ target: allocationStrategies.providerId, set: { ...values, updatedAt: new Date() } })
    .returning();
  return row;
}

export type ProviderUserRow = {
  userId: number;
  username: string;
  displayName: string | null;
  email: string | null;
  joinedAt: Date;
  /** The user still has a live (not end-dated) account on the provider. */
  live: boolean;
  /** The live account, or the latest removed one. */
  identityId: number;
  override: number | null;
};

export type RankedUserRow = ProviderUserRow & { usage: number };

export type RankOptions = {
  providerId: number;
  strategy: AllocationStrategy;
  now: Date;
  search?: string;
  sort?: "usage" | "username";
  limit: number;
  offset?: number;
};

function searchCondition(search: string | undefined, u: SQL = sql`u`): SQL {
  const q = search?.trim();
  if (!q) return sql``;
  const pattern = `%${q.replace(/[%_\\]/g, "\\$&")}%`;
  return sql` and (${u}.username ilike ${pattern} or ${u}.display_name ilike ${pattern} or ${u}.email ilike ${pattern})`;
}

/** The counting window start per user, as SQL; the same instants as countingWindow() in the engine. */
function windowStartSql(countingBehavior: string, now: Date, joinedAt: SQL = sql`pu.joined_at`): SQL {
  const nowIso = now.toISOString();
  switch (countingBehavior) {
    case "1 Month - Calendar Window":
      return sql`${new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString()}::timestamptz`;
    case "1 Month - Calendar Window - Anniversary": {
      // One start per anchor day 1–31, computed by the engine: no second calendar in SQL.
      const starts = `{${anniversaryStartsByDay(now)
        .slice(1)
        .map((d) => d.toISOString())
        .join(",")}}`;
      return sql`(${starts}::timestamptz[])[extract(day from least(${joinedAt}, ${nowIso}::timestamptz) at time zone 'UTC')::int]`;
    }
    case "Count all time":
      return sql`least(${joinedAt}, ${nowIso}::timestamptz)`;
    default:
      throw new Error(`Unknown counting behaviour "${countingBehavior}"`);
  }
}

/** Units per hour of one history row (alias h), as SQL; mirrors segmentMultiplier(). */
function multiplierSql(strategy: AllocationStrategy): SQL {
  const c = compileStrategy(strategy);
  const factors: SQL[] = [sql`1.0::float8`];
  if (c.ignoreNonActive) factors.push(sql`(case when lower(btrim(h.status)) = 'active' then 1 else 0 end)`);
  if (c.cpu) factors.push(sql`h.vcpus`);
  if (c.ram) factors.push(sql`(h.ram_mb / 1024.0::float8)`);
  if (c.disk) factors.push(sql`h.disk_gb`);
  return sql`greatest(${sql.join(factors, sql` * `)}, 0)`;
}

// One row per user with an account on the provider; `identity_id` is the live account, or the
// latest removed one (a user has at most one live account per provider).
function providerUsersCte(providerId: number, search: string | undefined): SQL {
  return sql`
    select u.id as user_id, u.username, u.display_name, u.email, u.joined_at,
      bool_or(i.end_date is null) as live,
      coalesce(max(i.id) filter (where i.end_date is null), max(i.id)) as identity_id
    from identities i join users u on u.id = i.user_id
    where i.provider_id = ${providerId}${searchCondition(search)}
    group by u.id`;
}

/** The earliest window start any user can have, so history before it is skipped early (null: none). */
function earliestWindowStart(countingBehavior: string, now: Date): Date | null {
  if (countingBehavior === "1 Month - Calendar Window") return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  if (countingBehavior === "1 Month - Calendar Window - Anniversary") {
    return anniversaryStartsByDay(now)
      .slice(1)
      .reduce((a, b) => (b < a ? b : a));
  }
  return null;
}

type RawRankRow = {
  user_id: number;
  username: string;
  display_name: string | null;
  email: string | null;
  joined_at: Date | string;
  live: boolean;
  identity_id: number;
  override: number | null;
  usage: number | string;
};

/**
 * Users with an account on the provider and their usage in their current window, computed in
 * SQL so the whole provider can be sorted by usage and paged (10,000 users in one query).
 */
export async function rankUsersByUsage(db: Db, opts: RankOptions): Promise<RankedUserRow[]> {
  // Sorted by name, or narrowed by a search, the users come first and only theirs is summed.
  if (opts.sort === "username" || opts.search?.trim()) return rankFromUserList(db, opts);
  const nowIso = opts.now.toISOString();
  const earliest = earliestWindowStart(opts.strategy.countingBehavior, opts.now);
  const skipOld = earliest ? sql` and (h.end_date is null or h.end_date > ${earliest.toISOString()}::timestamptz)` : sql``;
  // A calendar month starts at the same instant for everyone: the history is summed per account
  // without touching users. The other windows start at each user's join date.
  const perUser = opts.strategy.countingBehavior !== "1 Month - Calendar Window";
  const ws = windowStartSql(opts.strategy.countingBehavior, opts.now, sql`uu.joined_at`);
  // Usage per account first (history ⋈ instances, one aggregate), then per user: one pass over
  // each table instead of joining the history to a materialised list of every user.
  const result = await executeWithoutJit(db, sql`
    with used as (
      select n.identity_id, sum(x.usage) as usage
      from instances n
      ${perUser ? sql`join identities ui on ui.id = n.identity_id join users uu on uu.id = ui.user_id` : sql``}
      -- Per instance, through the history's (instance_id, start_date) index: the history has no
      -- provider column, and a hash join scanned every provider's history to keep this one's.
      cross join lateral (
        select sum(date_part('epoch', (least(coalesce(h.end_date, ${nowIso}::timestamptz), ${nowIso}::timestamptz) - greatest(h.start_date, ${ws})))
            / 3600.0 * ${multiplierSql(opts.strategy)}) as usage
        from instance_status_history h
        where h.instance_id = n.id and h.start_date < ${nowIso}::timestamptz${skipOld}
          and (h.end_date is null or h.end_date > ${ws})
          and h.start_date < coalesce(h.end_date, ${nowIso}::timestamptz)
      ) x
      where n.provider_id = ${opts.providerId} and x.usage is not null
      group by n.identity_id
    ),
    ranked as (
      select u.id as user_id, u.username, u.display_name, u.email, u.joined_at,
        bool_or(i.end_date is null) as live,
        coalesce(max(i.id) filter (where i.end_date is null), max(i.id)) as identity_id,
        coalesce(sum(used.usage), 0)::float8 as usage
      from identities i join users u on u.id = i.user_id
      left join used on used.identity_id = i.id
      where i.provider_id = ${opts.providerId}
      group by u.id
      order by usage desc, u.username asc, u.id asc
      limit ${opts.limit} offset ${opts.offset ?? 0}
    )
    select r.*, ii.allocation_override as override
    from ranked r join identities ii on ii.id = r.identity_id
    order by r.usage desc, r.username asc, r.user_id asc`);
  return rowsOf<RawRankRow>(result).map(toRankedRow);
}

/**
 * The matching users first, then the usage of theirs only: sorted by name only the page's users
 * are summed; with a search, only the users it matched.
 */
async function rankFromUserList(db: Db, opts: RankOptions): Promise<RankedUserRow[]> {
  const byName = opts.sort === "username";
  const page = sql`limit ${opts.limit} offset ${opts.offset ?? 0}`;
  const nowIso = opts.now.toISOString();
  const ws = windowStartSql(opts.strategy.countingBehavior, opts.now);
  const earliest = earliestWindowStart(opts.strategy.countingBehavior, opts.now);
  const skipOld = earliest ? sql` and (h.end_date is null or h.end_date > ${earliest.toISOString()}::timestamptz)` : sql``;
  const result = await executeWithoutJit(db, sql`
    with pu as (${providerUsersCte(opts.providerId, opts.search)}),
    w as (
      select pu.*, ${ws} as ws from pu
      ${byName ? sql`order by pu.username asc, pu.user_id asc ${page}` : sql``}
    ),
    used as (
      select w.user_id,
        sum(date_part('epoch', (least(coalesce(h.end_date, ${nowIso}::timestamptz), ${nowIso}::timestamptz) - greatest(h.start_date, w.ws)))
            / 3600.0 * ${multiplierSql(opts.strategy)}) as usage
      from instance_status_history h
      join instances n on n.id = h.instance_id
      join identities i on i.id = n.identity_id and i.provider_id = ${opts.providerId}
      join w on w.user_id = i.user_id
      where h.start_date < ${nowIso}::timestamptz${skipOld}
        and (h.end_date is null or h.end_date > w.ws)
        and h.start_date < coalesce(h.end_date, ${nowIso}::timestamptz)
      group by w.user_id
    )
    select w.user_id, w.username, w.display_name, w.email, w.joined_at, w.live, w.identity_id,
      ii.allocation_override as override, coalesce(used.usage, 0)::float8 as usage
    from w
    join identities ii on ii.id = w.identity_id
    left join used on used.user_id = w.user_id
    order by ${byName ? sql`w.username asc, w.user_id asc` : sql`usage desc, w.username asc, w.user_id asc ${page}`}`);
  return rowsOf<RawRankRow>(result).map(toRankedRow);
}

function toRankedRow(r: RawRankRow): RankedUserRow {
  return {
    userId: Number(r.user_id),
    username: r.username,
    displayName: r.display_name,
    email: r.email,
    joinedAt: r.joined_at instanceof Date ? r.joined_at : new Date(r.joined_at),
    live: Boolean(r.live),
    identityId: Number(r.identity_id),
    override: r.override === null ? null : Number(r.override),
    usage: Number(r.usage),
  };
}

/** How many users have an account on the provider (matching the search). */
export async function countProviderUsers(db: Db, providerId: number, search?: string): Promise<number> {
  const result = await db.execute(sql`
    select count(distinct i.user_id)::int as n
    from identities i join users u on u.id = i.user_id
    where i.provider_id = ${providerId}${searchCondition(search)}`);
  return Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0);
}

/** One user's row on the provider, or undefined when they have no account there. */
export async function getProviderUser(db: Db, providerId: number, userId: number): Promise<ProviderUserRow | undefined> {
  const result = await db.execute(sql`
    select pu.*, ii.allocation_override as override
    from (${providerUsersCte(providerId, undefined)}) pu join identities ii on ii.id = pu.identity_id
    where pu.user_id = ${userId}`);
  const [row] = rowsOf<RawRankRow>(result);
  if (!row) return undefined;
  const { usage: _usage, ...rest } = toRankedRow({ ...row, usage: 0 });
  return rest;
}

export type SegmentRow = UsageSegment & { userId: number; instanceId: number; instanceName: string; serverId: string };

/**
 * History segments of the given users' instances on the provider that overlap [since, now].
 * Batch-loads only the users asked for (one page, the preview's five).
 */
export async function loadSegments(db: Db, providerId: number, userIds: number[], since: Date, now: Date): Promise<SegmentRow[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .select({
      userId: identities.userId,
      instanceId: instances.id,
      instanceName: instances.name,
      serverId: instances.serverId,
      status: instanceStatusHistory.status,
      vcpus: instanceStatusHistory.vcpus,
      ramMb: instanceStatusHistory.ramMb,
      diskGb: instanceStatusHistory.diskGb,
      start: instanceStatusHistory.startDate,
      end: instanceStatusHistory.endDate,
    })
    .from(instanceStatusHistory)
    .innerJoin(instances, eq(instances.id, instanceStatusHistory.instanceId))
    .innerJoin(identities, eq(identities.id, instances.identityId))
    .where(
      and(
        eq(identities.providerId, providerId),
        inArray(identities.userId, userIds),
        lt(instanceStatusHistory.startDate, now),
        or(isNull(instanceStatusHistory.endDate), gt(instanceStatusHistory.endDate, since)),
      ),
    )
    .orderBy(asc(instanceStatusHistory.startDate), asc(instanceStatusHistory.id));
  return rows;
}

/** Sets (or clears, with null) the allocation override on the user's live account on the provider. */
export async function setAllocationOverride(
  db: Db,
  providerId: number,
  userId: number,
  override: number | null,
): Promise<{ identityId: number; before: number | null } | undefined> {
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select({ id: identities.id, override: identities.allocationOverride })
      .from(identities)
      .where(and(eq(identities.providerId, providerId), eq(identities.userId, userId), isNull(identities.endDate)))
      .for("update")
      .limit(1);
    if (!current) return undefined;
    await tx.update(identities).set({ allocationOverride: override }).where(eq(identities.id, current.id));
    return { identityId: current.id, before: current.override };
  });
}

/** The user's name for headings. */
export async function getUserName(db: Db, userId: number) {
  const [row] = await db.select({ username: users.username, displayName: users.displayName }).from(users).where(eq(users.id, userId)).limit(1);
  return row;
}
