import { describe, expect, it } from "vitest";
import { checkSecurityRule, DEFAULT_SECURITY_RULES, normalizeRule, ruleIsCovered, type ExistingRule } from "./security-rules";
import { securityRuleSchema } from "./security-rules-schema";

describe("securityRuleSchema", () => {
  it("accepts every default rule", () => {
    for (const r of DEFAULT_SECURITY_RULES) expect(securityRuleSchema.safeParse(r).success).toBe(true);
    expect(DEFAULT_SECURITY_RULES).toHaveLength(14);
  });
  it.each([
    [["TCP", 0, 22], "Ports must be 1 to 65535"],
    [["UDP", 100, 20], "ends before it starts"],
    [["ICMP", -2, -1], "ICMP type/code"],
    [["SCTP", 1, 2], "Protocol must be"],
    [["TCP", 22, 22, "10.0.0.0/33"], "CIDR must look like"],
    [["TCP", 22, 22, "10.0.0.0"], "CIDR must look like"],
  ])("refuses %j", (tuple, message) => {
    const r = securityRuleSchema.safeParse(normalizeRule(tuple));
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.message).join(" ")).toContain(message);
  });
  it("reads tuples with a CIDR and lower-case protocols", () => {
    expect(securityRuleSchema.parse(normalizeRule(["tcp", "22", 23, "10.0.0.0/8"]))).toEqual({
      protocol: "TCP",
      fromPort: 22,
      toPort: 23,
      cidr: "10.0.0.0/8",
    });
  });
});

describe("checkSecurityRule (the browser's rules editor and the schema share it)", () => {
  it("names the field and what to fix, and reads typed strings like the form sends", () => {
    expect(checkSecurityRule({ protocol: "TCP", fromPort: "22", toPort: " 23 ", cidr: " " })).toEqual({ rule: { protocol: "TCP", fromPort: 22, toPort: 23 } });
    expect(checkSecurityRule({ protocol: "TCP", fromPort: "2x", toPort: "1.5" })).toEqual({
      issues: [
        { path: "fromPort", message: "Ports are whole numbers." },
        { path: "toPort", message: "Ports are whole numbers." },
      ],
    });
    expect(checkSecurityRule({ protocol: "ICMP", fromPort: -1, toPort: 256, cidr: "10.0.0.0/8" })).toEqual({
      issues: [{ path: "toPort", message: "ICMP type/code must be -1 (any) to 255." }],
    });
    expect(checkSecurityRule({ protocol: "tcp", fromPort: 1, toPort: 2 })).toEqual({ issues: [{ path: "protocol", message: "Protocol must be ICMP, TCP or UDP." }] });
  });
  it("gives the schema the same issues, on the same fields", () => {
    const r = securityRuleSchema.safeParse({ protocol: "UDP", fromPort: 100, toPort: 20, cidr: "1.2.3.4/40" });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["cidr", "CIDR must look like 10.0.0.0/8."],
      ["toPort", "The range ends before it starts."],
    ]);
  });
});

describe("ruleIsCovered", () => {
  const ingress = (p: Partial<ExistingRule>): ExistingRule => ({
    direction: "ingress",
    ethertype: "IPv4",
    protocol: "tcp",
    portRangeMin: null,
    portRangeMax: null,
    remoteIpPrefix: null,
    ...p,
  });
  const ssh = { protocol: "TCP", fromPort: 22, toPort: 23 } as const;

  it.each([
    ["an identical rule", [ingress({ portRangeMin: 22, portRangeMax: 23, remoteIpPrefix: "0.0.0.0/0" })], true],
    ["a wider port range", [ingress({ portRangeMin: 1, portRangeMax: 1000 })], true],
    ["an any-protocol rule", [ingress({ protocol: null })], true],
    ["a narrower port range", [ingress({ portRangeMin: 22, portRangeMax: 22 })], false],
    ["another protocol", [ingress({ protocol: "udp", portRangeMin: 22, portRangeMax: 23 })], false],
    ["an egress rule", [ingress({ direction: "egress" })], false],
    ["an IPv6 rule", [ingress({ ethertype: "IPv6" })], false],
    ["a narrower CIDR", [ingress({ portRangeMin: 22, portRangeMax: 23, remoteIpPrefix: "10.0.0.0/8" })], false],
    ["a remote-group rule (the default group's own)", [ingress({ protocol: null, remoteGroupId: "sg" })], false],
  ])("TCP 22-23 is covered by %s: %s", (_name, existing, covered) => {
    expect(ruleIsCovered(ssh, existing as ExistingRule[])).toBe(covered);
  });

  it("ICMP any is covered only by an any-type rule", () => {
    const icmp = { protocol: "ICMP", fromPort: -1, toPort: -1 } as const;
    expect(ruleIsCovered(icmp, [ingress({ protocol: "icmp" })])).toBe(true);
    expect(ruleIsCovered(icmp, [ingress({ protocol: "icmp", portRangeMin: 8, portRangeMax: 0 })])).toBe(false);
  });
});
