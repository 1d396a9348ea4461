import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { machines, providers, sizes } from "@/lib/db/schema";
import { testDb, truncateAll } from "@/test/db";
import { listImportedImages, listImportedSizes } from "./browse";

describe("browsing imported images and sizes", async () => {
  const db = await testDb();
  let providerId: number;
  let otherId: number;

  beforeEach(async () => {
    await truncateAll(db);
    [{ id: providerId }, { id: otherId }] = await db
      .insert(providers)
      .values([
        { name: "lab", authUrl: "http://keystone.test/v3" },
        { name: "other", authUrl: "http://other.test/v3" },
      ])
      .returning({ id: providers.id });
  });

  it("pages and searches 10,000 images on the server, live ones unless asked", async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => ({
      providerId,
      imageId: `img-${String(i).padStart(5, "0")}`,
      name: `bench-${String(i).padStart(5, "0")}`,
      visibility: "private",
      sizeBytes: i,
    }));
    for (let i = 0; i < rows.length; i += 2000) await db.insert(machines).values(rows.slice(i, i + 2000));
    await db.insert(machines).values([
      { providerId, imageId: "c1", name: "cirros-0.6-fake", visibility: "public", sizeBytes: 21_430_272 },
      { providerId, imageId: "c2", name: "Cirros old", visibility: "public", endDate: new Date("2024-01-01T00:00:00Z") },
      { providerId: otherId, imageId: "c3", name: "cirros elsewhere" },
    ]);

    const first = await listImportedImages(db, providerId, { pageSize: 25 });
    expect(first.total).toBe(10_001);
    expect(first.rows.map((r) => r.name).slice(0, 2)).toEqual(["bench-00000", "bench-00001"]);
    const last = await listImportedImages(db, providerId, { pageSize: 25, page: 401 });
    expect(last.rows.map((r) => r.name)).toEqual(["cirros-0.6-fake"]);

    const started = performance.now();
    const found = await listImportedImages(db, providerId, { q: "CIRROS" });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(found).toMatchObject({ total: 1, rows: [{ imageId: "c1", name: "cirros-0.6-fake", visibility: "public", sizeBytes: 21_430_272, endDate: null }] });
    const withEnded = await listImportedImages(db, providerId, { q: "cirros", includeEnded: true });
    expect(withEnded.rows.map((r) => r.imageId)).toEqual(["c2", "c1"]);
    expect((await listImportedImages(db, providerId, { q: "img-0999" })).total).toBe(10);
    // LIKE wildcards in a search are plain characters.
    expect((await listImportedImages(db, providerId, { q: "%" })).total).toBe(0);
  });

  it("pages and searches sizes", async () => {
    await db.insert(sizes).values([
      { providerId, flavorId: "1", name: "m1.tiny", vcpus: 1, ramMb: 512, diskGb: 1 },
      { providerId, flavorId: "3", name: "m1.medium", vcpus: 2, ramMb: 4096, diskGb: 40 },
      { providerId, flavorId: "9", name: "m1.gone", vcpus: 2, ramMb: 4096, diskGb: 40, endDate: new Date() },
      { providerId: otherId, flavorId: "1", name: "m1.tiny", vcpus: 1, ramMb: 512, diskGb: 1 },
    ]);
    expect((await listImportedSizes(db, providerId)).rows.map((r) => r.name)).toEqual(["m1.medium", "m1.tiny"]);
    expect((await listImportedSizes(db, providerId, { includeEnded: true })).total).toBe(3);
    expect((await listImportedSizes(db, providerId, { q: "MED" })).rows).toMatchObject([{ flavorId: "3", vcpus: 2, ramMb: 4096 }]);
    expect((await listImportedSizes(db, providerId, { pageSize: 1, page: 2 })).rows.map((r) => r.name)).toEqual(["m1.tiny"]);
    expect(await db.select().from(sizes).where(eq(sizes.providerId, otherId))).toHaveLength(1);
  });
});
