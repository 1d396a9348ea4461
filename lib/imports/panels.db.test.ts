import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import * as schema from "@/lib/db/schema";
import { providers } from "@/lib/db/schema";
import { finishJob } from "@/lib/jobs/queue";
import { testDb, truncateAll } from "@/test/db";
import { enqueueImports, loadImportPanel, loadImportPanels } from "./runs";

// The /imports page must cost the same number of queries for 1 provider as for 12.
describe("loadImportPanels", async () => {
  const db = await testDb();
  const client = postgres(process.env.DATABASE_URL!, { max: 4, onnotice: () => {} });
  let queries = 0;
  const counted = drizzle(client, { schema, logger: { logQuery: () => void queries++ } }) as unknown as Db;
  afterAll(() => client.end());
  beforeEach(() => truncateAll(db));

  async function seed(n: number) {
    const rows = await db
      .insert(providers)
      .values(Array.from({ length: n }, (_, i) => ({ name: `p${i}`, authUrl: `http://k${i}.test/v3` })))
      .returning({ id: providers.id, name: providers.name, isActive: providers.isActive });
    for (const p of rows) {
      const jobs = await enqueueImports(db, { providerId: p.id, resources: ["sizes", "machines", "instances"], userId: null });
      await finishJob(db, jobs[0].jobId, { state: "succeeded", result: {} });
      await finishJob(db, jobs[1].jobId, { state: "failed", error: "Glance said 503" });
    }
    return rows;
  }

  it("runs a constant number of queries whatever the number of providers, with the same panels as one by one", async () => {
    const one = await seed(1);
    queries = 0;
    await loadImportPanels(counted, one, { recent: 6 });
    const forOne = queries;

    await truncateAll(db);
    const twelve = await seed(12);
    queries = 0;
    const panels = await loadImportPanels(counted, twelve, { recent: 6 });
    expect(queries).toBe(forOne);
    expect(forOne).toBeLessThanOrEqual(8);

    // Same content as the per-provider loader the provider page uses.
    for (const [i, p] of twelve.entries()) {
      const single = await loadImportPanel(db, p, { pageSize: 6 });
      expect(panels[i].total).toBe(single.total);
      expect(panels[i].data.runs.map((r) => r.id)).toEqual(single.data.runs.map((r) => r.id));
      expect(panels[i].data.schedules.map((s) => s.resource)).toEqual(single.data.schedules.map((s) => s.resource));
      expect(panels[i].data.statuses.map((s) => [s.resource, s.live?.id, s.last?.id, s.lastSuccess?.id])).toEqual(
        single.data.statuses.map((s) => [s.resource, s.live?.id, s.last?.id, s.lastSuccess?.id]),
      );
    }
    expect(panels[0].data.statuses.find((s) => s.resource === "machines")?.last?.state).toBe("failed");
    expect(panels[0].data.statuses.find((s) => s.resource === "instances")?.live?.state).toBe("queued");
  });
});
