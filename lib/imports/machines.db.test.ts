import { asc, eq, isNull } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { machines, providers } from "@/lib/db/schema";
import { OpenStackHttpError } from "@/lib/openstack/core/errors";
import { testDb, truncateAll } from "@/test/db";
import { importMachines, importMembers, machineSkipReason } from "./machines";
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

  it("imports an image whose name and tags hold a NUL character, without it; the resync finds it unchanged", async () => {
    const { client } = fakeCloud({ images: [image({ id: "img-nul", name: "cir\u0000ros", tags: ["a\u0000b"] })] });
    expect((await importMachines(db, client, providerId, noop)).counts).toMatchObject({ added: 1 });
    expect((await rows())[0]).toMatchObject({ name: "cirros", tags: ["ab"] });
    expect((await importMachines(db, client, providerId, noop)).counts).toMatchObject({ added: 0, updated: 0, unchanged: 1 });
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

  it("reads members of new shared images only; a resync never re-reads or wipes them", async () => {
    const { cloud, client } = fakeCloud({
      images: [image({ id: "img-1", visibility: "shared" }), image({ id: "img-2", visibility: "public" })],
      members: { "img-1": ["p-a"] },
    });
    const first = await importMachines(db, client, providerId, noop);
    expect(first.counts.membersFetched).toBe(1);
    expect((await rows())[0]).toMatchObject({ imageId: "img-1", members: ["p-a"] });
    expect((await rows())[0].membersRefreshedAt).toBeInstanceOf(Date);
    // Out of band: a member added, and Glance keeps the image's updated_at.
    cloud.members["img-1"] = ["p-a", "p-c"];
    cloud.calls.length = 0;
    const resync = await importMachines(db, client, providerId, noop);
    expect(cloud.calls.filter((c) => c.startsWith("members:"))).toEqual([]);
    expect(resync.counts).toMatchObject({ unchanged: 2, updated: 0, membersFetched: 0 });
    expect((await rows())[0].members).toEqual(["p-a"]);
    // Nor does a resync that changes other fields of the image.
    cloud.images = [image({ id: "img-1", visibility: "shared", tags: ["gpu"] }), image({ id: "img-2", visibility: "public" })];
    await importMachines(db, client, providerId, noop);
    expect((await rows())[0]).toMatchObject({ tags: ["gpu"], members: ["p-a"] });
  });

  it("shows members added or removed out of band after the members refresh, stamped with its time", async () => {
    const { cloud, client } = fakeCloud({
      images: [image({ id: "img-1", visibility: "shared" }), image({ id: "img-2", visibility: "shared" }), image({ id: "img-3" })],
      members: { "img-1": ["p-a"], "img-2": ["p-b", "p-x"] },
    });
    await importMachines(db, client, providerId, noop);
    const before = (await rows())[0].membersRefreshedAt!;
    cloud.members["img-1"] = ["p-c", "p-a"];
    cloud.members["img-2"] = ["p-b"];
    cloud.calls.length = 0;
    const { updates, progress } = progressRecorder();
    const summary = await importMembers(db, client, providerId, progress);
    expect(cloud.calls.sort()).toEqual(["members:img-1", "members:img-2"]);
    expect(summary.counts).toMatchObject({ listed: 2, imported: 2, updated: 2 });
    const [one, two, three] = await rows();
    expect(one.members).toEqual(["p-a", "p-c"]);
    expect(two.members).toEqual(["p-b"]);
    expect(three.membersRefreshedAt).toBeNull();
    expect(one.membersRefreshedAt!.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(updates.at(-1)?.progressText).toBe("Members of 2 shared images read: 2 changed");
  });

  it("reads the members of an image that became shared, and leaves an image Glance lost to the next import", async () => {
    const { cloud, client } = fakeCloud({ images: [image({ id: "img-1", visibility: "private" })], members: { "img-1": ["p-z"] } });
    await importMachines(db, client, providerId, noop);
    expect((await rows())[0]).toMatchObject({ members: [], membersRefreshedAt: null });
    cloud.images = [image({ id: "img-1", visibility: "shared" })];
    const summary = await importMachines(db, client, providerId, noop);
    expect(summary.counts).toMatchObject({ updated: 1, membersFetched: 1 });
    expect((await rows())[0].members).toEqual(["p-z"]);

    const notFound = new OpenStackHttpError({ service: "Glance", method: "GET", url: "/v2/images/img-1/members", status: 404, requestId: null, fault: null, body: "" });
    const gone = { ...client, image: { ...client.image, members: { list: async () => Promise.reject(notFound) } } };
    const result = await importMembers(db, gone, providerId, noop);
    expect(result.counts).toMatchObject({ listed: 1, imported: 0, skipped: 1 });
    expect((await rows())[0].members).toEqual(["p-z"]);
  });

  it("a member list Glance refuses keeps its last list and date; the others are read; all refused fails with the reason", async () => {
    const { client } = fakeCloud({
      images: [image({ id: "img-a", visibility: "shared" }), image({ id: "img-b", visibility: "shared" })],
      members: { "img-a": ["p-1"], "img-b": ["p-2"] },
    });
    await importMachines(db, client, providerId, noop);
    const before = await rows();
    const refused = new OpenStackHttpError({ service: "Glance", method: "GET", url: "/v2/images/img-a/members", status: 500, requestId: null, fault: null, body: "" });
    const flaky = {
      ...client,
      image: { ...client.image, members: { list: async (id: string) => (id === "img-a" ? Promise.reject(refused) : [{ memberId: "p-3" }]) } },
    } as typeof client;
    const result = await importMembers(db, flaky, providerId, noop);
    expect(result.counts).toMatchObject({ listed: 2, imported: 1, updated: 1, skipped: 1 });
    const after = await rows();
    expect(after.map((r) => r.members)).toEqual([["p-1"], ["p-3"]]);
    expect(after[0].membersRefreshedAt).toEqual(before[0].membersRefreshedAt);
    expect(after[1].membersRefreshedAt!.getTime()).toBeGreaterThanOrEqual(before[1].membersRefreshedAt!.getTime());

    const down = { ...client, image: { ...client.image, members: { list: async () => Promise.reject(refused) } } } as typeof client;
    await expect(importMembers(db, down, providerId, noop)).rejects.toThrow(/^No member list could be read from Glance: img-a: /);
    expect((await rows()).map((r) => r.members)).toEqual([["p-1"], ["p-3"]]);
  });

  it("the image import's member step reports a list Glance refuses and tries it again next time, without failing", async () => {
    const { client } = fakeCloud({ images: [image({ id: "img-new", visibility: "shared" })], members: { "img-new": ["p-1"] } });
    const refused = new OpenStackHttpError({ service: "Glance", method: "GET", url: "/v2/images/img-new/members", status: 403, requestId: null, fault: null, body: "" });
    const flaky = { ...client, image: { ...client.image, members: { list: async () => Promise.reject(refused) } } } as typeof client;
    const { updates, progress } = progressRecorder();
    const summary = await importMachines(db, flaky, providerId, progress);
    expect(summary.counts).toMatchObject({ added: 1, membersFetched: 0 });
    expect(updates.at(-1)?.progressText).toContain("1 member list could not be read (tried again next time): img-new: ");
    expect((await rows())[0]).toMatchObject({ members: [], membersRefreshedAt: null });
    await importMachines(db, client, providerId, noop);
    expect((await rows())[0].members).toEqual(["p-1"]);
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
