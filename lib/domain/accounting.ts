// Usage accounting: service units (SUs), state weights and dated rates over instance
// status-history segments, and the APEL CloudRecord v0.4 / invoice CSV formats. Pure code,
// no I/O; every time is UTC.
//
// Definitions (operators compare these with their own sums, so they are exact):
//  - A segment's time inside [from, to) counts; an open segment (end null) runs to `now`, and
//    nothing after `now` counts.
//  - CPU-hours = vCPUs × hours in EVERY status (what the instance held: APEL's CpuCount ×
//    WallDuration over the period); RAM GB-hours = RAM MB / 1024 × hours; disk GB-hours = root
//    disk GB × hours. These do not depend on the weights.
//  - Active CPU-hours = vCPUs × hours in ACTIVE only. This is exactly the allocation engine's
//    usage with "Ignore non-active status" + "Multiply by Size CPU" (lib/domain/allocation.ts);
//    accounting.test.ts proves it on the same segments.
//  - SUs = vCPUs × factor × weight(status) × hours, where factor and SU type come from the
//    first multiplier that matches the segment's flavor (none: SU type "CPU", factor 1) and
//    weight from the state weights of the rules version in force at that instant. With the
//    defaults (active 100 %, others lower) SUs ≥ active CPU-hours; with weights active 100 %
//    and every other state 0 % and no multipliers, SUs = active CPU-hours = allocation usage.
//  - Cost = SUs × the rate of the SU type in the version in force (no rate: 0).
//  - Rules are versions with an `effectiveFrom`: a version applies from its date until the
//    next version's. Before the first stored version the defaults apply with no rate (cost 0).
//  - A segment with no size data (0 vCPUs and 0 MB RAM: the flavor was never imported and
//    Nova did not embed it) counts 0 CPU, RAM, disk and SUs; its hours are reported as
//    `unsizedHours` so the page can say how much time could not be charged.

import { formLines } from "./form-lines";

export const BASE_SU_TYPE = "CPU";
const HOUR_MS = 3_600_000;

/** Nova statuses with a default weight; any other status weighs `otherWeight`. */
export const WEIGHTED_STATES = ["active", "suspended", "paused", "stopped", "shutoff", "shelved", "shelved_offloaded"] as const;

/** Jetstream2's charging: suspended 75 %, stopped 50 %, shelved 0 %; everything else 0 %. */
export const DEFAULT_STATE_WEIGHTS: Record<string, number> = {
  active: 1,
  suspended: 0.75,
  stopped: 0.5,
  shutoff: 0.5,
  shelved: 0,
  shelved_offloaded: 0,
};

/** Matches a flavor by name (glob, `*` and `?`, case-insensitive) and/or an extra spec. */
export type SuMultiplier = {
  suType: string;
  /** SUs per vCPU-hour for the matching flavors. */
  factor: number;
  flavorPattern?: string | null;
  /** e.g. {key: "resources:VGPU"} (present, any value) or {key: "pci_passthrough:alias", value: "a100:1"}. */
  extraSpec?: { key: string; value?: string | null } | null;
};

export type AccountingRules = {
  effectiveFrom: Date;
  /** Fractions 0–1 keyed by lower-case Nova status. */
  stateWeights: Record<string, number>;
  otherWeight: number;
  multipliers: SuMultiplier[];
  /** Cost per SU, by SU type. */
  rates: Record<string, number>;
  currency: string;
};

export const DEFAULT_RULES: AccountingRules = {
  effectiveFrom: new Date(0),
  stateWeights: DEFAULT_STATE_WEIGHTS,
  otherWeight: 0,
  multipliers: [],
  rates: {},
  currency: "USD",
};

export type FlavorInfo = { flavorId?: string | null; flavorName?: string | null; extraSpecs?: Record<string, unknown> | null };

export type AccountingSegment = FlavorInfo & {
  status: string;
  vcpus: number;
  ramMb: number;
  diskGb: number;
  start: Date;
  end: Date | null;
};

export type DateRange = { from: Date; to: Date };

// ---------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------

/** The lower-cased status used for weights ("SHELVED_OFFLOADED" → "shelved_offloaded"). */
export function normalizeStatus(status: string): string {
  return status.trim().toLowerCase();
}

/** The weight of a status under a rules version. */
export function stateWeight(rules: Pick<AccountingRules, "stateWeights" | "otherWeight">, status: string): number {
  const w = rules.stateWeights[normalizeStatus(status)];
  return w === undefined ? rules.otherWeight : w;
}

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${body}$`, "i");
}

/** Whether a multiplier applies to a flavor: every condition it has must hold (none: never). */
export function multiplierMatches(m: SuMultiplier, flavor: FlavorInfo): boolean {
  if (!m.flavorPattern && !m.extraSpec?.key) return false;
  if (m.flavorPattern && !globToRegExp(m.flavorPattern).test(flavor.flavorName ?? "")) return false;
  if (m.extraSpec?.key) {
    const specs = flavor.extraSpecs ?? {};
    if (!Object.prototype.hasOwnProperty.call(specs, m.extraSpec.key)) return false;
    const want = m.extraSpec.value;
    if (want !== undefined && want !== null && want !== "" && String(specs[m.extraSpec.key]).toLowerCase() !== want.toLowerCase()) return false;
  }
  return true;
}

/** SU type and factor of a flavor: the first matching multiplier, else CPU × 1. */
export function classifyFlavor(multipliers: readonly SuMultiplier[], flavor: FlavorInfo): { suType: string; factor: number } {
  for (const m of multipliers) if (multiplierMatches(m, flavor)) return { suType: m.suType, factor: m.factor };
  return { suType: BASE_SU_TYPE, factor: 1 };
}

/** Stored versions in force order, with the defaults (no rate) in front when nothing starts at the epoch. */
export function effectiveVersions(stored: readonly AccountingRules[]): AccountingRules[] {
  const sorted = [...stored].sort((a, b) => a.effectiveFrom.getTime() - b.effectiveFrom.getTime());
  if (sorted.length === 0 || sorted[0].effectiveFrom.getTime() > 0) {
    return [{ ...DEFAULT_RULES, currency: sorted[0]?.currency ?? DEFAULT_RULES.currency }, ...sorted];
  }
  return sorted;
}

/** The index of the version in force at `at` (versions sorted, the first at or before every instant). */
export function versionAt(versions: readonly AccountingRules[], at: Date): number {
  let idx = 0;
  for (let i = 0; i < versions.length; i++) if (versions[i].effectiveFrom.getTime() <= at.getTime()) idx = i;
  return idx;
}

/** Problems with a proposed version, as sentences (empty: fine). */
export function rulesProblems(r: Omit<AccountingRules, "effectiveFrom">): string[] {
  const out: string[] = [];
  for (const [state, w] of Object.entries(r.stateWeights)) {
    if (!(w >= 0 && w <= 1)) out.push(`The weight of ${state} must be between 0 % and 100 %.`);
  }
  if (!(r.otherWeight >= 0 && r.otherWeight <= 1)) out.push("The weight of other states must be between 0 % and 100 %.");
  r.multipliers.forEach((m, i) => {
    if (!m.suType.trim()) out.push(`Multiplier ${i + 1} needs an SU type name.`);
    if (!(m.factor >= 0)) out.push(`Multiplier ${i + 1} needs a factor of 0 or more.`);
    if (!m.flavorPattern && !m.extraSpec?.key) out.push(`Multiplier ${i + 1} needs a flavor name pattern or an extra spec key.`);
  });
  for (const [t, rate] of Object.entries(r.rates)) if (!(rate >= 0)) out.push(`The rate of ${t} SUs must be 0 or more.`);
  if (!/^[A-Z]{3}$/.test(r.currency)) out.push("The currency must be a three-letter code such as USD or EUR.");
  return out;
}

/** The SU types a version can produce: CPU and every multiplier's type. */
export function suTypesOf(r: Pick<AccountingRules, "multipliers">): string[] {
  return [...new Set([BASE_SU_TYPE, ...r.multipliers.map((m) => m.suType)])];
}

// ---------------------------------------------------------------------------
// Slices: the range cut at every month boundary and version start
// ---------------------------------------------------------------------------

export type Slice = { start: Date; end: Date; version: number; month: string };

/** "2024-03" for an instant. */
export function monthKey(d: Date): string {
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

/** The range cut into pieces each inside one calendar month (UTC) and one rules version. */
export function accountingSlices(versions: readonly AccountingRules[], range: DateRange): Slice[] {
  const a = range.from.getTime();
  const b = range.to.getTime();
  if (!(b > a)) return [];
  const cuts = new Set<number>([a, b]);
  for (let m = Date.UTC(range.from.getUTCFullYear(), range.from.getUTCMonth() + 1, 1); m < b; ) {
    cuts.add(m);
    const d = new Date(m);
    m = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
  for (const v of versions) {
    const t = v.effectiveFrom.getTime();
    if (t > a && t < b) cuts.add(t);
  }
  const times = [...cuts].sort((x, y) => x - y);
  const out: Slice[] = [];
  for (let i = 0; i + 1 < times.length; i++) {
    const start = new Date(times[i]);
    out.push({ start, end: new Date(times[i + 1]), version: versionAt(versions, start), month: monthKey(start) });
  }
  return out;
}

// ---------------------------------------------------------------------------
// Usage
// ---------------------------------------------------------------------------

export type UsageTotals = {
  hours: number;
  cpuHours: number;
  activeCpuHours: number;
  ramGbHours: number;
  diskGbHours: number;
  suHours: number;
  cost: number;
  unsizedHours: number;
};

export type UsageLine = UsageTotals & { month: string; version: number; suType: string; rate: number; currency: string };

export const emptyTotals = (): UsageTotals => ({
  hours: 0,
  cpuHours: 0,
  activeCpuHours: 0,
  ramGbHours: 0,
  diskGbHours: 0,
  suHours: 0,
  cost: 0,
  unsizedHours: 0,
});

export function addTotals(into: UsageTotals, x: UsageTotals): UsageTotals {
  into.hours += x.hours;
  into.cpuHours += x.cpuHours;
  into.activeCpuHours += x.activeCpuHours;
  into.ramGbHours += x.ramGbHours;
  into.diskGbHours += x.diskGbHours;
  into.suHours += x.suHours;
  into.cost += x.cost;
  into.unsizedHours += x.unsizedHours;
  return into;
}

/** No vCPUs and no RAM: the size is unknown, not zero. */
export function isUnsized(seg: Pick<AccountingSegment, "vcpus" | "ramMb">): boolean {
  return !(seg.vcpus > 0) && !(seg.ramMb > 0);
}

/**
 * Usage of segments in a range under dated rules, one line per (month, rules version, SU type)
 * that has time in it, in that order.
 */
export function accountSegments(
  segments: readonly AccountingSegment[],
  stored: readonly AccountingRules[],
  range: DateRange,
  now: Date,
): UsageLine[] {
  const versions = effectiveVersions(stored);
  const slices = accountingSlices(versions, range);
  const lines = new Map<string, UsageLine>();
  const nowMs = now.getTime();
  for (const seg of segments) {
    const segStart = seg.start.getTime();
    const segEnd = Math.min(seg.end ? seg.end.getTime() : nowMs, nowMs);
    if (!(segEnd > segStart)) continue;
    const unsized = isUnsized(seg);
    const active = normalizeStatus(seg.status) === "active";
    for (const sl of slices) {
      const s = Math.max(segStart, sl.start.getTime());
      const e = Math.min(segEnd, sl.end.getTime());
      if (!(e > s)) continue;
      const hours = (e - s) / HOUR_MS;
      const v = versions[sl.version];
      const { suType, factor } = classifyFlavor(v.multipliers, seg);
      const key = `${sl.month}\u0000${sl.version}\u0000${suType}`;
      let line = lines.get(key);
      if (!line) {
        line = { ...emptyTotals(), month: sl.month, version: sl.version, suType, rate: Object.hasOwn(v.rates, suType) ? v.rates[suType] : 0, currency: v.currency };
        lines.set(key, line);
      }
      const su = unsized ? 0 : seg.vcpus * factor * stateWeight(v, seg.status) * hours;
      line.hours += hours;
      if (unsized) line.unsizedHours += hours;
      else {
        line.cpuHours += seg.vcpus * hours;
        if (active) line.activeCpuHours += seg.vcpus * hours;
        line.ramGbHours += (seg.ramMb / 1024) * hours;
        line.diskGbHours += seg.diskGb * hours;
      }
      line.suHours += su;
      line.cost += su * line.rate;
    }
  }
  return [...lines.values()].sort((x, y) =>
    x.month < y.month ? -1 : x.month > y.month ? 1 : x.version - y.version || (x.suType < y.suType ? -1 : x.suType > y.suType ? 1 : 0),
  );
}

/** The lines added up. */
export function totalOf(lines: readonly UsageTotals[]): UsageTotals {
  return lines.reduce((t, l) => addTotals(t, l), emptyTotals());
}

/** Default range: the calendar month (UTC) of `now`, to the start of the next. */
export function monthRange(now: Date): DateRange {
  return {
    from: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)),
    to: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)),
  };
}

/**
 * A range from two `YYYY-MM-DD` dates, both days included (to = the day after `to`, 00:00 UTC).
 * Null when either is not a real date or the range is empty or longer than 10 years.
 */
export function parseDayRange(from: string | undefined, to: string | undefined, now: Date): DateRange | null {
  if (!from && !to) return monthRange(now);
  const day = (s: string | undefined) => {
    if (!s || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return null;
    const d = new Date(`${s}T00:00:00Z`);
    return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s ? null : d;
  };
  const a = day(from);
  const b = day(to);
  if (!a || !b) return null;
  const end = new Date(b.getTime() + 86_400_000);
  if (end <= a || end.getTime() - a.getTime() > 3660 * 86_400_000) return null;
  return { from: a, to: end };
}

/** `YYYY-MM-DD` of a range's first and last day. */
export function rangeDays(r: DateRange): { from: string; to: string } {
  return { from: r.from.toISOString().slice(0, 10), to: new Date(r.to.getTime() - 86_400_000).toISOString().slice(0, 10) };
}

// ---------------------------------------------------------------------------
// APEL CloudRecord v0.4 (the cASO field set)
// ---------------------------------------------------------------------------

export const APEL_HEADER = "APEL-cloud-message: v0.4";
export const APEL_FIELDS = [
  "VMUUID",
  "SiteName",
  "CloudComputeService",
  "MachineName",
  "LocalUserId",
  "LocalGroupId",
  "GlobalUserName",
  "FQAN",
  "Status",
  "StartTime",
  "EndTime",
  "SuspendDuration",
  "WallDuration",
  "CpuDuration",
  "CpuCount",
  "NetworkType",
  "NetworkInbound",
  "NetworkOutbound",
  "PublicIPCount",
  "Memory",
  "Disk",
  "StorageRecordId",
  "ImageId",
  "CloudType",
] as const;
export type ApelField = (typeof APEL_FIELDS)[number];
export type ApelRecord = Record<ApelField, string | number | null>;

/** Statuses APEL calls "suspended": the VM exists but does not run. */
const SUSPENDED_STATES = new Set(["suspended", "paused", "stopped", "shutoff", "shelved", "shelved_offloaded"]);
const GONE_STATES = new Set(["deleted", "soft_deleted", "terminated"]);

export type ApelInstance = {
  serverId: string;
  name: string;
  projectId: string | null;
  projectName: string | null;
  openstackUserId: string | null;
  username: string | null;
  imageId: string | null;
  publicIpCount: number;
  /** When the instance disappeared from the cloud (end-dated by an import); null while it exists. */
  endDate: Date | null;
};

export type ApelSite = {
  siteName: string;
  cloudComputeService: string;
  cloudType?: string;
  /** The site's VO (e.g. "vo.example.org"): FQAN /<vo>/Role=NULL/Capability=NULL. None: FQAN None. */
  vo?: string | null;
  /** Per-project VO, keyed by project id or name; wins over `vo`. */
  projectVos?: Record<string, string> | null;
};

/** A VO name as the EGI operations portal spells them: letters, digits, dots, dashes, underscores. */
export const VO_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export const VO_PROBLEM = "A VO is a name such as vo.example.org: letters, digits, dots, dashes and underscores, no spaces or slashes.";

/** The VO of a project: its own mapping (by id, then name), else the site's; null when neither is set. */
export function voOf(site: Pick<ApelSite, "vo" | "projectVos">, projectId: string | null, projectName: string | null): string | null {
  const map = site.projectVos ?? {};
  if (projectId && Object.prototype.hasOwnProperty.call(map, projectId)) return map[projectId];
  if (projectName && Object.prototype.hasOwnProperty.call(map, projectName)) return map[projectName];
  return site.vo || null;
}

/** cASO's FQAN for a VO with no role or capability; null when there is no VO. */
export function fqanOf(vo: string | null): string | null {
  return vo ? `/${vo}/Role=NULL/Capability=NULL` : null;
}

/** `project = vo` per line (project by id or name) into a map, with a sentence per bad line. */
export function parseProjectVos(text: string): { projectVos: Record<string, string>; problems: string[] } {
  // A Map, then fromEntries: a project named "__proto__" stays an ordinary key.
  const map = new Map<string, string>();
  const problems: string[] = [];
  for (const { line, number } of formLines(text)) {
    const eq = line.indexOf("=");
    const project = eq > 0 ? line.slice(0, eq).trim() : "";
    const vo = eq > 0 ? line.slice(eq + 1).trim() : "";
    if (!project || !vo) problems.push(`VO line ${number} should look like my-project = vo.example.org (project name or id, =, VO).`);
    else if (project.length > 255) problems.push(`VO line ${number}: the project name is too long.`);
    else if (!VO_PATTERN.test(vo)) problems.push(`VO line ${number}: ${VO_PROBLEM}`);
    else if (map.has(project)) problems.push(`The VO of ${project} is given twice.`);
    else map.set(project, vo);
  }
  return { projectVos: Object.fromEntries(map), problems };
}

/** The map as the form's lines. */
export function formatProjectVos(map: Record<string, string>): string {
  return Object.entries(map)
    .map(([p, vo]) => `${p} = ${vo}`)
    .join("\n");
}

/**
 * One VM's record, cumulative from its first segment to `until` (the range end or now), as cASO
 * reports: Status completed once the VM is gone by `until`, suspended while it is in a
 * non-running state (suspended, paused, stopped/shutoff, shelved), otherwise started.
 * WallDuration = seconds in running states; SuspendDuration = seconds in the non-running ones;
 * CpuDuration = Σ vCPUs × running seconds (a resize changes the count mid-way); CpuCount,
 * Memory (MB) and Disk (GB) are the last size. Times are Unix epoch seconds. Null = unknown.
 */
export function apelRecord(vm: ApelInstance, segments: readonly AccountingSegment[], site: ApelSite, until: Date, now: Date): ApelRecord | null {
  const limit = Math.min(until.getTime(), now.getTime());
  const sorted = [...segments].filter((s) => s.start.getTime() < limit).sort((a, b) => a.start.getTime() - b.start.getTime());
  if (sorted.length === 0) return null;
  let wall = 0;
  let suspend = 0;
  let cpu = 0;
  let lastEnd = 0;
  for (const s of sorted) {
    const a = s.start.getTime();
    const b = Math.min(s.end ? s.end.getTime() : now.getTime(), limit);
    if (b > lastEnd) lastEnd = b;
    if (!(b > a)) continue;
    const secs = (b - a) / 1000;
    const st = normalizeStatus(s.status);
    if (GONE_STATES.has(st)) continue;
    if (SUSPENDED_STATES.has(st)) suspend += secs;
    else {
      wall += secs;
      cpu += secs * Math.max(0, s.vcpus);
    }
  }
  const last = sorted[sorted.length - 1];
  const ended = vm.endDate !== null && vm.endDate.getTime() <= limit;
  const lastStatus = normalizeStatus(last.status);
  const status = ended || GONE_STATES.has(lastStatus) ? "completed" : SUSPENDED_STATES.has(lastStatus) ? "suspended" : "started";
  const epoch = (ms: number) => Math.floor(ms / 1000);
  const end = status === "completed" ? epoch(vm.endDate && vm.endDate.getTime() <= limit ? vm.endDate.getTime() : lastEnd) : null;
  const unsized = isUnsized(last);
  return {
    VMUUID: vm.serverId,
    SiteName: site.siteName,
    CloudComputeService: site.cloudComputeService,
    MachineName: vm.name,
    LocalUserId: vm.openstackUserId,
    LocalGroupId: vm.projectId,
    GlobalUserName: vm.username,
    FQAN: fqanOf(voOf(site, vm.projectId, vm.projectName)),
    Status: status,
    StartTime: epoch(sorted[0].start.getTime()),
    EndTime: end,
    SuspendDuration: Math.round(suspend),
    WallDuration: Math.round(wall),
    CpuDuration: Math.round(cpu),
    CpuCount: unsized ? null : last.vcpus,
    NetworkType: null,
    NetworkInbound: null,
    NetworkOutbound: null,
    PublicIPCount: vm.publicIpCount,
    Memory: unsized ? null : last.ramMb,
    Disk: unsized ? null : last.diskGb,
    StorageRecordId: null,
    ImageId: vm.imageId,
    CloudType: site.cloudType ?? "OpenStack",
  };
}

/**
 * The VM's records for an APEL export of a range: one per calendar month (UTC) of the range in
 * which the VM had time, each cumulative from the VM's start to that month's end (or `until`,
 * if earlier), as cASO would have published at the month's end. APEL keys cloud records on
 * VMUUID and the month of StartTime + SuspendDuration + WallDuration and takes the latest per
 * month, so one record for a range of several months would leave every month but the last empty.
 */
export function apelMonthlyRecords(
  vm: ApelInstance,
  segments: readonly AccountingSegment[],
  site: ApelSite,
  range: DateRange,
  until: Date,
  now: Date,
): ApelRecord[] {
  const end = Math.min(range.to.getTime(), until.getTime(), now.getTime());
  const out: ApelRecord[] = [];
  for (let from = range.from.getTime(); from < end; ) {
    const d = new Date(from);
    const next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    const limit = Math.min(next, end);
    const lived = segments.some((s) => s.start.getTime() < limit && (s.end ? s.end.getTime() : now.getTime()) > from);
    if (lived) {
      // Measured one second before the month ends: measured at the boundary itself, the record
      // would count for the next month. The next month's record carries that second.
      const record = apelRecord(vm, segments, site, new Date(Math.min(limit, next - 1000)), now);
      if (record) out.push(record);
    }
    from = limit;
  }
  return out;
}

/**
 * A value safe for one `Key: value` line. APEL's loader splits the whole message on `%%` before
 * it splits records into lines, so a `%%` anywhere (a VM named "a %% b") would end the record
 * early and break every record after it; a run of `%` becomes one `%`. Anything that could end
 * a line (C0/C1 controls, DEL, U+2028/U+2029, which Python's splitlines honours) becomes a space.
 */
export function apelValue(v: string | number | null): string {
  if (v === null || v === undefined || v === "") return "None";
  return (
    String(v)
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ")
      .replace(/%{2,}/g, "%")
      .replace(/ {2,}/g, " ")
      .trim() || "None"
  );
}

/** One record as APEL message lines, every field of the set in order, followed by `%%`. */
export function apelRecordText(r: ApelRecord): string {
  return `${APEL_FIELDS.map((f) => `${f}: ${apelValue(r[f])}`).join("\n")}\n%%\n`;
}

// ---------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------

/**
 * One CSV cell: quoted when needed, and a text that a spreadsheet would run as a formula
 * (=, +, -, @, tab, CR first) gets a leading apostrophe. Numbers are written as they are.
 */
export function csvCell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  let s = v;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: Array<string | number | null | undefined>): string {
  return `${cells.map(csvCell).join(",")}\n`;
}

export const INVOICE_COLUMNS = ["project", "project_id", "user", "period_start", "period_end", "su_type", "su_hours", "rate", "currency", "cost"] as const;

/** Rounds for files: 6 decimals for quantities, 2 for money (never "-0"). */
export function round(n: number, digits: number): number {
  const f = 10 ** digits;
  const r = Math.round(n * f) / f;
  return r === 0 ? 0 : r;
}
