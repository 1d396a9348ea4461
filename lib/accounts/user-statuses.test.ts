import { describe, expect, it } from "vitest";
import { parseUsersQuery, trimUserStatuses, usernamesWithStatus } from "./user-statuses";

const big = () => {
  const users: Record<string, { status: string; step: null }> = {};
  for (let i = 0; i < 10_000; i++) users[`u${i}`] = { status: i < 300 ? "failed" : i < 350 ? "running" : i < 5000 ? "done" : "queued", step: null };
  return { users, ok: 4650, failed: 300 };
};

describe("trimUserStatuses", () => {
  it("keeps small jobs whole and adds totals", () => {
    const counts = { users: { a: { status: "done" }, b: { status: "failed" } }, ok: 1 };
    expect(trimUserStatuses(counts)).toEqual({ ...counts, userTotals: { running: 0, failed: 1, queued: 0, done: 1, total: 2 }, usersTruncated: false });
  });

  it("sends at most 200 failed plus 200 others, running and queued before done", () => {
    const t = trimUserStatuses(big()) as ReturnType<typeof big> & { userTotals: Record<string, number>; usersTruncated: boolean };
    const statuses = Object.values(t.users).map((s) => s.status);
    expect(statuses.filter((s) => s === "failed")).toHaveLength(200);
    expect(statuses.filter((s) => s === "running")).toHaveLength(50);
    expect(statuses.filter((s) => s === "queued")).toHaveLength(150);
    expect(statuses.filter((s) => s === "done")).toHaveLength(0);
    expect(t.userTotals).toEqual({ running: 50, failed: 300, queued: 5000, done: 4650, total: 10_000 });
    expect(t.usersTruncated).toBe(true);
    expect(t.ok).toBe(4650);
  });

  it("pages one status", () => {
    const t = trimUserStatuses(big(), { mode: "status", status: "done", offset: 10, limit: 5 }) as { users: Record<string, unknown> };
    expect(Object.keys(t.users)).toEqual(["u360", "u361", "u362", "u363", "u364"]);
  });

  it("leaves counts without a user map alone", () => {
    const counts = { created: 3 };
    expect(trimUserStatuses(counts)).toBe(counts);
    expect(trimUserStatuses(null)).toBe(null);
  });
});

describe("parseUsersQuery / usernamesWithStatus", () => {
  it("reads the query", () => {
    expect(parseUsersQuery(new URLSearchParams(""))).toEqual({ mode: "summary", limit: undefined });
    expect(parseUsersQuery(new URLSearchParams("users=failed&offset=200&limit=50"))).toEqual({ mode: "status", status: "failed", offset: 200, limit: 50 });
    expect(parseUsersQuery(new URLSearchParams("users=bogus"))).toBeNull();
    expect(parseUsersQuery(new URLSearchParams("limit=-1"))).toBeNull();
  });
  it("lists every failed username", () => {
    expect(usernamesWithStatus(big(), "failed")).toHaveLength(300);
  });
});
