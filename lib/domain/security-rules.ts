import { z } from "zod";

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

export const securityRuleSchema = z
  .object({
    protocol: z.enum(["ICMP", "TCP", "UDP"], { message: "Protocol must be ICMP, TCP or UDP." }),
    fromPort: z.coerce.number().int("Ports are whole numbers."),
    toPort: z.coerce.number().int("Ports are whole numbers."),
    cidr: z
      .string()
      .trim()
      .optional()
      .transform((v) => v || undefined)
      .refine((v) => v === undefined || IPV4_CIDR.test(v), "CIDR must look like 10.0.0.0/8.")
      .optional(),
  })
  .superRefine((r, ctx) => {
    if (r.protocol === "ICMP") {
      // For ICMP the "ports" are type and code; -1 means any.
      for (const [key, v] of [["fromPort", r.fromPort], ["toPort", r.toPort]] as const) {
        if (v < -1 || v > 255) ctx.addIssue({ code: "custom", path: [key], message: "ICMP type/code must be -1 (any) to 255." });
      }
      return;
    }
    for (const [key, v] of [["fromPort", r.fromPort], ["toPort", r.toPort]] as const) {
      if (v < 1 || v > 65535) ctx.addIssue({ code: "custom", path: [key], message: "Ports must be 1 to 65535." });
    }
    if (r.fromPort > r.toPort) ctx.addIssue({ code: "custom", path: ["toPort"], message: "The range ends before it starts." });
  });

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
