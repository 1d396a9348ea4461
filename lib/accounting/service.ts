// What the usage page, the exports and the actions need, built from the queries and the pure
// engine. No "server-only": the benchmark runs the exports under tsx.
import { ActionError } from "@/lib/actions/errors";
import type { Db } from "@/lib/db/client";
import { getProvider } from "@/lib/db/queries/providers";
import {
  accountingSlices,
  APEL_HEADER,
  apelMonthlyRecords,
  apelRecordText,
  csvLine,
  effectiveVersions,
  emptyTotals,
  addTotals,
  INVOICE_COLUMNS,
  round,
  rulesProblems,
  suTypesOf,
  type AccountingRules,
  type ApelSite,
  type DateRange,
  type UsageTotals,
} from "@/lib/domain/accounting";
import {
  aggregateUsage,
  flavorClasses,
  getLatestRules,
  getSite,
  instancesInRange,
  insertRuleVersion,
  listRuleVersions,
  segmentsOf,
  upsertSite,
  type AggregateRow,
  type SiteValues,
  type SortKey,
  type StoredRules,
} from "./queries";

export type UsageChartRow = { month: string; suType: string; suHours: number; cost: number };

export type UsagePage = {
  range: DateRange;
  now: Date;
  stored: StoredRules[];
  versions: AccountingRules[];
  rows: AggregateRow[];
  total: number;
  page: number;
  pageSize: number;
  totals: UsageTotals;
  chart: UsageChartRow[];
  /** Currencies of the rules versions in force in the range (more than one: see costByCurrency). */
  currencies: string[];
  /** The range's cost per currency; `totals.cost` and a row's cost only mean something with one currency. */
  costByCurrency: Record<string, number>;
};

export type UsagePageOptions = { range: DateRange; search?: string; sort?: SortKey; page?: number; pageSize?: number; now?: Date };

/**
 * One page of the usage table (projects ranked in SQL, so paging covers every project) and the
 * range's totals by month and SU type for the chart: one aggregate statement.
 */
export async function getUsagePage(db: Db, providerId: number, opts: UsagePageOptions): Promise<UsagePage> {
  const now = opts.now ?? new Date();
  const pageSize = Math.min(Math.max(opts.pageSize ?? 25, 1), 200);
  const page = Math.max(opts.page ?? 1, 1);
  const stored = await listRuleVersions(db, providerId);
  const versions = effectiveVersions(stored);
  const classes = await flavorClasses(db, providerId, opts.range, versions);
  const base = { providerId, range: opts.range, now, rules: stored, search: opts.search };
  // One pass over the segments gives the page and the chart (both follow the search).
  const all = await aggregateUsage(
    db,
    { ...base, groupBy: ["project"], sort: opts.sort, limit: pageSize, offset: (page - 1) * pageSize, withChart: true },
    classes,
  );
  const rows = all.filter((r) => !r.chart);
  const chartRows = all.filter((r) => r.chart);
  const totals = chartRows.reduce((t, r) => addTotals(t, r), emptyTotals());
  const currencies = [...new Set(accountingSlices(versions, opts.range).map((s) => versions[s.version].currency))];
  const costByCurrency: Record<string, number> = Object.fromEntries(currencies.map((c) => [c, 0]));
  const chart = new Map<string, UsageChartRow>();
  for (const r of chartRows) {
    const currency = versions[r.version ?? 0].currency;
    costByCurrency[currency] = (costByCurrency[currency] ?? 0) + r.cost;
    const key = `${r.month}\u0000${r.suType}`;
    const bar = chart.get(key);
    if (bar) {
      bar.suHours += r.suHours;
      bar.cost += r.cost;
    } else chart.set(key, { month: r.month!, suType: r.suType!, suHours: r.suHours, cost: r.cost });
  }
  return {
    range: opts.range,
    now,
    stored,
    versions,
    rows,
    total: rows[0]?.total ?? (page > 1 ? await countProjects(db, providerId, base) : 0),
    page,
    pageSize,
    totals,
    chart: [...chart.values()],
    currencies,
    costByCurrency,
  };
}

/** Projects with usage when the requested page is past the end (the page's window function saw no rows). */
async function countProjects(db: Db, providerId: number, base: { range: DateRange; now: Date; rules: StoredRules[]; search?: string }) {
  const [first] = await aggregateUsage(db, { providerId, ...base, groupBy: ["project"], limit: 1, offset: 0 });
  return first?.total ?? 0;
}

// ---------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------

export type SavedRules = { providerName: string; before: StoredRules | null; after: StoredRules };

/** Adds a version; it must start after the latest one, so no stored period is ever re-priced by an edit. */
export async function saveRules(db: Db, providerId: number, rules: AccountingRules, createdBy: number | null, note: string | null): Promise<SavedRules> {
  const provider = await getProvider(db, providerId);
  if (!provider) throw new ActionError("not_found", `There is no provider ${providerId}. It may have been deleted.`);
  const problems = rulesProblems(rules);
  if (problems.length) throw new ActionError("invalid_input", problems.join(" "));
  const before = (await getLatestRules(db, providerId)) ?? null;
  if (before && rules.effectiveFrom.getTime() <= before.effectiveFrom.getTime()) {
    throw new ActionError(
      "conflict",
      `The current rules start on ${before.effectiveFrom.toISOString().slice(0, 10)}. A new version must start after that day; earlier periods keep the rules they had.`,
    );
  }
  const after = await insertRuleVersion(db, providerId, rules, createdBy, note);
  return { providerName: provider.name, before, after };
}

export type ApelSiteConfig = SiteValues & { configured: boolean };

/**
 * The provider's SiteName, CloudComputeService and VO; defaults: the provider's name, its
 * Keystone host and no VO (FQAN None: the APEL repository accounts the records to no VO).
 */
export async function siteOf(db: Db, providerId: number): Promise<ApelSiteConfig | undefined> {
  const provider = await getProvider(db, providerId);
  if (!provider) return undefined;
  const row = await getSite(db, providerId);
  if (row) {
    return {
      siteName: row.siteName,
      cloudComputeService: row.cloudComputeService,
      vo: row.vo ?? null,
      projectVos: (row.projectVos ?? {}) as Record<string, string>,
      configured: true,
    };
  }
  let host = provider.authUrl;
  try {
    host = new URL(provider.authUrl).hostname;
  } catch {
    // keep the URL as it is
  }
  return { siteName: provider.name, cloudComputeService: host, vo: null, projectVos: {}, configured: false };
}

export async function saveSite(db: Db, providerId: number, values: SiteValues) {
  const provider = await getProvider(db, providerId);
  if (!provider) throw new ActionError("not_found", `There is no provider ${providerId}. It may have been deleted.`);
  const before = await getSite(db, providerId);
  const after = await upsertSite(db, providerId, values);
  return {
    providerName: provider.name,
    before: before ? { siteName: before.siteName, cloudComputeService: before.cloudComputeService, vo: before.vo, projectVos: before.projectVos } : null,
    after,
  };
}

// ---------------------------------------------------------------------------
// Exports: async generators of text chunks, one batch at a time (flat memory)
// ---------------------------------------------------------------------------

export type ExportOptions = {
  providerId: number;
  range: DateRange;
  now?: Date;
  /** Called after each batch with the number of records written so far. */
  onProgress?: (records: number) => void;
  batchSize?: number;
};

function publicIpCount(addresses: unknown): number {
  const floating = (addresses as { floating?: unknown } | null)?.floating;
  return Array.isArray(floating) ? floating.length : 0;
}

/**
 * APEL CloudRecord v0.4 message: the header, then per VM with history in the range one record
 * per calendar month it ran in, cumulative to that month's end (or now), read in batches of
 * instances by id.
 */
export async function* apelExport(db: Db, opts: ExportOptions & { site: ApelSite }): AsyncGenerator<string> {
  const now = opts.now ?? new Date();
  const batch = opts.batchSize ?? 1000;
  const until = opts.range.to.getTime() < now.getTime() ? opts.range.to : now;
  yield `${APEL_HEADER}\n`;
  let after = 0;
  let written = 0;
  for (;;) {
    const vms = await instancesInRange(db, opts.providerId, opts.range, after, batch);
    if (vms.length === 0) break;
    after = vms[vms.length - 1].id;
    const segments = await segmentsOf(db, vms.map((v) => v.id), until);
    const byInstance = new Map<number, typeof segments>();
    for (const s of segments) {
      let list = byInstance.get(s.instanceId);
      if (!list) byInstance.set(s.instanceId, (list = []));
      list.push(s);
    }
    let chunk = "";
    for (const vm of vms) {
      const records = apelMonthlyRecords(
        {
          serverId: vm.serverId,
          name: vm.name,
          projectId: vm.projectId,
          projectName: vm.projectName,
          openstackUserId: vm.openstackUserId,
          username: vm.username,
          imageId: vm.imageId,
          publicIpCount: publicIpCount(vm.addresses),
          endDate: vm.endDate,
        },
        byInstance.get(vm.id) ?? [],
        opts.site,
        opts.range,
        until,
        now,
      );
      for (const record of records) {
        chunk += apelRecordText(record);
        written++;
      }
    }
    if (chunk) yield chunk;
    opts.onProgress?.(written);
    if (vms.length < batch) break;
  }
}

type PeriodRow = AggregateRow & { periodStart: Date; periodEnd: Date; rate: number; currency: string };

/** Project batches of the range's usage by rules version (rate period) and SU type, each line with its rate. */
async function* periodBatches(db: Db, opts: ExportOptions, groupBy: Array<"month" | "version" | "su_type">): AsyncGenerator<PeriodRow[]> {
  const now = opts.now ?? new Date();
  const stored = await listRuleVersions(db, opts.providerId);
  const versions = effectiveVersions(stored);
  const classes = await flavorClasses(db, opts.providerId, opts.range, versions);
  const periodOf = (v: number) => ({
    periodStart: new Date(Math.max(opts.range.from.getTime(), versions[v].effectiveFrom.getTime())),
    periodEnd: new Date(Math.min(opts.range.to.getTime(), versions[v + 1]?.effectiveFrom.getTime() ?? Infinity)),
  });
  let after = "";
  const batch = opts.batchSize ?? 500;
  for (;;) {
    const rows = await aggregateUsage(
      db,
      { providerId: opts.providerId, range: opts.range, now, rules: stored, groupBy: ["project", ...groupBy], afterProject: after, projectBatch: batch },
      classes,
    );
    if (rows.length === 0) break;
    yield rows.map((r) => ({ ...r, ...periodOf(r.version!), rate: Object.hasOwn(versions[r.version!].rates, r.suType!) ? versions[r.version!].rates[r.suType!] : 0, currency: versions[r.version!].currency }));
    after = rows[rows.length - 1].projectKey!;
    const projects = new Set(rows.map((r) => r.projectKey)).size;
    if (projects < batch) break;
  }
}

const day = (d: Date) => d.toISOString().slice(0, 10);
const lastDay = (d: Date) => day(new Date(d.getTime() - 1));

/** Invoice CSV: one line per project, rate period and SU type (SU hours, rate, cost). */
export async function* invoiceCsvExport(db: Db, opts: ExportOptions): AsyncGenerator<string> {
  yield csvLine([...INVOICE_COLUMNS]);
  let written = 0;
  for await (const rows of periodBatches(db, opts, ["version", "su_type"])) {
    let chunk = "";
    for (const r of rows) {
      chunk += csvLine([
        r.projectName ?? r.projectKey ?? "",
        r.projectKey ?? "",
        r.username ?? "",
        day(r.periodStart),
        lastDay(r.periodEnd),
        r.suType ?? "",
        round(r.suHours, 6),
        r.rate,
        r.currency,
        round(r.cost, 2),
      ]);
      written++;
    }
    yield chunk;
    opts.onProgress?.(written);
  }
}

/** JSON: the range, the rules in force, and per project its totals and lines by month, rate period and SU type. */
export async function* jsonExport(db: Db, opts: ExportOptions & { providerName: string }): AsyncGenerator<string> {
  const now = opts.now ?? new Date();
  const stored = await listRuleVersions(db, opts.providerId);
  const head = {
    provider: { id: opts.providerId, name: opts.providerName },
    range: { from: opts.range.from.toISOString(), to: opts.range.to.toISOString() },
    generatedAt: now.toISOString(),
    definitions: {
      cpuHours: "vCPUs × hours in every status",
      activeCpuHours: "vCPUs × hours in ACTIVE (the allocation engine's CPU usage)",
      suHours: "vCPUs × SU factor × state weight × hours",
      cost: "SU hours × the rate of the SU type in the rules version in force",
    },
    rules: effectiveVersions(stored).map((v) => ({
      effectiveFrom: v.effectiveFrom.toISOString(),
      stateWeights: v.stateWeights,
      otherWeight: v.otherWeight,
      multipliers: v.multipliers,
      rates: v.rates,
      currency: v.currency,
      suTypes: suTypesOf(v),
    })),
  };
  const headText = JSON.stringify(head, null, 1);
  yield `${headText.slice(0, -2)},\n "projects": [\n`;
  let first = true;
  let written = 0;
  for await (const rows of periodBatches(db, opts, ["month", "version", "su_type"])) {
    let chunk = "";
    let i = 0;
    while (i < rows.length) {
      const key = rows[i].projectKey;
      const lines: PeriodRow[] = [];
      while (i < rows.length && rows[i].projectKey === key) lines.push(rows[i++]);
      const totals = lines.reduce((t, l) => addTotals(t, l), emptyTotals());
      const project = {
        projectId: key || null,
        project: lines[0].projectName ?? null,
        user: lines[0].username ?? null,
        totals: roundTotals(totals),
        lines: lines.map((l) => ({
          month: l.month,
          periodStart: l.periodStart.toISOString(),
          periodEnd: l.periodEnd.toISOString(),
          suType: l.suType,
          rate: l.rate,
          currency: l.currency,
          ...roundTotals(l),
        })),
      };
      chunk += `${first ? "" : ",\n"}  ${JSON.stringify(project)}`;
      first = false;
      written++;
    }
    yield chunk;
    opts.onProgress?.(written);
  }
  yield "\n ]\n}\n";
}

function roundTotals(t: UsageTotals) {
  return {
    hours: round(t.hours, 6),
    cpuHours: round(t.cpuHours, 6),
    activeCpuHours: round(t.activeCpuHours, 6),
    ramGbHours: round(t.ramGbHours, 6),
    diskGbHours: round(t.diskGbHours, 6),
    suHours: round(t.suHours, 6),
    cost: round(t.cost, 2),
    unsizedHours: round(t.unsizedHours, 6),
  };
}

const encoder = new TextEncoder();

/**
 * The last line of a file whose export failed half-way. It is not a `Key: value` line and not
 * followed by `%%`, so APEL's loader rejects the whole message rather than load the records
 * before it; a CSV gets a line no reader takes for an invoice line; JSON was left unclosed.
 */
export const EXPORT_FAILED_LINE = "!! Cloudport could not finish this export: the file is incomplete. Do not use or send it; export again.";

/**
 * A byte stream pulling one chunk of the generator at a time as the client reads. When the
 * generator throws, the stream writes EXPORT_FAILED_LINE and then errors, so the HTTP response
 * is cut off (Next destroys the socket: no final chunk, the browser or curl reports a failed
 * download) instead of ending cleanly on a record boundary as if the file were whole. The
 * error itself is logged by `onError`, never written into the file.
 */
export function asyncTextStream(gen: AsyncGenerator<string>, onError?: (error: unknown) => void): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const r = await gen.next();
        if (r.done) controller.close();
        else controller.enqueue(encoder.encode(r.value));
      } catch (error) {
        onError?.(error);
        controller.enqueue(encoder.encode(`\n${EXPORT_FAILED_LINE}\n`));
        controller.error(error);
      }
    },
    async cancel() {
      await gen.return(undefined);
    },
  });
}
