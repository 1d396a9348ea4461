import { asc, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { providers, sizes } from "@/lib/db/schema";
import { testDb, truncateAll } from "@/test/db";
import { importSizes } from "./sizes";
import { fakeCloud, flavor, progressRecorder } from "./testing/fake-client";

describe("importSizes", async () => {
  const db = await testDb();
  let providerId: number;
  beforeEach(async () => {
    await truncateAll(db);
    [{ id: providerId }] = await db.insert(providers).values({ name: "lab", authUrl: "http://keystone.test/v3" }).returning({ id: providers.id });
  });
  const rows = () => db.select().from(sizes).where(eq(sizes.providerId, providerId)).orderBy(asc(sizes.flavorId));

  it("adds every flavor, public and private, with its numbers and extra specs", async () => {
    const { cloud, client } = fakeCloud({
      flavors: [
        flavor({ id: "f1", name: "m1.nano", vcpus: 1, ram: 128, disk: 1 }),
        flavor({ id: "f2", name: "gpu.large", vcpus: 8, ram: 32768, disk: 80, public: false, extraSpecs: { "pci_passthrough:alias": "a100:1" } }),
        // Below microversion 2.61 extra specs are not in the listing.
        flavor({ id: "f3", name: "legacy", extraSpecs: null }),
      ],
    });
    const { updates, progress } = progressRecorder();
    const summary = await importSizes(db, client, providerId, progress);
    expect(summary.counts).toMatchObject({ listed: 3, imported: 3, added: 3, updated: 0, unchanged: 0, endDated: 0, pages: 2 });
    expect(summary.names.added).toEqual(["m1.nano", "gpu.large", "legacy"]);
    expect(cloud.calls).toContain("flavors?visibility=all");
    expect(cloud.calls.filter((c) => c.startsWith("extraSpecs:"))).toEqual(["extraSpecs:f3"]);
    const stored = await rows();
    expect(stored.map((r) => [r.flavorId, r.name, r.vcpus, r.ramMb, r.diskGb, r.isPublic, r.endDate])).toEqual([
      ["f1", "m1.nano", 1, 128, 1, true, null],
      ["f2", "gpu.large", 8, 32768, 80, false, null],
      ["f3", "legacy", 1, 512, 1, true, null],
    ]);
    expect(stored[1].extraSpecs).toEqual({ "pci_passthrough:alias": "a100:1" });
    expect(stored[2].extraSpecs).toEqual({ "hw:cpu_policy": "dedicated" });
    expect(stored.every((r) => r.lastSeenRun === summary.runId)).toBe(true);
    // Progress is stored page by page, and ends at 1.
    expect(updates.filter((u) => u.counts && (u.counts as { pages: number }).pages > 0).length).toBeGreaterThanOrEqual(2);
    expect(updates.at(-1)).toMatchObject({ progress: 1 });
  });

  it("tells unchanged from updated, end-dates flavors that disappear and brings them back", async () => {
    const { cloud, client } = fakeCloud({
      flavors: [flavor({ id: "f1", name: "a" }), flavor({ id: "f2", name: "b" }), flavor({ id: "f3", name: "c" })],
    });
    const noop = async () => {};
    await importSizes(db, client, providerId, noop);

    const again = await importSizes(db, client, providerId, noop);
    expect(again.counts).toMatchObject({ added: 0, updated: 0, unchanged: 3, endDated: 0 });

    cloud.flavors = [flavor({ id: "f1", name: "a", ram: 1024 }), flavor({ id: "f3", name: "c" })];
    const changed = await importSizes(db, client, providerId, noop);
    expect(changed.counts).toMatchObject({ added: 0, updated: 1, unchanged: 1, endDated: 1 });
    expect(changed.names).toMatchObject({ updated: ["a"], endDated: ["b"] });
    const afterGone = await rows();
    expect(afterGone.find((r) => r.flavorId === "f1")?.ramMb).toBe(1024);
    expect(afterGone.find((r) => r.flavorId === "f2")?.endDate).toBeInstanceOf(Date);

    // Still gone: stays end-dated, not counted again.
    const still = await importSizes(db, client, providerId, noop);
    expect(still.counts.endDated).toBe(0);

    cloud.flavors.push(flavor({ id: "f2", name: "b" }));
    const back = await importSizes(db, client, providerId, noop);
    expect(back.counts).toMatchObject({ restored: 1, endDated: 0 });
    expect(back.names.restored).toEqual(["b"]);
    expect((await rows()).find((r) => r.flavorId === "f2")?.endDate).toBeNull();
    expect(await db.$count(sizes)).toBe(3);
  });

  it("never end-dates after a listing that failed half-way, and keeps the pages already written", async () => {
    const { cloud, client } = fakeCloud({
      flavors: [flavor({ id: "f1", name: "a" }), flavor({ id: "f2", name: "b" }), flavor({ id: "f3", name: "c" })],
    });
    await importSizes(db, client, providerId, async () => {});
    // The cloud now lists only two flavors, but the connection drops after the first page.
    cloud.flavors = [flavor({ id: "f1", name: "a", vcpus: 4 }), flavor({ id: "f9", name: "new" }), flavor({ id: "f3", name: "c" })];
    cloud.pageSize = 2;
    cloud.failAfterPages = 1;
    await expect(importSizes(db, client, providerId, async () => {})).rejects.toThrow(/connection reset/);
    const stored = await rows();
    expect(stored.filter((r) => r.endDate)).toEqual([]);
    expect(stored.find((r) => r.flavorId === "f1")?.vcpus).toBe(4);
    expect(stored.find((r) => r.flavorId === "f9")).toBeDefined();

    // The next complete run end-dates what is really gone (f2), despite the failed run's marks.
    cloud.failAfterPages = undefined;
    const done = await importSizes(db, client, providerId, async () => {});
    expect(done.names.endDated).toEqual(["b"]);
  });

  it("writes a batch all or nothing", async () => {
    const { client } = fakeCloud({
      pageSize: 10,
      // 2^31 vCPUs overflows the integer column: the whole batch must roll back.
      flavors: [flavor({ id: "f1", name: "ok" }), flavor({ id: "f2", name: "overflow", vcpus: 2 ** 31 })],
    });
    await expect(importSizes(db, client, providerId, async () => {}, { batchSize: 10 })).rejects.toThrow();
    expect(await rows()).toEqual([]);
  });

  it("keeps providers apart", async () => {
    const [{ id: other }] = await db.insert(providers).values({ name: "other", authUrl: "http://other.test/v3" }).returning({ id: providers.id });
    const { client } = fakeCloud({ flavors: [flavor({ id: "f1", name: "a" })] });
    await importSizes(db, client, other, async () => {});
    const { client: empty } = fakeCloud({ flavors: [] });
    const summary = await importSizes(db, empty, providerId, async () => {});
    expect(summary.counts.endDated).toBe(0);
    expect((await db.select().from(sizes).where(eq(sizes.providerId, other)))[0].endDate).toBeNull();
  });
});
