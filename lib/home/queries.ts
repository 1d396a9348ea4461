// The console home: every provider at a glance in a constant number of indexed queries (six,
// run together), whatever the number of providers. Heavy figures (capacity, users near their
// allocation) are read from the latest capacity snapshot, which the scheduled job computes.
// No "server-only": scripts/bench-home.ts runs this under tsx.
import { rowsOf } from "@/lib/db/rows";
import { sql } from "drizzle-orm";
import type { AllocationWatch } from "@/lib/capacity/types";
import type { Db } from "@/lib/db/client";
import type { ClassTotal } from "@/lib/domain/capacity";
import { IMPORT_KINDS, IMPORT_RESOURCES, type ImportResource } from "@/lib/imports/resources";


const date = (v: unknown): Date | null => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(String(v)));

export type HomeImport = {
  resource: ImportResource;
  jobId: string;
  state: string;
  at: Date;
  finishedAt: Date | null;
  error: string | null;
  changes: { added: number; updated: number; endDated: number } | null;
};

export type HomeProvider = {
  id: number;
  name: string;
  isActive: boolean;
  preflight: { at: Date; ok: boolean; failing: string[] } | null;
  imports: HomeImport[];
  jobs: { live: number; failed: number };
  accounts: { active: number; failed: number; provisioning: number; other: number };
  capacity: { at: Date; totals: ClassTotal[] } | null;
  capacityError: { at: Date; error: string } | null;
  allocation: AllocationWatch | null;
};

export type HomeAudit = { id: number; at: Date; actor: string; action: string; targetType: string | null; targetId: string | null };

export type HomeData = { providers: HomeProvider[]; audit: HomeAudit[]; now: Date };

/** How far back failed jobs count on the home. */
export const FAILED_JOBS_WINDOW_HOURS = 24;

export async function loadHome(db: Db, opts: { auditLimit?: number; now?: Date } = {}): Promise<HomeData> {
  const now = opts.now ?? new Date();
  const kinds = IMPORT_RESOURCES.map((r) => IMPORT_KINDS[r]);
  const kindArray = sql`array[${sql.join(
    kinds.map((k) => sql`${k}`),
    sql`, `,
  )}]::text[]`;
  const since = new Date(now.getTime() - FAILED_JOBS_WINDOW_HOURS * 3_600_000).toISOString();
  const [providerRows, importRows, jobRows, accountRows, snapshotRows, auditRows] = await Promise.all([
    db.execute(sql`
      select id, name, is_active, last_preflight_at,
        (last_preflight->>'ok')::boolean as preflight_ok,
        coalesce((select jsonb_agg(c->>'label') from jsonb_array_elements(coalesce(last_preflight->'checks', '[]'::jsonb)) c
                  where c->>'status' = 'fail'), '[]'::jsonb) as failing
      from providers order by lower(name), id`),
    // Latest import job per provider and kind: one backward index scan each (jobs_provider_kind_idx).
    db.execute(sql`
      select p.id as provider_id, j.id, j.kind, j.state, j.created_at, j.finished_at, j.error, j.counts
      from providers p cross join unnest(${kindArray}) as k(kind)
      cross join lateral (
        select id, kind, state, created_at, finished_at, error, result->'counts' as counts from jobs
        where provider_id = p.id and kind = k.kind order by created_at desc limit 1
      ) j`),
    db.execute(sql`
      select provider_id,
        count(*) filter (where state in ('queued', 'running'))::int as live,
        count(*) filter (where state = 'failed')::int as failed
      from jobs
      where provider_id is not null and (state in ('queued', 'running') or (state = 'failed' and finished_at > ${since}::timestamptz))
      group by provider_id`),
    // identities_provider_state_live_idx: an index-only count.
    db.execute(sql`
      select provider_id, state, count(*)::int as n from identities where end_date is null group by provider_id, state`),
    // Latest good snapshot and latest attempt per provider (capacity_snapshots_provider_taken_idx).
    db.execute(sql`
      select p.id as provider_id, g.taken_at, g.totals, a.taken_at as attempt_at, a.error as attempt_error, a.allocation
      from providers p
      left join lateral (
        select taken_at, totals from capacity_snapshots where provider_id = p.id and error is null order by taken_at desc limit 1
      ) g on true
      left join lateral (
        select taken_at, error, allocation from capacity_snapshots where provider_id = p.id order by taken_at desc limit 1
      ) a on true`),
    db.execute(sql`
      select id, at, actor_username, action, target_type, target_id from audit_log order by at desc limit ${opts.auditLimit ?? 15}`),
  ]);

  type P = { id: number; name: string; is_active: boolean; last_preflight_at: unknown; preflight_ok: boolean | null; failing: string[] };
  type I = { provider_id: number; id: string; kind: string; state: string; created_at: unknown; finished_at: unknown; error: string | null; counts: Record<string, number> | null };
  type J = { provider_id: number; live: number; failed: number };
  type A = { provider_id: number; state: string; n: number };
  type S = { provider_id: number; taken_at: unknown; totals: ClassTotal[] | null; attempt_at: unknown; attempt_error: string | null; allocation: AllocationWatch | null };
  type L = { id: number; at: unknown; actor_username: string; action: string; target_type: string | null; target_id: string | null };

  const imports = new Map<number, HomeImport[]>();
  for (const r of rowsOf<I>(importRows)) {
    const resource = IMPORT_RESOURCES.find((x) => IMPORT_KINDS[x] === r.kind)!;
    const counts = r.counts;
    const list = imports.get(r.provider_id) ?? [];
    list.push({
      resource,
      jobId: r.id,
      state: r.state,
      at: date(r.created_at)!,
      finishedAt: date(r.finished_at),
      error: r.error,
      changes:
        counts && typeof counts.added === "number"
          ? { added: counts.added ?? 0, updated: counts.updated ?? 0, endDated: counts.endDated ?? 0 }
          : null,
    });
    imports.set(r.provider_id, list);
  }
  const jobsBy = new Map(rowsOf<J>(jobRows).map((r) => [r.provider_id, { live: Number(r.live), failed: Number(r.failed) }]));
  const accounts = new Map<number, HomeProvider["accounts"]>();
  for (const r of rowsOf<A>(accountRows)) {
    const a = accounts.get(r.provider_id) ?? { active: 0, failed: 0, provisioning: 0, other: 0 };
    const n = Number(r.n);
    if (r.state === "active") a.active += n;
    else if (r.state === "failed") a.failed += n;
    else if (r.state === "provisioning" || r.state === "pending") a.provisioning += n;
    else a.other += n;
    accounts.set(r.provider_id, a);
  }
  const snaps = new Map(rowsOf<S>(snapshotRows).map((r) => [r.provider_id, r]));

  const providersOut = rowsOf<P>(providerRows).map((p): HomeProvider => {
    const s = snaps.get(p.id);
    const at = date(p.last_preflight_at);
    return {
      id: p.id,
      name: p.name,
      isActive: p.is_active,
      preflight: at ? { at, ok: p.preflight_ok === true, failing: p.failing ?? [] } : null,
      imports: IMPORT_RESOURCES.flatMap((r) => (imports.get(p.id) ?? []).filter((i) => i.resource === r)),
      jobs: jobsBy.get(p.id) ?? { live: 0, failed: 0 },
      accounts: accounts.get(p.id) ?? { active: 0, failed: 0, provisioning: 0, other: 0 },
      capacity: s?.taken_at ? { at: date(s.taken_at)!, totals: s.totals ?? [] } : null,
      capacityError: s?.attempt_error ? { at: date(s.attempt_at)!, error: s.attempt_error } : null,
      allocation: s?.allocation ?? null,
    };
  });
  return {
    providers: providersOut,
    audit: rowsOf<L>(auditRows).map((r) => ({
      id: r.id,
      at: date(r.at)!,
      actor: r.actor_username,
      action: r.action,
      targetType: r.target_type,
      targetId: r.target_id,
    })),
    now,
  };
}
