import { asc, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { identities, instances, instanceStatusHistory, providers, sizes } from "@/lib/db/schema";
import { makeUser, testDb, truncateAll } from "@/test/db";
import { importInstances } from "./instances";
import { fakeCloud, server, progressRecorder } from "./testing/fake-client";

const T = (hhmm: string) => new Date(`2024-03-02T${hhmm}:00Z`);

describe("importInstances", async () => {
  const db = await testDb();
  let providerId: number;
  let identityId: number;
  let clock: Date;
  const now = () => clock;
  const noop = async () => {};

  beforeEach(async () => {
    await truncateAll(db);
    [{ id: providerId }] = await db.insert(providers).values({ name: "lab", authUrl: "http://keystone.test/v3" }).returning({ id: providers.id });
    const user = await makeUser(db, { username: "cmart" });
    [{ id: identityId }] = await db
      .insert(identities)
      .values({ userId: user.id, providerId, projectName: "cmart", projectId: "proj-a", state: "active" })
      .returning({ id: identities.id });
    await db.insert(sizes).values([
      { providerId, flavorId: "f-small", name: "m1.small", vcpus: 1, ramMb: 2048, diskGb: 20 },
      { providerId, flavorId: "f-large", name: "m1.large", vcpus: 4, ramMb: 8192, diskGb: 80 },
    ]);
    clock = T("12:00");
  });

  const instance = async (serverId: string) => (await db.select().from(instances).where(eq(instances.serverId, serverId)))[0];
  const history = async (serverId: string) => {
    const row = await instance(serverId);
    return db.select().from(instanceStatusHistory).where(eq(instanceStatusHistory.instanceId, row.id)).orderBy(asc(instanceStatusHistory.startDate));
  };

  it("imports a server whose name (or network) holds a NUL character, without it, and again unchanged", async () => {
    const { client } = fakeCloud({
      servers: [server({ id: "s-nul", name: "we\u0000b", addresses: { "net\u0000": [{ addr: "192.0.2.9", version: 4, "OS-EXT-IPS:type": "fixed" }] } })],
    });
    expect((await importInstances(db, client, providerId, noop, { now })).counts).toMatchObject({ added: 1 });
    expect(await instance("s-nul")).toMatchObject({ name: "web" });
    clock = T("12:15");
    expect((await importInstances(db, client, providerId, noop, { now })).counts).toMatchObject({ added: 0, updated: 0, unchanged: 1 });
  });

  it("adds servers of every project, matched to identities, with an open segment from launch", async () => {
    const { cloud, client } = fakeCloud({
      servers: [
        server({
          id: "s1",
          name: "web",
          addresses: {
            selfservice: [
              { addr: "192.0.2.5", version: 4, "OS-EXT-IPS:type": "fixed" },
              { addr: "203.0.113.7", version: 4, "OS-EXT-IPS:type": "floating" },
            ],
          },
        }),
        server({ id: "s2", name: "orphan", tenant_id: "proj-unknown", status: "BUILD", "OS-SRV-USG:launched_at": null, "OS-EXT-STS:task_state": "spawning" }),
      ],
    });
    const { updates, progress } = progressRecorder();
    const summary = await importInstances(db, client, providerId, progress, { now });
    expect(cloud.calls).toEqual(["servers?allTenants=true"]);
    expect(summary.counts).toMatchObject({ listed: 2, added: 2, statusChanges: 2 });
    expect(updates.map((u) => u.progressText)).toContain("2 servers processed");

    const web = await instance("s1");
    expect(web).toMatchObject({
      identityId,
      name: "web",
      projectId: "proj-a",
      status: "ACTIVE",
      flavorId: "f-small",
      flavorName: "m1.small",
      imageId: "img-1",
      host: "compute-1",
      serverCreatedAt: new Date("2024-03-01T10:00:00Z"),
      launchedAt: new Date("2024-03-01T10:01:00Z"),
      endDate: null,
    });
    expect(web.addresses).toMatchObject({ fixed: ["192.0.2.5"], floating: ["203.0.113.7"] });
    expect(await history("s1")).toMatchObject([
      { status: "ACTIVE", flavorId: "f-small", vcpus: 1, ramMb: 2048, diskGb: 20, startDate: new Date("2024-03-01T10:01:00Z"), endDate: null },
    ]);

    const orphan = await instance("s2");
    expect(orphan).toMatchObject({ identityId: null, status: "BUILD", taskState: "spawning" });
    expect((await history("s2"))[0]).toMatchObject({ status: "BUILD", startDate: new Date("2024-03-01T10:00:00Z") });
  });

  it("appends history on a status change and a resize, not on a task-state change", async () => {
    const { cloud, client } = fakeCloud({ servers: [server({ id: "s1", name: "web" })] });
    await importInstances(db, client, providerId, noop, { now });

    clock = T("12:15");
    cloud.servers = [server({ id: "s1", name: "web", status: "SHUTOFF" })];
    const stopped = await importInstances(db, client, providerId, noop, { now });
    expect(stopped.counts).toMatchObject({ updated: 1, statusChanges: 1 });

    clock = T("12:30");
    cloud.servers = [server({ id: "s1", name: "web", status: "SHUTOFF", "OS-EXT-STS:task_state": "powering-on" })];
    const task = await importInstances(db, client, providerId, noop, { now });
    expect(task.counts).toMatchObject({ updated: 1, statusChanges: 0 });

    clock = T("12:45");
    cloud.servers = [server({ id: "s1", name: "web", flavor: { original_name: "m1.large", vcpus: 4, ram: 8192, disk: 80 } })];
    const resized = await importInstances(db, client, providerId, noop, { now });
    expect(resized.counts.statusChanges).toBe(1);

    clock = T("13:00");
    const same = await importInstances(db, client, providerId, noop, { now });
    expect(same.counts).toMatchObject({ unchanged: 1, updated: 0, statusChanges: 0 });

    expect((await history("s1")).map((h) => [h.status, h.flavorId, h.vcpus, h.startDate.toISOString(), h.endDate?.toISOString() ?? null])).toEqual([
      ["ACTIVE", "f-small", 1, "2024-03-01T10:01:00.000Z", "2024-03-02T12:15:00.000Z"],
      ["SHUTOFF", "f-small", 1, "2024-03-02T12:15:00.000Z", "2024-03-02T12:45:00.000Z"],
      ["ACTIVE", "f-large", 4, "2024-03-02T12:45:00.000Z", null],
    ]);
    expect(await instance("s1")).toMatchObject({ flavorId: "f-large", flavorName: "m1.large", taskState: null });
  });

  it("reads vCPUs from sizes when Nova only links the flavor (before 2.47)", async () => {
    const { client } = fakeCloud({ servers: [server({ id: "s1", flavor: { id: "f-large" } })] });
    await importInstances(db, client, providerId, noop, { now });
    expect((await history("s1"))[0]).toMatchObject({ flavorId: "f-large", flavorName: "m1.large", vcpus: 4, ramMb: 8192, diskGb: 80 });
  });

  it("end-dates a server Nova still lists as DELETED (its row is soft-deleted a moment later)", async () => {
    const { cloud, client } = fakeCloud({ servers: [server({ id: "s1", name: "web" })] });
    await importInstances(db, client, providerId, noop, { now });
    clock = T("14:00");
    cloud.servers = [server({ id: "s1", name: "web", status: "DELETED" })];
    const summary = await importInstances(db, client, providerId, noop, { now });
    expect(summary.names.endDated).toEqual(["web"]);
    expect((await instance("s1")).endDate).toEqual(T("14:00"));
    expect((await history("s1")).map((h) => h.status)).toEqual(["ACTIVE"]);
  });

  it("end-dates instances gone from the cloud and closes their last segment; never deletes", async () => {
    const { cloud, client } = fakeCloud({ servers: [server({ id: "s1", name: "web" }), server({ id: "s2", name: "db" })] });
    await importInstances(db, client, providerId, noop, { now });
    clock = T("14:00");
    cloud.servers = [server({ id: "s2", name: "db" })];
    const summary = await importInstances(db, client, providerId, noop, { now });
    expect(summary.counts).toMatchObject({ endDated: 1, unchanged: 1 });
    expect(summary.names.endDated).toEqual(["web"]);
    expect((await instance("s1")).endDate).toEqual(T("14:00"));
    expect((await history("s1")).at(-1)).toMatchObject({ status: "ACTIVE", endDate: T("14:00") });
    expect((await history("s2")).at(-1)?.endDate).toBeNull();
    expect(await db.$count(instances)).toBe(2);

    // If it shows up again (a listing glitch), it lives again with a new segment.
    clock = T("14:15");
    cloud.servers.push(server({ id: "s1", name: "web" }));
    const back = await importInstances(db, client, providerId, noop, { now });
    expect(back.counts.restored).toBe(1);
    expect((await instance("s1")).endDate).toBeNull();
    expect((await history("s1")).map((h) => [h.startDate.toISOString(), h.endDate?.toISOString() ?? null])).toEqual([
      ["2024-03-01T10:01:00.000Z", "2024-03-02T14:00:00.000Z"],
      ["2024-03-02T14:15:00.000Z", null],
    ]);
  });

  it("ends nothing when the listing fails", async () => {
    const { cloud, client } = fakeCloud({ pageSize: 1, servers: [server({ id: "s1" }), server({ id: "s2" }), server({ id: "s3" })] });
    await importInstances(db, client, providerId, noop, { now });
    cloud.failAfterPages = 1;
    await expect(importInstances(db, client, providerId, noop, { now })).rejects.toThrow(/connection reset/);
    expect((await db.select().from(instances)).every((i) => i.endDate === null)).toBe(true);
    expect((await db.select().from(instanceStatusHistory)).every((h) => h.endDate === null)).toBe(true);
  });

  it("stops between batches when the job is cancelled", async () => {
    const { client } = fakeCloud({ pageSize: 1, servers: [server({ id: "s1" }), server({ id: "s2" })] });
    const controller = new AbortController();
    const progress = async (u: { counts?: Record<string, unknown> }) => {
      if ((u.counts as { pages?: number } | undefined)?.pages === 1) controller.abort(new Error("The job was cancelled."));
    };
    await expect(importInstances(db, client, providerId, progress, { now, signal: controller.signal })).rejects.toThrow(/cancelled/);
    expect(await db.$count(instances)).toBe(1);
  });
});
