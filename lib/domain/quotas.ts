// Quota tiers: the values Cloudport sets on Nova, Cinder and Neutron for an account's project,
// and the checks made before they are applied. Pure: no database, no cloud.

/** Which quota API each value belongs to. */
export const QUOTA_SERVICES = {
  compute: ["instances", "cores", "ram"],
  volume: ["volumes", "gigabytes", "snapshots"],
  network: ["floatingip", "network", "subnet", "port", "router", "security_group", "security_group_rule"],
} as const;

export type QuotaService = keyof typeof QUOTA_SERVICES;
export type QuotaKey = (typeof QUOTA_SERVICES)[QuotaService][number];

export const QUOTA_KEYS: QuotaKey[] = [...QUOTA_SERVICES.compute, ...QUOTA_SERVICES.volume, ...QUOTA_SERVICES.network];

export const SERVICE_LABELS: Record<QuotaService, string> = { compute: "Nova", volume: "Cinder", network: "Neutron" };

export const QUOTA_LABELS: Record<QuotaKey, string> = {
  instances: "Instances",
  cores: "Cores",
  ram: "RAM (MiB)",
  volumes: "Volumes",
  gigabytes: "Volume gigabytes",
  snapshots: "Snapshots",
  floatingip: "Floating IPs",
  network: "Networks",
  subnet: "Subnets",
  port: "Ports",
  router: "Routers",
  security_group: "Security groups",
  security_group_rule: "Security group rules",
};

/** A full set of quota values; -1 means unlimited. */
export type QuotaValues = Record<QuotaKey, number>;

/** Atmosphere's floor: a project always gets at least this many security group rules. */
export const SECURITY_GROUP_RULE_FLOOR = 100;

export const UNLIMITED = -1;

export function serviceOf(key: QuotaKey): QuotaService {
  for (const s of Object.keys(QUOTA_SERVICES) as QuotaService[]) {
    if ((QUOTA_SERVICES[s] as readonly string[]).includes(key)) return s;
  }
  throw new Error(`Unknown quota ${key}`);
}

export type SeedTier = { name: string; description: string; values: QuotaValues; isDefault: boolean };

/** The tiers every provider starts with (editable afterwards). */
export const SEED_TIERS: SeedTier[] = [
  {
    name: "small",
    description: "A course or a trial: two small servers.",
    isDefault: false,
    values: {
      instances: 2, cores: 4, ram: 8192,
      volumes: 2, gigabytes: 50, snapshots: 2,
      floatingip: 1, network: 1, subnet: 1, port: 10, router: 1, security_group: 5, security_group_rule: 100,
    },
  },
  {
    name: "medium",
    description: "A typical research project.",
    isDefault: true,
    values: {
      instances: 5, cores: 10, ram: 20480,
      volumes: 5, gigabytes: 200, snapshots: 5,
      floatingip: 2, network: 2, subnet: 2, port: 25, router: 1, security_group: 10, security_group_rule: 100,
    },
  },
  {
    name: "large",
    description: "A lab with several large servers.",
    isDefault: false,
    values: {
      instances: 10, cores: 32, ram: 65536,
      volumes: 10, gigabytes: 1000, snapshots: 10,
      floatingip: 4, network: 4, subnet: 4, port: 50, router: 2, security_group: 20, security_group_rule: 200,
    },
  },
];

export type QuotaProblem = { key: QuotaKey | "_"; message: string };

/** Values that make sense on their own: whole numbers, -1 or more, RAM within Nova's int range. */
export function validateQuotaValues(values: Partial<Record<string, unknown>>): QuotaProblem[] {
  const problems: QuotaProblem[] = [];
  for (const key of QUOTA_KEYS) {
    const v = values[key];
    const label = QUOTA_LABELS[key];
    if (v === undefined || v === null || v === "") problems.push({ key, message: `${label} is missing: enter a number, or -1 for unlimited.` });
    else if (typeof v !== "number" || !Number.isInteger(v)) problems.push({ key, message: `${label} must be a whole number (or -1 for unlimited).` });
    else if (v < UNLIMITED) problems.push({ key, message: `${label} cannot be ${v}: use 0 or more, or -1 for unlimited.` });
    else if (v > 2_147_483_647) problems.push({ key, message: `${label} cannot be more than 2147483647.` });
  }
  return problems;
}

/** Tier names: short, lower-case words (they show in tables and audit rows). */
export function validateTierName(name: string): string | null {
  if (!/^[a-z0-9][a-z0-9._-]{0,39}$/.test(name)) {
    return "A tier name is 1–40 lower-case letters, digits, dots, dashes or underscores, starting with a letter or digit.";
  }
  return null;
}

/** What is sent to the cloud: the values with the security-group-rule floor applied. */
export function effectiveQuota(values: QuotaValues): QuotaValues {
  const rules = values.security_group_rule;
  return { ...values, security_group_rule: rules === UNLIMITED ? UNLIMITED : Math.max(rules, SECURITY_GROUP_RULE_FLOOR) };
}

/** A tier's values with an account's custom values on top. */
export function mergeQuota(base: QuotaValues, custom: Partial<QuotaValues> | null | undefined): QuotaValues {
  const out = { ...base };
  for (const key of QUOTA_KEYS) {
    const v = custom?.[key];
    if (typeof v === "number") out[key] = v;
  }
  return out;
}

export type QuotaUsage = Partial<Record<QuotaKey, number>>;

/** A refused value, with the numbers: "cores: 8 in use, 4 requested". */
export type BelowUsage = { key: QuotaKey; inUse: number; requested: number; message: string };

/** Values (as they will be applied) lower than what the project uses now. -1 is never below. */
export function belowUsage(values: Partial<QuotaValues>, usage: QuotaUsage): BelowUsage[] {
  const out: BelowUsage[] = [];
  for (const key of QUOTA_KEYS) {
    const requested = values[key];
    const inUse = usage[key];
    if (requested === undefined || inUse === undefined || requested === UNLIMITED) continue;
    if (requested < inUse) out.push({ key, inUse, requested, message: `${key}: ${inUse} in use, ${requested} requested` });
  }
  return out;
}

/** One sentence for a refusal, naming every value that is too low. */
export function describeBelowUsage(items: BelowUsage[]): string {
  return `These values are below what the project uses now; free resources first or ask for more: ${items.map((i) => i.message).join("; ")}.`;
}

/** Keys whose values differ between two sets (only keys present in both). */
export function quotaDifferences(
  want: Partial<QuotaValues>,
  have: Partial<QuotaValues>,
): Array<{ key: QuotaKey; want: number; have: number }> {
  const out: Array<{ key: QuotaKey; want: number; have: number }> = [];
  for (const key of QUOTA_KEYS) {
    const w = want[key];
    const h = have[key];
    if (w === undefined || h === undefined) continue;
    if (w !== h) out.push({ key, want: w, have: h });
  }
  return out;
}

/** "unlimited" for -1, the number otherwise. */
export function formatQuota(v: number | undefined | null): string {
  if (v === undefined || v === null) return "—";
  return v === UNLIMITED ? "unlimited" : String(v);
}
