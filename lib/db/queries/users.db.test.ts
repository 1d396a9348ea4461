import { sql } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { identities, providers } from "@/lib/db/schema";
import { makeUser, testDb, truncateAll } from "@/test/db";
import { listUserIdentities, listUsers } from "./users";

describe("listUsers", async () => {
  const db = await testDb();

  async function provider(name: string) {
    const [p] = await db.insert(providers).values({ name, authUrl: `https://${name}.example.org:5000/v3` }).returning();
    return p;
  }

  describe("on a handful of users", () => {
    beforeEach(async () => {
      await truncateAll(db);
      const cloud = await provider("cloud-a");
      const other = await provider("cloud-b");
      const smith = await makeUser(db, { username: "smith", displayName: "Jo Smith", email: "jo@uni.example" });
      await makeUser(db, { username: "asmithson", displayName: "Al Smithson", isStaff: true });
      await makeUser(db, { username: "smithers", email: "SMITHERS@Plant.example", isActive: false });
      await makeUser(db, { username: "Boss", displayName: "Mr Burns", isStaff: true, isSuperuser: true });
      await makeUser(db, { username: "carl_2", email: "carl@plant.example" });
      await makeUser(db, { username: "lenny%", displayName: "100% Lenny" });
      // smith: two live accounts and one removed; the removed one does not count.
      await db.insert(identities).values([
        { userId: smith.id, providerId: cloud.id, projectName: "smith" },
        { userId: smith.id, providerId: other.id, projectName: "smith" },
        { userId: smith.id, providerId: cloud.id, projectName: "smith-old", endDate: new Date("2026-01-01T00:00:00Z"), state: "removed" },
      ]);
    });

    it("orders by username, case-insensitively, with live account counts", async () => {
      const { rows, total } = await listUsers(db);
      expect(total).toBe(6);
      expect(rows.map((r) => r.username)).toEqual(["asmithson", "Boss", "carl_2", "lenny%", "smith", "smithers"]);
      expect(rows.find((r) => r.username === "smith")?.liveIdentities).toBe(2);
      expect(rows.find((r) => r.username === "Boss")).toMatchObject({ isStaff: true, isSuperuser: true, isActive: true, liveIdentities: 0 });
      expect(rows[0].joinedAt).toBeInstanceOf(Date);
      expect(rows[0].lastLogin).toBeNull();
      expect(rows[0]).not.toHaveProperty("passwordHash");
    });

    it("searches username, display name and email as a case-insensitive substring, exact and prefix matches first", async () => {
      const smi = await listUsers(db, { q: "SMITH" });
      expect(smi.rows.map((r) => r.username)).toEqual(["smith", "smithers", "asmithson"]);
      expect(smi.total).toBe(3);
      expect((await listUsers(db, { q: "burns" })).rows.map((r) => r.username)).toEqual(["Boss"]);
      expect((await listUsers(db, { q: "plant.EXAMPLE" })).rows.map((r) => r.username)).toEqual(["carl_2", "smithers"]);
      expect((await listUsers(db, { q: "boss" })).rows.map((r) => r.username)).toEqual(["Boss"]);
      expect((await listUsers(db, { q: "nobody" })).total).toBe(0);
    });

    it("matches LIKE wildcards literally", async () => {
      expect((await listUsers(db, { q: "%" })).rows.map((r) => r.username)).toEqual(["lenny%"]);
      expect((await listUsers(db, { q: "_" })).rows.map((r) => r.username)).toEqual(["carl_2"]);
      expect((await listUsers(db, { q: "\\" })).total).toBe(0);
    });

    it("filters by role and status, with or without a search", async () => {
      const names = async (f: Parameters<typeof listUsers>[1]) => (await listUsers(db, f)).rows.map((r) => r.username);
      expect(await names({ role: "staff" })).toEqual(["asmithson", "Boss"]);
      expect(await names({ role: "superuser" })).toEqual(["Boss"]);
      expect(await names({ role: "none" })).toEqual(["carl_2", "lenny%", "smith", "smithers"]);
      expect(await names({ status: "inactive" })).toEqual(["smithers"]);
      expect(await names({ status: "active", q: "smith" })).toEqual(["smith", "asmithson"]);
      expect(await names({ role: "staff", q: "smith" })).toEqual(["asmithson"]);
    });

    it("pages, and a page past the end is empty but keeps the total", async () => {
      const p1 = await listUsers(db, { pageSize: 4 });
      const p2 = await listUsers(db, { pageSize: 4, page: 2 });
      expect(p1.rows.map((r) => r.username)).toEqual(["asmithson", "Boss", "carl_2", "lenny%"]);
      expect(p2.rows.map((r) => r.username)).toEqual(["smith", "smithers"]);
      expect(await listUsers(db, { pageSize: 4, page: 9 })).toMatchObject({ rows: [], total: 6, page: 9 });
      // Nonsense sizes are clamped, not passed to SQL.
      expect((await listUsers(db, { pageSize: 0, page: -3 })).rows).toHaveLength(1);
      expect((await listUsers(db, { pageSize: 10_000 })).pageSize).toBe(200);
    });

    it("lists a user's identities on every provider, live first, removed ones kept", async () => {
      const [{ id }] = await db.execute<{ id: number }>(sql`select id from users where username = 'smith'`) as unknown as Array<{ id: number }>;
      const rows = await listUserIdentities(db, id);
      expect(rows.map((r) => [r.providerName, r.projectName, r.endDate === null])).toEqual([
        ["cloud-a", "smith", true],
        ["cloud-b", "smith", true],
        ["cloud-a", "smith-old", false],
      ]);
      expect(rows[2].state).toBe("removed");
    });
  });

  describe("on 10,000 users", () => {
    beforeAll(async () => {
      await truncateAll(db);
      const cloud = await provider("big-cloud");
      // One statement: users u00001…u10000, every 10th staff, every 100th superuser, every 7th inactive.
      await db.execute(sql`
        insert into users (username, display_name, email, is_staff, is_superuser, is_active, joined_at, last_login)
        select 'u' || lpad(g::text, 5, '0'),
               (array['Ada','Grace','Alan','Edsger','Barbara'])[1 + g % 5] || ' ' || (array['Lovelace','Hopper','Turing','Dijkstra','Liskov','Smith'])[1 + g % 6],
               case when g % 4 = 0 then null else 'u' || g || '@inst' || (g % 3) || '.example' end,
               g % 10 = 0, g % 100 = 0, g % 7 <> 0,
               timestamptz '2024-01-01' + g * interval '1 hour',
               case when g % 2 = 0 then timestamptz '2026-01-01' + g * interval '1 minute' end
        from generate_series(1, 10000) g`);
      // Every 3rd user has a live account, every 9th also a removed one.
      await db.execute(sql`
        insert into identities (user_id, provider_id, project_name, end_date, state)
        select u.id, ${cloud.id}::int, u.username, null::timestamptz, 'active'::identity_state from users u where u.id % 3 = 0
        union all
        select u.id, ${cloud.id}::int, u.username || '-old', timestamptz '2025-01-01', 'removed'::identity_state from users u where u.id % 9 = 0`);
    }, 60_000);

    it("serves the first, a middle and the last page, counting live accounts per row", async () => {
      const t0 = performance.now();
      const first = await listUsers(db, { pageSize: 25 });
      const middle = await listUsers(db, { pageSize: 25, page: 200 });
      const last = await listUsers(db, { pageSize: 25, page: 400 });
      const elapsed = performance.now() - t0;
      expect(first.total).toBe(10_000);
      expect(first.rows.map((r) => r.username)).toEqual(Array.from({ length: 25 }, (_, i) => `u${String(i + 1).padStart(5, "0")}`));
      expect(middle.rows[0].username).toBe("u04976");
      expect(last.rows.at(-1)?.username).toBe("u10000");
      for (const r of [...first.rows, ...middle.rows]) expect(r.liveIdentities).toBe(r.id % 3 === 0 ? 1 : 0);
      // Generous: a regression to one query per row or a full sort per page shows up as seconds.
      expect(elapsed).toBeLessThan(1500);
    });

    it("searches and filters across all of them", async () => {
      const byName = await listUsers(db, { q: "hopper" });
      // display name "<first> Hopper" for g % 6 = 1.
      expect(byName.total).toBe(Array.from({ length: 10_000 }, (_, i) => i + 1).filter((g) => g % 6 === 1).length);
      const prefix = await listUsers(db, { q: "u0999" });
      expect(prefix.rows.map((r) => r.username)).toEqual(
        Array.from({ length: 10 }, (_, i) => `u0999${i}`),
      );
      const exact = await listUsers(db, { q: "u00012" });
      expect(exact.rows[0].username).toBe("u00012");
      // "u00012" also appears inside emails like u00012…? No: emails are u<g>@…, so only the username.
      expect(exact.total).toBe(1);
      expect((await listUsers(db, { q: "@inst2.example" })).total).toBe(
        Array.from({ length: 10_000 }, (_, i) => i + 1).filter((g) => g % 4 !== 0 && g % 3 === 2).length,
      );
      expect((await listUsers(db, { role: "superuser" })).total).toBe(100);
      expect((await listUsers(db, { status: "inactive", role: "staff" })).total).toBe(
        Array.from({ length: 10_000 }, (_, i) => i + 1).filter((g) => g % 10 === 0 && g % 7 === 0).length,
      );
    });

    it("cuts the page before counting accounts (the plan has one subplan per page row, not per user)", async () => {
      const t0 = performance.now();
      for (let i = 0; i < 5; i++) await listUsers(db, { q: "a", page: 150 });
      expect((performance.now() - t0) / 5).toBeLessThan(500);
    });
  });
});
