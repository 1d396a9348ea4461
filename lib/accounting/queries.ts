// Accounting queries. No "server-only": the benchmark and the DB tests run them under tsx/vitest.
//
// The expensive part is one SQL statement: every status-history segment of the provider that
// overlaps the range is cut by the range's slices (months × rules versions, computed by the
// pure engine and passed in as VALUES), weighted by the version's state weights, classified by
// the flavor map (SU type and factor per flavor, also from the engine) and priced by the
// version's rates, then summed by whatever the caller groups by. lib/domain/accounting.ts
// defines the same numbers; accounting.db.test.ts checks they agree on random data.
import { executeWithoutJit, rowsOf } from "@/lib/db/rows";
import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { accountingRules, accountingSites, instances, instanceStatusHistory, sizes, type AccountingRuleRow } from "@/lib/db/schema";
import {
  accountingSlices,
  classifyFlavor,
  DEFAULT_STATE_WEIGHTS,
  effectiveVersions,
  type AccountingRules,
  type AccountingSegment,
  type DateRange,
  type SuMultiplier,
  type UsageTotals,
} from "@/lib/domain/accounting";


const tsq = (d: Date) => sql`${d.toISOString()}::timestamptz`;

// ---------------------------------------------------------------------------
// Rules and site
// ---------------------------------------------------------------------------

export type StoredRules = AccountingRules & { id: number; note: string | null; createdAt: Date; createdBy: number | null };

export function rulesOfRow(r: AccountingRuleRow): StoredRules {
  return {
    id: r.id,
    effectiveFrom: r.effectiveFrom,
    stateWeights: (r.stateWeights ?? {}) as Record<string, number>,
    otherWeight: Number(r.otherWeight),
    multipliers: (r.multipliers ?? []) as SuMultiplier[],
    rates: (r.rates ?? {}) as Record<string, number>,
    currency: r.currency,
    note: r.note,
    createdAt: r.createdAt,
    createdBy: r.createdBy,
  };
}

/** Every stored version of a provider's rules, oldest first. */
export async function listRuleVersions(db: Db, providerId: number): Promise<StoredRules[]> {
  const rows = await db.select().from(accountingRules).where(eq(accountingRules.providerId, providerId)).orderBy(asc(accountingRules.effectiveFrom));
  return rows.map(rulesOfRow);
}

/** The latest version, or undefined when none was saved. */
export async function getLatestRules(db: Db, providerId: number): Promise<StoredRules | undefined> {
  const [row] = await db.select().from(accountingRules).where(eq(accountingRules.providerId, providerId)).orderBy(desc(accountingRules.effectiveFrom)).limit(1);
  return row ? rulesOfRow(row) : undefined;
}

/** Inserts a new version (never updates one). */
export async function insertRuleVersion(db: Db, providerId: number, r: AccountingRules, createdBy: number | null, note: string | null): Promise<StoredRules> {
  const [row] = await db
    .insert(accountingRules)
    .values({
      providerId,
      effectiveFrom: r.effectiveFrom,
      stateWeights: r.stateWeights,
      otherWeight: r.otherWeight,
      multipliers: r.multipliers,
      rates: r.rates,
      currency: r.currency,
      note,
      createdBy,
    })
    .returning();
  return rulesOfRow(row);
}

export async function getSite(db: Db, providerId: number) {
  const [row] = await db.select().from(accountingSites).where(eq(accountingSites.providerId, providerId)).limit(1);
  return row;
}

export type SiteValues = { siteName: string; cloudComputeService: string; vo: string | null; projectVos: Record<string, string> };

export async function upsertSite(db: Db, providerId: number, v: SiteValues) {
  const [row] = await db
    .insert(accountingSites)
    .values({ providerId, ...v })
    .onConflictDoUpdate({ target: accountingSites.providerId, set: { ...v, updatedAt: new Date() } })
    .returning();
  return row;
}

// ---------------------------------------------------------------------------
// Flavor map: SU type and factor per (flavor id, flavor name) and version
// ---------------------------------------------------------------------------

export type FlavorClass = { version: number; flavorId: string; flavorName: string; suType: string; factor: number };

/** Extra specs of the provider's flavors by id and by name (what multipliers match on). */
async function flavorSpecs(db: Db, providerId: number, ids: string[], names: string[]) {
  const byId = new Map<string, Record<string, unknown>>();
  const byName = new Map<string, Record<string, unknown>>();
  if (ids.length === 0 && names.length === 0) return { byId, byName };
  const rows = await db
    .select({ flavorId: sizes.flavorId, name: sizes.name, extraSpecs: sizes.extraSpecs, endDate: sizes.endDate })
    .from(sizes)
    .where(and(eq(sizes.providerId, providerId), sql`(${ids.length ? inArray(sizes.flavorId, ids) : sql`false`} or ${names.length ? inArray(sizes.name, names) : sql`false`})`))
    // Live flavors last, so they win by name.
    .orderBy(sql`${sizes.endDate} is null`, asc(sizes.id));
  for (const r of rows) {
    const specs = (r.extraSpecs ?? {}) as Record<string, unknown>;
    byId.set(r.flavorId, specs);
    byName.set(r.name, specs);
  }
  return { byId, byName };
}

/** Extra specs for a segment's flavor: by id, else by name. */
export function specsFor(specs: Awaited<ReturnType<typeof flavorSpecs>>, flavorId: string | null, flavorName: string | null) {
  return (flavorId ? specs.byId.get(flavorId) : undefined) ?? (flavorName ? specs.byName.get(flavorName) : undefined) ?? null;
}

/**
 * The SU class of every flavor the provider's segments in the range use, per version that has
 * multipliers (versions without any classify everything as CPU × 1 in SQL already).
 */
export async function flavorClasses(db: Db, providerId: number, range: DateRange, versions: AccountingRules[]): Promise<FlavorClass[]> {
  if (!versions.some((v) => v.multipliers.length)) return [];
  const result = await db.execute(sql`
    select distinct coalesce(h.flavor_id, '') as flavor_id, coalesce(h.flavor_name, '') as flavor_name
    from instance_status_history h join instances n on n.id = h.instance_id
    where n.provider_id = ${providerId} and h.start_date < ${tsq(range.to)} and (h.end_date is null or h.end_date > ${tsq(range.from)})`);
  const flavors = rowsOf<{ flavor_id: string; flavor_name: string }>(result);
  const specs = await flavorSpecs(
    db,
    providerId,
    flavors.map((f) => f.flavor_id).filter(Boolean),
    flavors.map((f) => f.flavor_name).filter(Boolean),
  );
  const out: FlavorClass[] = [];
  versions.forEach((v, version) => {
    if (!v.multipliers.length) return;
    for (const f of flavors) {
      const c = classifyFlavor(v.multipliers, { flavorName: f.flavor_name || null, extraSpecs: specsFor(specs, f.flavor_id || null, f.flavor_name || null) });
      if (c.suType !== "CPU" || c.factor !== 1) out.push({ version, flavorId: f.flavor_id, flavorName: f.flavor_name, ...c });
    }
  });
  return out;
}

// ---------------------------------------------------------------------------
// The aggregation
// ---------------------------------------------------------------------------

export type GroupKey = "project" | "month" | "version" | "su_type";
export type SortKey = "su" | "cost" | "cpu" | "project";

export type AggregateOptions = {
  providerId: number;
  range: DateRange;
  now: Date;
  /** Stored versions (the defaults are put in front by effectiveVersions). */
  rules: readonly AccountingRules[];
  groupBy: GroupKey[];
  search?: string;
  sort?: SortKey;
  limit?: number;
  offset?: number;
  /** Only projects whose key sorts after this, at most `projectBatch` of them (keyset batches for exports). */
  afterProject?: string;
  projectBatch?: number;
  /**
   * With groupBy ["project"]: also the totals by month and SU type over every project (the
   * chart), from the same pass over the segments (rows with `chart: true`).
   */
  withChart?: boolean;
};

export type AggregateRow = UsageTotals & {
  projectKey?: string;
  projectName?: string | null;
  username?: string | null;
  userId?: number | null;
  month?: string;
  /** A month × SU type total of the chart (withChart), not a project row. */
  chart?: boolean;
  version?: number;
  suType?: string;
  /** Rows of the whole result before limit/offset (grouped by project only). */
  total?: number;
};

function valuesOf(rows: SQL[], columns: string, dummy: SQL): SQL {
  // An empty VALUES list is not SQL; a row that matches nothing stands in.
  return sql`select * from (values ${sql.join(rows.length ? rows : [dummy], sql`, `)}) as t(${sql.raw(columns)})`;
}

function searchCondition(search: string | undefined): SQL {
  const q = search?.trim();
  if (!q) return sql``;
  const pattern = `%${q.replace(/[%_\\]/g, "\\$&")}%`;
  return sql` where (k.key ilike ${pattern} or li.project_name ilike ${pattern} or li.username ilike ${pattern})`;
}

const SORTS: Record<SortKey, SQL> = {
  su: sql`su_hours desc, key asc`,
  cost: sql`cost desc, key asc`,
  cpu: sql`cpu_hours desc, key asc`,
  project: sql`coalesce(sort_name, key) asc, key asc`,
};

type RawAggregate = {
  chart?: boolean;
  project_key?: string;
  project_name?: string | null;
  username?: string | null;
  user_id?: number | null;
  month?: string;
  v?: number | null;
  su_type?: string;
  total?: number | string;
  hours: number | string;
  unsized_hours: number | string;
  cpu_hours: number | string;
  active_cpu_hours: number | string;
  ram_gb_hours: number | string;
  disk_gb_hours: number | string;
  su_hours: number | string;
  cost: number | string;
};

/** Usage summed over the range by the given keys, in one statement. */
export async function aggregateUsage(db: Db, opts: AggregateOptions, classes?: FlavorClass[]): Promise<AggregateRow[]> {
  const versions = effectiveVersions(opts.rules);
  const slices = accountingSlices(versions, opts.range);
  if (slices.length === 0) return [];
  const fm = classes ?? (await flavorClasses(db, opts.providerId, opts.range, versions));
  const P = opts.providerId;
  const nowQ = tsq(opts.now);

  const sl = valuesOf(
    slices.map((s) => sql`(${s.version}::int, ${s.month}::text, ${tsq(s.start)}, ${tsq(s.end)}, ${versions[s.version].otherWeight}::float8)`),
    "v, month, s, e, ow",
    sql`(-1, '', now(), now(), 0::float8)`,
  );
  const sw = valuesOf(
    versions.flatMap((v, i) => Object.entries(v.stateWeights).map(([st, w]) => sql`(${i}::int, ${st}::text, ${w}::float8)`)),
    "v, st, w",
    sql`(-1, '', 0::float8)`,
  );
  const fmv = valuesOf(
    fm.map((f) => sql`(${f.version}::int, ${f.flavorId}::text, ${f.flavorName}::text, ${f.suType}::text, ${f.factor}::float8)`),
    "v, fid, fname, su_type, factor",
    sql`(-1, '', '', '', 1::float8)`,
  );
  const rt = valuesOf(
    versions.flatMap((v, i) => Object.entries(v.rates).map(([t, r]) => sql`(${i}::int, ${t}::text, ${r}::float8)`)),
    "v, su_type, rate",
    sql`(-1, '', 0::float8)`,
  );

  const byProject = opts.groupBy.includes("project");
  // Keyset batches of projects for the exports: after the search filter (if any) starts the WHERE.
  const batchWhere =
    opts.projectBatch !== undefined
      ? sql` ${opts.search?.trim() ? sql`and` : sql`where`} k.key > ${opts.afterProject ?? ""}::text order by k.key limit ${opts.projectBatch}`
      : sql``;
  const searchSql = searchCondition(opts.search);

  const groupCols: SQL[] = [];
  if (byProject) groupCols.push(sql`pc.key`);
  if (opts.groupBy.includes("month")) groupCols.push(sql`pc.month`);
  if (opts.groupBy.includes("version")) groupCols.push(sql`pc.v`);
  if (opts.groupBy.includes("su_type")) groupCols.push(sql`pc.su_type`);
  const onlyProject = byProject && opts.groupBy.length === 1;
  const combined = onlyProject && Boolean(opts.withChart);

  const page = opts.limit !== undefined ? sql` limit ${opts.limit} offset ${opts.offset ?? 0}` : sql``;
  // The project's account (live first): looked up for the rows returned, not for every project.
  const label = (key: SQL) => sql`
    select i.project_name, u.username, u.id as user_id
    from identities i join users u on u.id = i.user_id
    where i.provider_id = ${P} and i.project_id = ${key}
    order by (i.end_date is null) desc, i.id desc limit 1`;
  const sortName = opts.sort === "project" ? sql`(select l.project_name from (${label(sql`agg.key`)}) l)` : sql`null::text`;
  const order = opts.sort === "project" ? sql`coalesce(sort_name, key) asc, key asc` : SORTS[opts.sort ?? "su"];

  // Projects are filtered first only for a search or a keyset batch; otherwise every segment counts.
  const filtered = Boolean(opts.search?.trim()) || opts.projectBatch !== undefined;
  const query = sql`
    with sl as (${sl}), sw as (${sw}), fm as (${fmv}), rt as (${rt}),
${filtered ? sql`pj as (
      select k.key
      -- Only projects with time in the range, so keyset batches never stop at a batch of idle ones.
      from (
        select distinct coalesce(n.project_id, '') as key from instances n
        where n.provider_id = ${P} and exists (
          select 1 from instance_status_history h
          where h.instance_id = n.id and h.start_date < ${tsq(opts.range.to)} and h.start_date < ${nowQ}
            and coalesce(h.end_date, ${nowQ}) > ${tsq(opts.range.from)})
      ) k
      ${opts.search?.trim() ? sql`left join lateral (${label(sql`k.key`)}) li on true` : sql``}${searchSql}${batchWhere}
    ),
    `: sql``}
    pc as (
      select coalesce(n.project_id, '') as key, sl.v, sl.month, coalesce(fm.su_type, 'CPU') as su_type,
        -- date_part is float8; extract is numeric since PostgreSQL 14, and the inlined CTE repeats
        -- this expression in each of the eight sums below.
        date_part('epoch', least(coalesce(h.end_date, ${nowQ}), ${nowQ}, sl.e) - greatest(h.start_date, sl.s)) / 3600.0 as hrs,
        -- 0 for a segment without size data: it counts hours, nothing else.
        (case when h.vcpus > 0 or h.ram_mb > 0 then 1.0 else 0.0 end)::float8 as sz,
        (case when lower(btrim(h.status)) = 'active' then 1.0 else 0.0 end)::float8 as act,
        h.vcpus::float8 as vcpus, h.ram_mb::float8 / 1024.0 as ram_gb, h.disk_gb::float8 as disk_gb,
        h.vcpus * coalesce(fm.factor, 1.0::float8) * coalesce(sw.w, sl.ow) as su_rate,
        coalesce(rt.rate, 0.0::float8) as rate
      from instance_status_history h
      join instances n on n.id = h.instance_id
      ${filtered ? sql`join pj on pj.key = coalesce(n.project_id, '')` : sql``}
      join sl on h.start_date < sl.e and least(coalesce(h.end_date, ${nowQ}), ${nowQ}) > sl.s
      left join fm on fm.v = sl.v and fm.fid = coalesce(h.flavor_id, '') and fm.fname = coalesce(h.flavor_name, '')
      left join sw on sw.v = sl.v and sw.st = lower(btrim(h.status))
      left join rt on rt.v = sl.v and rt.su_type = coalesce(fm.su_type, 'CPU')
      where n.provider_id = ${P} and h.start_date < ${tsq(opts.range.to)} and h.start_date < ${nowQ}
        and (h.end_date is null or h.end_date > ${tsq(opts.range.from)})
    ),
    agg as (
      select ${
        combined
          ? sql`grouping(pc.key) as g, pc.key, pc.month, pc.su_type, pc.v,`
          : groupCols.length
            ? sql`${sql.join(groupCols, sql`, `)},`
            : sql``
      }
        sum(pc.hrs) as hours,
        sum(pc.hrs * (1.0 - pc.sz)) as unsized_hours,
        sum(pc.hrs * pc.sz * pc.vcpus) as cpu_hours,
        sum(pc.hrs * pc.sz * pc.act * pc.vcpus) as active_cpu_hours,
        sum(pc.hrs * pc.sz * pc.ram_gb) as ram_gb_hours,
        sum(pc.hrs * pc.sz * pc.disk_gb) as disk_gb_hours,
        sum(pc.hrs * pc.sz * pc.su_rate) as su_hours,
        sum(pc.hrs * pc.sz * pc.su_rate * pc.rate) as cost
      from pc
      ${
        combined
          ? // The page's projects and the chart (by version too: versions may price in different
            // currencies) in one pass: no per-project-and-month intermediate to sum again.
            sql`group by grouping sets ((pc.key), (pc.month, pc.su_type, pc.v))`
          : groupCols.length
            ? sql`group by ${sql.join(groupCols, sql`, `)}`
            : sql``
      }
    )${
      combined
        ? sql`,
    bykey as (
      select key, hours, unsized_hours, cpu_hours, active_cpu_hours, ram_gb_hours, disk_gb_hours, su_hours, cost
      from agg where g = 0
    ),
    ranked as (
      select a.*, row_number() over (order by ${order}) as ord from (
        select bykey.*, ${opts.sort === "project" ? sql`(select l.project_name from (${label(sql`bykey.key`)}) l)` : sql`null::text`} as sort_name,
          count(*) over () as total from bykey
      ) a
      order by ${order}${page}
    )
    select false as chart, ranked.key as project_key, li.project_name, li.username, li.user_id, null::text as month, null::text as su_type, null::int as v,
      ranked.total, ranked.hours, ranked.unsized_hours, ranked.cpu_hours, ranked.active_cpu_hours, ranked.ram_gb_hours,
      ranked.disk_gb_hours, ranked.su_hours, ranked.cost, ranked.ord
    from ranked left join lateral (${label(sql`ranked.key`)}) li on true
    union all
    select true, null, null, null, null, month, su_type, v, null, hours, unsized_hours, cpu_hours, active_cpu_hours,
      ram_gb_hours, disk_gb_hours, su_hours, cost, null
    from agg where g = 1
    order by chart, ord, month, su_type, v`
        : onlyProject
        ? sql`,
    ranked as (
      select * from (select agg.*, ${sortName} as sort_name, count(*) over () as total from agg) a
      order by ${order}${page}
    )
    select ranked.key as project_key, li.project_name, li.username, li.user_id, ranked.*
    from ranked left join lateral (${label(sql`ranked.key`)}) li on true
    order by ${order}`
        : byProject
          ? sql`
    select agg.key as project_key, li.project_name, li.username, li.user_id, agg.*
    from agg left join lateral (${label(sql`agg.key`)}) li on true
    order by agg.key`
          : sql`
    select * from agg`
    }`;
  const result = await executeWithoutJit(db, query);

  return rowsOf<RawAggregate>(result).map((r) => ({
    ...(r.chart === true ? { chart: true } : {}),
    ...(r.project_key !== undefined && r.chart !== true
      ? { projectKey: r.project_key, projectName: r.project_name ?? null, username: r.username ?? null, userId: r.user_id == null ? null : Number(r.user_id) }
      : {}),
    ...(r.month !== undefined && r.month !== null ? { month: r.month } : {}),
    ...(r.v !== undefined && r.v !== null ? { version: Number(r.v) } : {}),
    ...(r.su_type !== undefined && r.su_type !== null ? { suType: r.su_type } : {}),
    ...(r.total !== undefined && r.total !== null ? { total: Number(r.total) } : {}),
    hours: Number(r.hours ?? 0),
    unsizedHours: Number(r.unsized_hours ?? 0),
    cpuHours: Number(r.cpu_hours ?? 0),
    activeCpuHours: Number(r.active_cpu_hours ?? 0),
    ramGbHours: Number(r.ram_gb_hours ?? 0),
    diskGbHours: Number(r.disk_gb_hours ?? 0),
    suHours: Number(r.su_hours ?? 0),
    cost: Number(r.cost ?? 0),
  }));
}

// ---------------------------------------------------------------------------
// Segments and instances for the APEL export and the tests
// ---------------------------------------------------------------------------

export type ApelInstanceRow = {
  id: number;
  serverId: string;
  name: string;
  projectId: string | null;
  imageId: string | null;
  addresses: unknown;
  endDate: Date | null;
  projectName: string | null;
  openstackUserId: string | null;
  username: string | null;
};

/** Instances with history overlapping the range, id > after, one batch in id order. */
export async function instancesInRange(db: Db, providerId: number, range: DateRange, after: number, limit: number): Promise<ApelInstanceRow[]> {
  const result = await db.execute(sql`
    select n.id, n.server_id, n.name, n.project_id, n.image_id, n.addresses, n.end_date,
      li.project_name, li.openstack_user_id, li.username
    from instances n
    left join lateral (
      select i.project_name, i.openstack_user_id, u.username
      from identities i join users u on u.id = i.user_id
      where i.provider_id = n.provider_id and (i.id = n.identity_id or (n.identity_id is null and i.project_id = n.project_id))
      order by (i.id = n.identity_id) desc, (i.end_date is null) desc, i.id desc limit 1
    ) li on true
    where n.provider_id = ${providerId} and n.id > ${after}
      and exists (
        select 1 from instance_status_history h
        where h.instance_id = n.id and h.start_date < ${tsq(range.to)} and (h.end_date is null or h.end_date > ${tsq(range.from)})
      )
    order by n.id limit ${limit}`);
  return rowsOf<Record<string, unknown>>(result).map((r) => ({
    id: Number(r.id),
    serverId: String(r.server_id),
    name: String(r.name),
    projectId: (r.project_id as string | null) ?? null,
    imageId: (r.image_id as string | null) ?? null,
    addresses: typeof r.addresses === "string" ? JSON.parse(r.addresses) : r.addresses,
    endDate: r.end_date ? new Date(r.end_date as string) : null,
    projectName: (r.project_name as string | null) ?? null,
    openstackUserId: (r.openstack_user_id as string | null) ?? null,
    username: (r.username as string | null) ?? null,
  }));
}

export type SegmentWithInstance = AccountingSegment & { instanceId: number; projectKey: string };

/** The segments of these instances that started before `before`, oldest first. */
export async function segmentsOf(db: Db, instanceIds: number[], before: Date): Promise<SegmentWithInstance[]> {
  if (instanceIds.length === 0) return [];
  const rows = await db
    .select({
      instanceId: instanceStatusHistory.instanceId,
      projectId: instances.projectId,
      status: instanceStatusHistory.status,
      vcpus: instanceStatusHistory.vcpus,
      ramMb: instanceStatusHistory.ramMb,
      diskGb: instanceStatusHistory.diskGb,
      flavorId: instanceStatusHistory.flavorId,
      flavorName: instanceStatusHistory.flavorName,
      start: instanceStatusHistory.startDate,
      end: instanceStatusHistory.endDate,
    })
    .from(instanceStatusHistory)
    .innerJoin(instances, eq(instances.id, instanceStatusHistory.instanceId))
    .where(and(inArray(instanceStatusHistory.instanceId, instanceIds), sql`${instanceStatusHistory.startDate} < ${tsq(before)}`))
    .orderBy(asc(instanceStatusHistory.instanceId), asc(instanceStatusHistory.startDate), asc(instanceStatusHistory.id));
  return rows.map(({ projectId, ...r }) => ({ ...r, projectKey: projectId ?? "" }));
}

/** Every segment of the provider overlapping the range with the extra specs of its flavor (tests, small providers). */
export async function providerSegments(db: Db, providerId: number, range: DateRange): Promise<SegmentWithInstance[]> {
  const ids = await db
    .select({ id: instances.id })
    .from(instances)
    .where(eq(instances.providerId, providerId));
  const segs = (await segmentsOf(db, ids.map((r) => r.id), range.to)).filter((s) => s.end === null || s.end > range.from);
  const specs = await flavorSpecs(
    db,
    providerId,
    [...new Set(segs.map((s) => s.flavorId).filter((v): v is string => Boolean(v)))],
    [...new Set(segs.map((s) => s.flavorName).filter((v): v is string => Boolean(v)))],
  );
  return segs.map((s) => ({ ...s, extraSpecs: specsFor(specs, s.flavorId ?? null, s.flavorName ?? null) }));
}

export { DEFAULT_STATE_WEIGHTS };
