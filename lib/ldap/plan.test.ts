import { describe, expect, it } from "vitest";
import { planGroup } from "./plan";
import type { MemberStatus } from "./store";

const m = (username: string, over: Partial<MemberStatus> = {}): MemberStatus => ({
  username,
  portalUser: true,
  portalUsername: null,
  account: null,
  removedAt: null,
  deactivated: false,
  privileged: [],
  ...over,
});

describe("planGroup", () => {
  const members = [
    m("new", { portalUser: false }),
    m("has", { account: "active" }),
    m("pending", { account: "pending" }),
    m("failed", { account: "failed" }),
    m("removed", { removedAt: "2026-11-02T10:00:00.000Z" }),
    m("off", { deactivated: true }),
    m("offfailed", { deactivated: true, account: "failed" }),
    m("Admin", { portalUsername: "admin", privileged: ["superuser", "sso"] }),
    m("op", { privileged: ["staff"] }),
    m("opwithaccount", { privileged: ["staff"], account: "active" }),
  ];

  it.each([
    { name: "a staff click", scheduled: false, confirmed: [], queue: ["new", "failed", "removed"], skipped: { off: "deactivated", offfailed: "deactivated", Admin: "confirm", op: "confirm" } },
    { name: "a staff click that confirmed two (any case)", scheduled: false, confirmed: ["admin", "OP", "off"], queue: ["new", "failed", "removed", "Admin", "op"], skipped: { off: "deactivated", offfailed: "deactivated" } },
    { name: "the schedule", scheduled: true, confirmed: [], queue: ["new", "failed"], skipped: { removed: "removed", off: "deactivated", offfailed: "deactivated", Admin: "confirm", op: "confirm" } },
    { name: "the schedule ignores confirmations", scheduled: true, confirmed: ["admin", "op"], queue: ["new", "failed"], skipped: { removed: "removed", off: "deactivated", offfailed: "deactivated", Admin: "confirm", op: "confirm" } },
  ])("$name", ({ scheduled, confirmed, queue, skipped }) => {
    const r = planGroup(members, { scheduled, confirmed });
    expect(r.queue).toEqual(queue);
    expect(Object.fromEntries(r.skipped.map((s) => [s.username, s.kind]))).toEqual(skipped);
  });

  it("says why, naming the matched portal user and its roles", () => {
    const staff = planGroup(members, { scheduled: false }).skipped;
    expect(staff.find((s) => s.username === "Admin")?.reason).toBe("Matches the portal user admin, who is a superuser and signs in with SSO: confirm them by name in the preview to provision them.");
    expect(staff.find((s) => s.username === "off")?.reason).toBe("The portal user off is deactivated: activate them under Users to provision them.");
    const sched = planGroup(members, { scheduled: true }).skipped;
    expect(sched.find((s) => s.username === "op")?.reason).toBe("Matches op, who is staff: the schedule never provisions such a user; confirm them by name in the preview.");
    expect(sched.find((s) => s.username === "removed")?.reason).toBe("Removed by staff on 2026-11-02: the schedule does not provision them again; Provision on this card does.");
  });
});
