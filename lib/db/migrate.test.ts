import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

describe("migrations on embedded PGlite", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cloudport-pglite-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("apply cleanly and create every domain table", async () => {
    process.env.CLOUDPORT_DATA_DIR = dir;
    delete process.env.DATABASE_URL;
    const { closeDb, getDb } = await import("./client");
    const { migrateDb } = await import("./migrate");
    await migrateDb();
    // A second run is a no-op, as on every app start.
    await migrateDb();
    const db = await getDb();
    const { sql } = await import("drizzle-orm");
    const rows = (await db.execute(sql`select tablename from pg_tables where schemaname='public' order by 1`)) as unknown as {
      rows: Array<{ tablename: string }>;
    };
    const names = rows.rows.map((r) => r.tablename);
    for (const t of ["users", "providers", "provider_secrets", "identities", "allocation_strategies", "sizes", "machines", "instances", "instance_status_history", "jobs", "launch_tests", "audit_log", "import_schedules"]) {
      expect(names).toContain(t);
    }
    await closeDb();
  }, 60_000);
});
