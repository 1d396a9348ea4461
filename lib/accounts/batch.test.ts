import { describe, expect, it } from "vitest";
import { DEFAULT_SECURITY_RULES, type ExistingRule } from "@/lib/domain/security-rules";
import { eachWithConcurrency, failureSummary, StatusBoard, type BatchCounts } from "./batch";
import { AccountStepError, describeError } from "./errors";
import { isRouterInterfacePort, missingRules, ruleBody } from "./provision";

describe("StatusBoard", () => {
  it("writes at most once per interval, and always at the end", async () => {
    const writes: BatchCounts[] = [];
    const board = new StatusBoard(["a", "b", "c"], "accounts", async (c) => void writes.push(c), 30);
    board.set("a", { status: "running", step: "project" });
    board.set("a", { step: "user" });
    board.set("b", { status: "running" });
    expect(writes).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 60));
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({ total: 3, running: 2, queued: 1, users: { a: { status: "running", step: "user" } } });
    board.set("a", { status: "done" });
    board.set("b", { status: "failed", error: "Neutron said 409" });
    await board.flush();
    expect(writes.at(-1)).toMatchObject({ done: 1, failed: 1, queued: 1, running: 0 });
    // Snapshots do not change after they were written.
    board.set("c", { status: "done" });
    expect(writes.at(-1)!.users.c.status).toBe("queued");
  });

  it("remembers a failed write (a cancelled job) instead of throwing from a timer", async () => {
    const board = new StatusBoard(["a"], "accounts", async () => {
      throw new Error("The job was cancelled.");
    });
    await board.flush();
    expect(String(board.failure)).toMatch(/cancelled/);
  });

  it("summarises failures", () => {
    const users = Object.fromEntries(
      Array.from({ length: 7 }, (_, i) => [`u${i}`, { status: i < 6 ? "failed" : "done", step: null, error: "x", identityId: null }]),
    ) as BatchCounts["users"];
    expect(failureSummary({ total: 7, queued: 0, running: 0, done: 1, failed: 6, users }, "accounts")).toBe(
      "6 of 7 accounts failed (u0, u1, u2, u3, u4 and 1 more); see each user's error, then retry them.",
    );
  });
});

describe("eachWithConcurrency", () => {
  it("never runs more than the limit at once and does every item", async () => {
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    await eachWithConcurrency(Array.from({ length: 20 }, (_, i) => i), 4, async (i) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 2 + (i % 3)));
      done.push(i);
      running--;
    });
    expect(peak).toBe(4);
    expect(done.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
  it("stops taking items when told to", async () => {
    const done: number[] = [];
    await eachWithConcurrency([1, 2, 3, 4, 5], 1, async (i) => void done.push(i), () => done.length >= 2);
    expect(done).toEqual([1, 2]);
  });
});

describe("security rules for Neutron", () => {
  const rule = (r: Partial<ExistingRule>): ExistingRule => ({
    direction: "ingress",
    ethertype: "IPv4",
    protocol: null,
    portRangeMin: null,
    portRangeMax: null,
    remoteIpPrefix: null,
    ...r,
  });
  it("builds bodies: ICMP any leaves the ports out", () => {
    expect(ruleBody({ protocol: "ICMP", fromPort: -1, toPort: -1 })).toEqual({ protocol: "icmp", portRangeMin: undefined, portRangeMax: undefined, remoteIpPrefix: "0.0.0.0/0" });
    expect(ruleBody({ protocol: "ICMP", fromPort: 8, toPort: -1 })).toMatchObject({ portRangeMin: 8, portRangeMax: undefined });
    expect(ruleBody({ protocol: "TCP", fromPort: 22, toPort: 23, cidr: "10.0.0.0/8" })).toEqual({ protocol: "tcp", portRangeMin: 22, portRangeMax: 23, remoteIpPrefix: "10.0.0.0/8" });
  });
  it("adds all 14 default rules to Neutron's default group (whose rules only allow the group itself)", () => {
    const neutronDefault = [rule({ remoteGroupId: "self" }), rule({ ethertype: "IPv6", remoteGroupId: "self" }), rule({ direction: "egress" })];
    expect(missingRules(DEFAULT_SECURITY_RULES, neutronDefault)).toEqual(DEFAULT_SECURITY_RULES);
  });
  it("skips rules already covered, and ones covered by rules added before them", () => {
    const existing = [rule({ protocol: "tcp", portRangeMin: 1, portRangeMax: 65535 })];
    const missing = missingRules(DEFAULT_SECURITY_RULES, existing);
    expect(missing.some((r) => r.protocol === "TCP")).toBe(false);
    expect(missing).toHaveLength(6);
    expect(missingRules([{ protocol: "UDP", fromPort: 1, toPort: 65535 }, { protocol: "UDP", fromPort: 53, toPort: 53 }], [])).toHaveLength(1);
    expect(missingRules(DEFAULT_SECURITY_RULES, [rule({})])).toEqual([]);
  });
});

describe("helpers", () => {
  it("recognises router interface ports of plain, DVR and HA routers", () => {
    expect(["network:router_interface", "network:router_interface_distributed", "network:ha_router_replicated_interface"].every((o) => isRouterInterfacePort({ deviceOwner: o }))).toBe(true);
    expect(isRouterInterfacePort({ deviceOwner: "network:dhcp" })).toBe(false);
    expect(isRouterInterfacePort({ deviceOwner: "network:router_gateway" })).toBe(false);
  });
  it("masks the derived password and secrets in messages", () => {
    const pw = "d1d2d62228378ac354cc0bed758f348a50832847444fc21dcd276c3768fcd5c0";
    expect(describeError(new Error(`Keystone said 400: password ${pw} rejected; {"password": "${pw}"}`), [pw])).not.toContain(pw);
    expect(new AccountStepError("user", "x").step).toBe("user");
  });
});
