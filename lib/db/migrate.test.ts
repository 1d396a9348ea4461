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

    // The statements written as raw SQL read their rows through rowsOf, which PGlite answers
    // as { rows }: an image resync (the unchanged rows touched in SQL) and a job's wait reason.
    const { providers } = await import("./schema");
    const { importMachines } = await import("@/lib/imports/machines");
    const { fakeCloud, image } = await import("@/lib/imports/testing/fake-client");
    const { enqueueJob, waitingReason } = await import("@/lib/jobs/queue");
    const [p] = await db.insert(providers).values({ name: "embedded", authUrl: "http://keystone.test/v3" }).returning();
    const { client } = fakeCloud({ pageSize: 2, images: [image({ id: "a", tags: ["x"] }), image({ id: "b" }), image({ id: "c", name: "c" })] });
    expect((await importMachines(db, client, p.id, async () => {})).counts).toMatchObject({ added: 3, unchanged: 0 });
    expect((await importMachines(db, client, p.id, async () => {})).counts).toMatchObject({ added: 0, updated: 0, unchanged: 3, imported: 3 });
    const { job } = await enqueueJob(db, { kind: "test.pglite", createdBy: null });
    expect(await waitingReason(db, job)).toBe("Starting…");
    await closeDb();
  }, 60_000);
});
