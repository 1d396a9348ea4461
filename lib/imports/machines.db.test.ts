import { asc, eq, isNull } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { machines, providers } from "@/lib/db/schema";
import { testDb, truncateAll } from "@/test/db";
import { importMachines, machineSkipReason } from "./machines";
import { fakeCloud, image, progressRecorder } from "./testing/fake-client";

describe("importMachines", async () => {
  const db = await testDb();
  let providerId: number;
  beforeEach(async () => {
    await truncateAll(db);
    [{ id: providerId }] = await db.insert(providers).values({ name: "lab", authUrl: "http://keystone.test/v3" }).returning({ id: providers.id });
  });
  const rows = () => db.select().from(machines).where(eq(machines.providerId, providerId)).orderBy(asc(machines.imageId));
  const noop = async () => {};

  it("imports active images only: no kernels, ramdisks, snapshots or queued records", () => {
    expect(machineSkipReason(image({ id: "a" }))).toBeNull();
    expect(machineSkipReason(image({ id: "q", status: "queued" }))).toBe("status queued");
    expect(machineSkipReason(image({ id: "k", disk_format: "aki", container_format: "aki" }))).toBe("kernel or ramdisk");
    expect(machineSkipReason(image({ id: "r", container_format: "ari" }))).toBe("kernel or ramdisk");
    expect(machineSkipReason(image({ id: "s", image_type: "snapshot" }))).toBe("snapshot");
    expect(machineSkipReason(image({ id: "u", instance_uuid: "0b1c…" }))).toBe("snapshot");
    expect(machineSkipReason(image({ id: "q", status: "queued" }), { includeInactive: true })).toBeNull();
  });

  it("writes the images page by page with their details, and the members of shared ones", async () => {
    const { cloud, client } = fakeCloud({
      pageSize: 3,
      images: [
        image({ id: "img-1", name: "cirros", owner: "p-admin", size: 21_430_272, min_disk: 1, min_ram: 64, tags: ["z", "a"] }),
        image({ id: "img-2", name: "ubuntu", visibility: "shared", owner: "p-admin", disk_format: "raw" }),
        image({ id: "img-3", name: "queued-one", status: "queued" }),
        image({ id: "img-4", name: "vmlinuz", disk_format: "aki", container_format: "aki" }),
        image({ id: "img-5", name: "snap", image_type: "snapshot", instance_uuid: "abc" }),
        image({ id: "img-6", name: "private", visibility: "private", owner: "p-x" }),
        image({ id: "img-7", name: "community", visibility: "community" }),
      ],
      members: { "img-2": ["p-b", "p-a"] },
    });
    const { updates, progress } = progressRecorder();
    const summary = await importMachines(db, client, providerId, progress);
    expect(cloud.calls[0]).toBe("images?status=active&visibility=all");
    expect(cloud.calls.filter((c) => c.startsWith("members:"))).toEqual(["members:img-2"]);
    expect(summary.counts).toMatchObject({ listed: 7, imported: 4, skipped: 3, added: 4, pages: 3 });
    const stored = await rows();
    expect(stored.map((r) => r.imageId)).toEqual(["img-1", "img-2", "img-6", "img-7"]);
    expect(stored[0]).toMatchObject({
      name: "cirros",
      visibility: "public",
      ownerProjectId: "p-admin",
      sizeBytes: 21_430_272,
      diskFormat: "qcow2",
      containerFormat: "bare",
      minDiskGb: 1,
      minRamMb: 64,
      tags: ["a", "z"],
      members: [],
      imageCreatedAt: new Date("2024-01-01T00:00:00Z"),
      imageUpdatedAt: new Date("2024-01-02T00:00:00Z"),
      endDate: null,
    });
    expect(stored[1].members).toEqual(["p-a", "p-b"]);
    // "pages done" is what the bar says while Glance pages.
    expect(updates.map((u) => u.progressText)).toContain("2 pages done, 6 images read");
  });

  it("end-dates images that are deleted or no longer active, and updates changed ones", async () => {
    const { cloud, client } = fakeCloud({
      images: [image({ id: "img-1", name: "a" }), image({ id: "img-2", name: "b" }), image({ id: "img-3", name: "c" })],
    });
    await importMachines(db, client, providerId, noop);
    cloud.images = [
      image({ id: "img-1", name: "a", tags: ["gpu"] }),
      image({ id: "img-2", name: "b", status: "deactivated" }),
      // img-3 deleted
    ];
    const summary = await importMachines(db, client, providerId, noop);
    expect(summary.counts).toMatchObject({ updated: 1, endDated: 2, unchanged: 0, skipped: 1 });
    expect(summary.names.endDated.sort()).toEqual(["b", "c"]);
    const live = await db.select().from(machines).where(isNull(machines.endDate));
    expect(live.map((m) => [m.imageId, m.tags])).toEqual([["img-1", ["gpu"]]]);

    // Reactivated: back to life.
    cloud.images[1] = image({ id: "img-2", name: "b" });
    const back = await importMachines(db, client, providerId, noop);
    expect(back.counts).toMatchObject({ restored: 1, unchanged: 1, endDated: 0 });
  });

  it("tracks a change of sharing", async () => {
    const { cloud, client } = fakeCloud({ images: [image({ id: "img-1", visibility: "shared" })], members: { "img-1": ["p-a"] } });
    await importMachines(db, client, providerId, noop);
    cloud.members["img-1"] = ["p-a", "p-c"];
    const summary = await importMachines(db, client, providerId, noop);
    expect(summary.counts.updated).toBe(1);
    expect((await rows())[0].members).toEqual(["p-a", "p-c"]);
  });

  it("streams a large catalogue in pages and batches, with the counts adding up", async () => {
    const many = Array.from({ length: 2500 }, (_, i) => image({ id: `img-${String(i).padStart(5, "0")}`, name: `bulk-${i}` }));
    const { client } = fakeCloud({ images: many, pageSize: 1000 });
    const summary = await importMachines(db, client, providerId, noop, { batchSize: 400 });
    expect(summary.counts).toMatchObject({ listed: 2500, imported: 2500, added: 2500, pages: 3 });
    expect(summary.names.added).toHaveLength(200);
    expect(summary.truncated.added).toBe(true);
    expect(await db.$count(machines)).toBe(2500);
    const again = await importMachines(db, client, providerId, noop, { batchSize: 400 });
    expect(again.counts).toMatchObject({ unchanged: 2500, added: 0, updated: 0, endDated: 0 });
  });

  it("imports queued images too when asked (the benchmark's flag)", async () => {
    const { client } = fakeCloud({ images: [image({ id: "q1", status: "queued" }), image({ id: "a1" })] });
    const summary = await importMachines(db, client, providerId, noop, { includeInactive: true });
    expect(summary.counts.imported).toBe(2);
  });
});
