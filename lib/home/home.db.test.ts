// The console home: the cards' figures for every provider, in a number of queries that does not
// grow with the providers.
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { insertProvider } from "@/lib/allocation/fixtures";
import { insertSnapshot } from "@/lib/capacity/queries";
import type { Db } from "@/lib/db/client";
import { createAuditEntry } from "@/lib/db/queries/audit";
import * as schema from "@/lib/db/schema";
import { identities, jobs, providers, users } from "@/lib/db/schema";
import { eq } from "drizzle-orm";
import { testDb, truncateAll } from "@/test/db";
import { loadHome } from "./queries";

const NOW = new Date("2026-11-20T12:00:00Z");
const ago = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);

describe("loadHome", async () => {
  const db = await testDb();
  const client = postgres(process.env.DATABASE_URL!, { max: 6, onnotice: () => {} });
  let queries = 0;
  const counted = drizzle(client, { schema, logger: { logQuery: () => void queries++ } }) as unknown as Db;
  afterAll(() => client.end());
  beforeEach(() => truncateAll(db));

  /** A provider with a preflight, imports, jobs, accounts in every state, a snapshot and a failed attempt. */
  async function seedProvider(name: string, k: number) {
    const id = await insertProvider(db, name);
    await db
      .update(providers)
      .set({
        lastPreflightAt: ago(2),
        lastPreflight: {
          ok: k % 2 === 0,
          checks: [
            { label: "Keystone", status: "ok" },
            { label: "Placement", status: k % 2 === 0 ? "ok" : "fail" },
            { label: "Neutron", status: "warn" },
          ],
        },
      })
      .where(eq(providers.id, id));
    // Two sizes imports (the later one counts), one failed machines import, no other import.
    await db.insert(jobs).values([
      { kind: "import.sizes", providerId: id, state: "succeeded", createdAt: ago(30), finishedAt: ago(30), result: { counts: { added: 1, updated: 0, endDated: 0 } } },
      { kind: "import.sizes", providerId: id, state: "succeeded", createdAt: ago(1), finishedAt: ago(1), result: { counts: { added: 3 + k, updated: 2, endDated: 1 } } },
      { kind: "import.machines", providerId: id, state: "failed", createdAt: ago(3), finishedAt: ago(3), error: "Glance said 503" },
      // Live jobs, a failed one inside the 24 h window and one older than it.
      { kind: "accounts.provision", providerId: id, state: "running", createdAt: ago(0.5) },
      { kind: "accounts.provision", providerId: id, state: "queued", createdAt: ago(0.2) },
      { kind: "accounts.provision", providerId: id, state: "failed", createdAt: ago(48), finishedAt: ago(48), error: "old" },
    ]);
    const people = await db
      .insert(users)
      .values(Array.from({ length: 6 + k }, (_, i) => ({ username: `${name}-u${i}` })))
      .returning({ id: users.id });
    const states = ["active", "active", "failed", "provisioning", "pending", "removing"] as const;
    await db.insert(identities).values(
      people.map((u, i) => ({ userId: u.id, providerId: id, projectName: `${name}-p${i}`, state: states[i % states.length] })),
    );
    // An ended account does not count.
    await db.insert(identities).values({ userId: people[0].id, providerId: id, projectName: `${name}-gone`, state: "active", endDate: ago(100) });
    await insertSnapshot(
      db,
      id,
      {
        hosts: [],
        totals: [{ resourceClass: "VCPU", total: 64, reserved: 0, capacity: 128, used: 10 * (k + 1), free: 128 - 10 * (k + 1), hosts: 2 }] as never,
        quota: null,
        allocation: { asOf: ago(1).toISOString(), over80: 2 + k, over100: 1, checked: 50, top: [{ userId: people[0].id, username: `${name}-u0`, percent: 130 }] },
        error: null,
      },
      { takenAt: ago(1) },
    );
    if (k === 1) {
      // The allocation watch comes from the database, so a failed attempt still carries a fresh one.
      const allocation = { asOf: ago(0.25).toISOString(), over80: 9, over100: 4, checked: 50, top: [{ userId: people[1].id, username: `${name}-u1`, percent: 150 }] };
      await insertSnapshot(db, id, { hosts: [], totals: [], quota: null, allocation, error: "Placement said 503" }, { takenAt: ago(0.25) });
    }
    return id;
  }

  async function seedAudit(n: number) {
    for (let i = 0; i < n; i++) {
      await createAuditEntry(db, { id: null, username: `staff${i}` }, { action: `test.action${i}`, targetType: "provider", targetId: i });
    }
  }

  it("shows each provider's preflight, imports, jobs, accounts, capacity and allocation watch, and the latest audit", async () => {
    const a = await seedProvider("alpha", 0);
    const b = await seedProvider("beta", 1);
    await seedAudit(3);
    const home = await loadHome(db, { now: NOW, auditLimit: 2 });
    expect(home.providers.map((p) => p.name)).toEqual(["alpha", "beta"]);
    const [pa, pb] = home.providers;
    expect(pa.id).toBe(a);
    expect(pb.id).toBe(b);

    expect(pa.preflight).toEqual({ at: ago(2), ok: true, failing: [] });
    expect(pb.preflight).toEqual({ at: ago(2), ok: false, failing: ["Placement"] });

    expect(pa.imports.map((i) => [i.resource, i.state, i.changes])).toEqual([
      ["sizes", "succeeded", { added: 3, updated: 2, endDated: 1 }],
      ["machines", "failed", null],
    ]);
    expect(pb.imports[0]).toMatchObject({ resource: "sizes", at: ago(1), changes: { added: 4, updated: 2, endDated: 1 } });
    expect(pb.imports[1]).toMatchObject({ resource: "machines", state: "failed", error: "Glance said 503" });

    // Running + queued; only the failure inside the last 24 hours.
    expect(pa.jobs).toEqual({ live: 2, failed: 1 });
    expect(pb.jobs).toEqual({ live: 2, failed: 1 });

    expect(pa.accounts).toEqual({ active: 2, failed: 1, provisioning: 2, other: 1 });
    expect(pb.accounts).toEqual({ active: 3, failed: 1, provisioning: 2, other: 1 });

    expect(pa.capacity?.at).toEqual(ago(1));
    expect(pa.capacity?.totals[0]).toMatchObject({ resourceClass: "VCPU", used: 10 });
    expect(pa.capacityError).toBeNull();
    // beta's latest attempt failed: the card keeps the last good figures and says why the new ones are missing.
    expect(pb.capacity?.totals[0]).toMatchObject({ used: 20 });
    expect(pb.capacityError).toEqual({ at: ago(0.25), error: "Placement said 503" });

    expect(pa.allocation).toMatchObject({ over80: 2, over100: 1 });
    // beta's watch is the failed attempt's: newer than the last good snapshot's.
    expect(pb.allocation).toMatchObject({ over80: 9, over100: 4, top: [{ username: "beta-u1", percent: 150 }] });

    expect(home.audit.map((e) => e.action)).toEqual(["test.action2", "test.action1"]);
    expect(home.audit[0]).toMatchObject({ actor: "staff2", targetType: "provider", targetId: "2" });
  });

  it("a provider with nothing yet has empty cards", async () => {
    await insertProvider(db, "empty");
    const [p] = (await loadHome(db, { now: NOW })).providers;
    expect(p).toMatchObject({
      preflight: null,
      imports: [],
      jobs: { live: 0, failed: 0 },
      accounts: { active: 0, failed: 0, provisioning: 0, other: 0 },
      capacity: null,
      capacityError: null,
      allocation: null,
    });
  });

  it("runs the same number of queries for 1 provider as for 8", async () => {
    await seedProvider("p0", 0);
    queries = 0;
    const one = await loadHome(counted, { now: NOW });
    const forOne = queries;
    expect(one.providers).toHaveLength(1);

    for (let k = 1; k < 8; k++) await seedProvider(`p${k}`, k);
    queries = 0;
    const eight = await loadHome(counted, { now: NOW });
    expect(eight.providers).toHaveLength(8);
    expect(eight.providers.every((p) => p.imports.length === 2 && p.capacity !== null)).toBe(true);
    expect(queries).toBe(forOne);
    expect(forOne).toBeLessThanOrEqual(6);
  });
});
