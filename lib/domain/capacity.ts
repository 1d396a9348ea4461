// What a cloud can still run, from Placement's inventories and usages (no I/O here).
//
// Per resource provider (compute node) and resource class:
//   usable = floor((total − reserved) × allocation_ratio)      (what Placement hands out)
//   free   = max(0, usable − used)
// A flavor needing `a` of a class fits floor(free / a) more times on a host, and not at all when
// `a` exceeds the class's max_unit, is below its min_unit, or is not a multiple of its step_size
// (Placement refuses such a request on that host). A host's count is the minimum over the
// flavor's classes (a class the host lacks means 0); the cloud's count is the sum over hosts,
// because an instance never spans hosts (stack versus spread: one free vCPU on each of 8 hosts
// runs eight 1-vCPU instances but not a single 2-vCPU one).

/** One resource class of one provider, as Placement reports it. */
export type ClassInventory = {
  total: number;
  reserved: number;
  minUnit: number;
  maxUnit: number;
  stepSize: number;
  allocationRatio: number;
};

/** A resource provider with what the capacity pages need. */
export type HostCapacity = {
  uuid: string;
  name: string;
  inventories: Record<string, ClassInventory>;
  usages: Record<string, number>;
  aggregates: string[];
  traits: string[];
};

/** A flavor's needs, by resource class (only classes with an amount above 0). */
export type FlavorNeeds = { id: string; name: string; resources: Record<string, number> };

/** The standard classes first, in this order; others after them alphabetically. */
export const STANDARD_CLASSES = ["VCPU", "MEMORY_MB", "DISK_GB"] as const;

export function sortClasses(classes: Iterable<string>): string[] {
  const rank = (c: string) => {
    const i = (STANDARD_CLASSES as readonly string[]).indexOf(c);
    return i === -1 ? STANDARD_CLASSES.length : i;
  };
  return [...new Set(classes)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** What Placement can hand out of this class: floor((total − reserved) × ratio), never below 0. */
export function usableOf(inv: Pick<ClassInventory, "total" | "reserved" | "allocationRatio">): number {
  return Math.max(0, Math.floor((inv.total - inv.reserved) * inv.allocationRatio));
}

/** What is left of the class on the host. */
export function freeOf(inv: ClassInventory, used: number): number {
  return Math.max(0, usableOf(inv) - used);
}

/** Whether one allocation of `amount` is acceptable to this inventory at all (units, not room). */
export function amountAllowed(inv: ClassInventory, amount: number): boolean {
  if (amount > inv.maxUnit || amount < inv.minUnit) return false;
  return inv.stepSize <= 1 || amount % inv.stepSize === 0;
}

/**
 * How many more instances of the flavor fit on the host; Infinity when the flavor asks for
 * nothing at all (it is never limited by Placement).
 */
export function fitsOnHost(host: Pick<HostCapacity, "inventories" | "usages">, needs: Record<string, number>): number {
  let fits = Number.POSITIVE_INFINITY;
  for (const [rc, amount] of Object.entries(needs)) {
    if (!(amount > 0)) continue;
    const inv = host.inventories[rc];
    if (!inv || !amountAllowed(inv, amount)) return 0;
    fits = Math.min(fits, Math.floor(freeOf(inv, host.usages[rc] ?? 0) / amount));
  }
  return fits;
}

/** Nova's Placement request for a flavor: VCPU, MEMORY_MB, DISK_GB = root + ephemeral + ⌈swap / 1024⌉, overridden by `resources:*` extra specs. */
export function flavorNeeds(f: {
  flavorId: string;
  name: string;
  vcpus: number;
  ramMb: number;
  diskGb: number;
  ephemeralGb?: number;
  swapMb?: number;
  extraSpecs?: unknown;
}): FlavorNeeds {
  const resources: Record<string, number> = {
    VCPU: f.vcpus,
    MEMORY_MB: f.ramMb,
    DISK_GB: f.diskGb + (f.ephemeralGb ?? 0) + Math.ceil((f.swapMb ?? 0) / 1024),
  };
  if (f.extraSpecs && typeof f.extraSpecs === "object") {
    for (const [key, value] of Object.entries(f.extraSpecs as Record<string, unknown>)) {
      // "resources:CUSTOM_GPU=1", "resources:VCPU=0" (Nova's override syntax; numbered groups skipped).
      const m = /^resources:([A-Z0-9_]+)$/.exec(key);
      const n = Number(value);
      if (m && Number.isInteger(n) && n >= 0) resources[m[1]] = n;
    }
  }
  return { id: f.flavorId, name: f.name, resources: Object.fromEntries(Object.entries(resources).filter(([, n]) => n > 0)) };
}

export type FlavorFit = FlavorNeeds & {
  /** Instances that still fit, summed over hosts (Infinity: the flavor asks for nothing). */
  fits: number;
  /** Per host uuid, the hosts where at least one fits. */
  perHost: Record<string, number>;
  /** Hosts where at least one still fits. */
  hosts: number;
};

/** Bigger first: more vCPUs, then more memory, then more disk, then the name. */
export function compareFlavorSize(a: FlavorNeeds, b: FlavorNeeds): number {
  for (const rc of STANDARD_CLASSES) {
    const d = (b.resources[rc] ?? 0) - (a.resources[rc] ?? 0);
    if (d !== 0) return d;
  }
  return a.name.localeCompare(b.name);
}

export type FitReport = {
  /** Every flavor, biggest first. */
  flavors: FlavorFit[];
  /** The biggest flavor of which at least one more instance fits somewhere; null if none. */
  largestFitting: FlavorFit | null;
};

/** "What still fits": every flavor against every host. */
export function whatStillFits(hosts: readonly Pick<HostCapacity, "uuid" | "inventories" | "usages">[], flavors: readonly FlavorNeeds[]): FitReport {
  const out: FlavorFit[] = [...flavors].sort(compareFlavorSize).map((f) => {
    const perHost: Record<string, number> = {};
    let fits = 0;
    for (const h of hosts) {
      const n = fitsOnHost(h, f.resources);
      if (n > 0) perHost[h.uuid] = n;
      fits += n;
    }
    return { ...f, fits, perHost, hosts: Object.keys(perHost).length };
  });
  return { flavors: out, largestFitting: out.find((f) => f.fits > 0) ?? null };
}

export type ClassTotal = {
  resourceClass: string;
  total: number;
  reserved: number;
  usable: number;
  used: number;
  free: number;
  /** Providers with an inventory of this class. */
  hosts: number;
  /** used / usable (0 when nothing is usable). */
  fraction: number;
};

/** Sums per resource class over all hosts, standard classes first. */
export function classTotals(hosts: readonly Pick<HostCapacity, "inventories" | "usages">[]): ClassTotal[] {
  const by = new Map<string, ClassTotal>();
  for (const h of hosts) {
    for (const [rc, inv] of Object.entries(h.inventories)) {
      const t = by.get(rc) ?? { resourceClass: rc, total: 0, reserved: 0, usable: 0, used: 0, free: 0, hosts: 0, fraction: 0 };
      const used = h.usages[rc] ?? 0;
      t.total += inv.total;
      t.reserved += inv.reserved;
      t.usable += usableOf(inv);
      t.used += used;
      t.free += freeOf(inv, used);
      t.hosts += 1;
      by.set(rc, t);
    }
  }
  return sortClasses(by.keys()).map((rc) => {
    const t = by.get(rc)!;
    return { ...t, fraction: t.usable > 0 ? t.used / t.usable : 0 };
  });
}

// ---------------------------------------------------------------------------
// Quota against capacity
// ---------------------------------------------------------------------------

/** Granted quota per resource class, summed over projects (-1 = unlimited is counted apart). */
export type GrantedQuota = {
  resourceClass: string;
  granted: number;
  /** Projects whose quota for this class is unlimited. */
  unlimited: number;
};

export type Oversubscription = GrantedQuota & {
  usable: number;
  /** granted / usable; null when nothing is usable. Above 1: more is promised than exists. */
  ratio: number | null;
};

/** Nova quota-set fields and the classes they promise. */
export const QUOTA_CLASSES = { cores: "VCPU", ramMb: "MEMORY_MB" } as const;

/** Sums quota values of projects per class; each project maps field → limit (-1 unlimited). */
export function sumQuotas(projects: ReadonlyArray<Partial<Record<keyof typeof QUOTA_CLASSES, number>>>): GrantedQuota[] {
  return (Object.keys(QUOTA_CLASSES) as Array<keyof typeof QUOTA_CLASSES>).map((field) => {
    let granted = 0;
    let unlimited = 0;
    for (const p of projects) {
      const v = p[field];
      if (v === undefined) continue;
      if (v < 0) unlimited += 1;
      else granted += v;
    }
    return { resourceClass: QUOTA_CLASSES[field], granted, unlimited };
  });
}

/** The granted quota of each class against the cloud's usable capacity. */
export function oversubscription(granted: readonly GrantedQuota[], totals: readonly Pick<ClassTotal, "resourceClass" | "usable">[]): Oversubscription[] {
  return granted.map((g) => {
    const usable = totals.find((t) => t.resourceClass === g.resourceClass)?.usable ?? 0;
    return { ...g, usable, ratio: usable > 0 ? g.granted / usable : null };
  });
}

// ---------------------------------------------------------------------------
// Trend
// ---------------------------------------------------------------------------

export type TrendPoint = { at: Date; used: number; usable: number };

const DAY_MS = 86_400_000;

/** Least-squares slope of used over time, per day; null with fewer than two distinct instants. */
export function growthPerDay(points: readonly Pick<TrendPoint, "at" | "used">[]): number | null {
  if (points.length < 2) return null;
  const xs = points.map((p) => p.at.getTime() / DAY_MS);
  const mx = xs.reduce((s, x) => s + x, 0) / xs.length;
  const my = points.reduce((s, p) => s + p.used, 0) / points.length;
  let sxx = 0;
  let sxy = 0;
  points.forEach((p, i) => {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (p.used - my);
  });
  return sxx === 0 ? null : sxy / sxx;
}

export type FullIn =
  | { kind: "full" }
  | { kind: "not-growing" }
  | { kind: "unknown" }
  | { kind: "days"; days: number; perDay: number };

/**
 * When the class is full at the growth of the last `windowDays` (linear fit), from the latest
 * point: "full" when nothing is free, "not growing" when the fit is flat or falling.
 */
export function fullIn(points: readonly TrendPoint[], now: Date, windowDays = 30): FullIn {
  const recent = points.filter((p) => p.at.getTime() >= now.getTime() - windowDays * DAY_MS && p.at.getTime() <= now.getTime());
  const last = recent.at(-1);
  if (!last) return { kind: "unknown" };
  if (last.usable > 0 && last.used >= last.usable) return { kind: "full" };
  const slope = growthPerDay(recent);
  if (slope === null) return { kind: "unknown" };
  // Less than one unit a month is noise, not growth.
  if (slope <= 1 / windowDays) return { kind: "not-growing" };
  return { kind: "days", days: Math.max(0, Math.ceil((last.usable - last.used) / slope)), perDay: slope };
}
