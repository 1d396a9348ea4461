import { asc, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { identities, providers, users, volumes } from "@/lib/db/schema";
import { testDb, truncateAll } from "@/test/db";
import { fakeCloud, progressRecorder, volume } from "./testing/fake-client";
import { importVolumes } from "./volumes";

describe("importVolumes", async () => {
  const db = await testDb();
  let providerId: number;
  let identityId: number;
  beforeEach(async () => {
    await truncateAll(db);
    [{ id: providerId }] = await db.insert(providers).values({ name: "lab", authUrl: "http://keystone.test/v3" }).returning({ id: providers.id });
    const [{ id: userId }] = await db.insert(users).values({ username: "alice" }).returning({ id: users.id });
    [{ id: identityId }] = await db
      .insert(identities)
      .values({ providerId, userId, projectName: "alice", projectId: "proj-alice" })
      .returning({ id: identities.id });
  });
  const rows = () => db.select().from(volumes).where(eq(volumes.providerId, providerId)).orderBy(asc(volumes.volumeId));
  const noop = async () => {};

  it("imports every project's volumes with size, type, status and attachments, matched to identities", async () => {
    const { cloud, client } = fakeCloud({
      pageSize: 2,
      volumes: [
        volume({ id: "v-1", name: "data", size: 10, status: "in-use", attachments: [{ server_id: "srv-1", attachment_id: "a1", device: "/dev/vdb" }], "os-vol-tenant-attr:tenant_id": "proj-alice" }),
        volume({ id: "v-2", name: "boot", size: 20, bootable: "true", volume_type: "ssd", "os-vol-tenant-attr:tenant_id": "proj-other" }),
        volume({ id: "v-3", size: 1 }),
      ],
    });
    const { updates, progress } = progressRecorder();
    const summary = await importVolumes(db, client, providerId, progress);
    expect(cloud.calls[0]).toBe("volumes?allTenants=true");
    expect(summary.counts).toMatchObject({ listed: 3, imported: 3, added: 3, pages: 2 });
    const [one, two, three] = await rows();
    expect(one).toMatchObject({ name: "data", sizeGb: 10, status: "in-use", attachedTo: ["srv-1"], identityId, projectId: "proj-alice", endDate: null });
    expect(two).toMatchObject({ name: "boot", sizeGb: 20, bootable: true, volumeType: "ssd", identityId: null, attachedTo: [] });
    expect(three.name).toBe("v-3");
    expect(updates.at(-1)?.progressText).toBe("3 volumes imported");
  });

  it("updates changed volumes and end-dates deleted ones, never deleting rows", async () => {
    const { cloud, client } = fakeCloud({ volumes: [volume({ id: "v-1", size: 1 }), volume({ id: "v-2", size: 2 })] });
    await importVolumes(db, client, providerId, noop);
    cloud.volumes = [volume({ id: "v-1", size: 5, status: "extending" })];
    const summary = await importVolumes(db, client, providerId, noop);
    expect(summary.counts).toMatchObject({ updated: 1, endDated: 1 });
    const [one, two] = await rows();
    expect(one).toMatchObject({ sizeGb: 5, status: "extending", endDate: null });
    expect(two.endDate).toBeInstanceOf(Date);
    const again = await importVolumes(db, client, providerId, noop);
    expect(again.counts).toMatchObject({ unchanged: 1, updated: 0, endDated: 0 });
  });

  it("end-dates nothing when the listing fails half-way, and says so for a cloud without Cinder", async () => {
    const { cloud, client } = fakeCloud({ pageSize: 1, volumes: [volume({ id: "v-1" }), volume({ id: "v-2" })] });
    await importVolumes(db, client, providerId, noop);
    cloud.failAfterPages = 1;
    await expect(importVolumes(db, client, providerId, noop)).rejects.toThrow(/connection reset/);
    expect((await rows()).every((r) => r.endDate === null)).toBe(true);

    cloud.failAfterPages = undefined;
    cloud.services = ["compute", "image"];
    cloud.calls.length = 0;
    const { updates, progress } = progressRecorder();
    const summary = await importVolumes(db, client, providerId, progress);
    expect(cloud.calls).toEqual([]);
    expect(summary.counts.imported).toBe(0);
    expect(updates.at(-1)?.progressText).toMatch(/no volume service/);
    expect((await rows()).every((r) => r.endDate === null)).toBe(true);
  });
});
