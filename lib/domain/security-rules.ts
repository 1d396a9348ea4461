export type SecurityRule = { protocol: "ICMP" | "TCP" | "UDP"; fromPort: number; toPort: number; cidr?: string };

/** Atmosphere's DEFAULT_RULES: (protocol, from, to), open to the world. */
export const DEFAULT_SECURITY_RULES: SecurityRule[] = (
  [
    ["ICMP", -1, -1],
    ["UDP", 20, 20],
    ["TCP", 20, 21],
    ["TCP", 22, 23],
    ["UDP", 22, 23],
    ["TCP", 80, 80],
    ["TCP", 115, 115],
    ["TCP", 389, 389],
    ["UDP", 389, 389],
    ["TCP", 443, 443],
    ["TCP", 636, 636],
    ["UDP", 636, 636],
    ["TCP", 1024, 65535],
    ["UDP", 1024, 65535],
  ] as const
).map(([protocol, fromPort, toPort]) => ({ protocol, fromPort, toPort }));

const IPV4_CIDR = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/;

export type SecurityRuleIssue = { path: "protocol" | "fromPort" | "toPort" | "cidr"; message: string };

const PROTOCOLS = ["ICMP", "TCP", "UDP"] as const;

/** A form value as a number the way a number input means it ("" and blanks are 0). */
const toNumber = (v: unknown): number => (typeof v === "number" ? v : typeof v === "string" ? Number(v.trim() === "" ? 0 : v) : Number.NaN);

/**
 * Checks one rule as typed (ports may be strings, the CIDR blank): the rule, or what to fix per
 * field. No library: the browser's rules editor runs this as each row is typed, and the server's
 * schema (security-rules-schema.ts) wraps the same function.
 */
export function checkSecurityRule(raw: { protocol?: unknown; fromPort?: unknown; toPort?: unknown; cidr?: unknown }): { rule: SecurityRule } | { issues: SecurityRuleIssue[] } {
  const issues: SecurityRuleIssue[] = [];
  const protocol = PROTOCOLS.find((p) => p === raw.protocol);
  if (!protocol) issues.push({ path: "protocol", message: "Protocol must be ICMP, TCP or UDP." });
  const ports = { fromPort: toNumber(raw.fromPort), toPort: toNumber(raw.toPort) };
  for (const key of ["fromPort", "toPort"] as const) {
    if (!Number.isInteger(ports[key])) issues.push({ path: key, message: "Ports are whole numbers." });
  }
  const cidr = typeof raw.cidr === "string" ? raw.cidr.trim() || undefined : raw.cidr === undefined || raw.cidr === null ? undefined : String(raw.cidr);
  if (cidr !== undefined && !IPV4_CIDR.test(cidr)) issues.push({ path: "cidr", message: "CIDR must look like 10.0.0.0/8." });
  if (protocol && issues.every((i) => i.path !== "fromPort" && i.path !== "toPort")) {
    if (protocol === "ICMP") {
      // For ICMP the "ports" are type and code; -1 means any.
      for (const key of ["fromPort", "toPort"] as const) {
        if (ports[key] < -1 || ports[key] > 255) issues.push({ path: key, message: "ICMP type/code must be -1 (any) to 255." });
      }
    } else {
      for (const key of ["fromPort", "toPort"] as const) {
        if (ports[key] < 1 || ports[key] > 65535) issues.push({ path: key, message: "Ports must be 1 to 65535." });
      }
      if (ports.fromPort > ports.toPort) issues.push({ path: "toPort", message: "The range ends before it starts." });
    }
  }
  if (issues.length || !protocol) return { issues };
  return { rule: { protocol, fromPort: ports.fromPort, toPort: ports.toPort, ...(cidr ? { cidr } : {}) } };
}

/** Reads rules in Atmosphere's tuple form (["TCP", 22, 23] or ["TCP", 22, 23, "10.0.0.0/8"]) or as objects. */
export function normalizeRule(raw: unknown): unknown {
  if (Array.isArray(raw)) {
    const [protocol, fromPort, toPort, cidr] = raw;
    return { protocol: String(protocol).toUpperCase(), fromPort, toPort, cidr };
  }
  if (raw && typeof raw === "object" && "protocol" in raw) {
    const r = raw as Record<string, unknown>;
    return { ...r, protocol: String(r.protocol).toUpperCase() };
  }
  return raw;
}

/** The shape of a Neutron rule that matters for coverage. */
export type ExistingRule = {
  direction: string;
  ethertype: string;
  protocol: string | null;
  portRangeMin: number | null;
  portRangeMax: number | null;
  remoteIpPrefix: string | null;
  remoteGroupId?: string | null;
};

/**
 * True when an existing ingress rule already allows everything `rule` would, so that
 * applying the provider's rules twice adds nothing.
 */
export function ruleIsCovered(rule: SecurityRule, existing: ExistingRule[]): boolean {
  const wantCidr = rule.cidr ?? "0.0.0.0/0";
  return existing.some((e) => {
    if (e.direction !== "ingress" || e.ethertype !== "IPv4" || e.remoteGroupId) return false;
    const cidr = e.remoteIpPrefix ?? "0.0.0.0/0";
    if (cidr !== "0.0.0.0/0" && cidr !== wantCidr) return false;
    if (e.protocol === null) return true;
    if (e.protocol.toUpperCase() !== rule.protocol) return false;
    if (rule.protocol === "ICMP") {
      return (e.portRangeMin ?? -1) === -1 || (e.portRangeMin === rule.fromPort && (e.portRangeMax ?? -1) === rule.toPort);
    }
    const min = e.portRangeMin ?? 1;
    const max = e.portRangeMax ?? 65535;
    return min <= rule.fromPort && max >= rule.toPort;
  });
}
