// Imports from the real lab into a database of our own (the integration project has no
// DATABASE_URL, and the db project truncates its database between tests).
import path from "node:path";
import { and, asc, eq, like } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import * as schema from "@/lib/db/schema";
import { identities, instances, instanceStatusHistory, machines, providers, sizes, users, volumes } from "@/lib/db/schema";
import { createClient, type OpenStackClient } from "@/lib/openstack/client";
import { waitForServerStatus } from "@/lib/openstack/compute/v2/servers/wait";
import { cleanup, labOptions, testName } from "@/lib/openstack/testing/env";
import { insertLabProvider } from "@/lib/accounts/testing/lab-provider";
import { claimNextJob, enqueueJob, getJob } from "@/lib/jobs/queue";
import { registerJobHandler, runJob } from "@/lib/jobs/runner";
import { openAdminClient } from "@/lib/providers/connection";
import { encryptSecret } from "@/lib/secrets";
import { importInstances } from "./instances";
import { registerImportJobHandlers } from "./jobs";
import { importMachines, importMembers } from "./machines";
import { IMPORT_KINDS, importDedupeKey, type ImportCounts, type ImportResource } from "./resources";
import { enqueueImports } from "./runs";
import { importSizes } from "./sizes";
import { importVolumes } from "./volumes";
import { createPrivateFlavor, deleteFlavor, failingImageListing, openRawAdmin, uploadImageData } from "./testing/lab-admin";

// The job tests store a provider with a sealed password, as the wizard would; a key of this
// file's own (each test file runs in its own process).
process.env.CLOUDPORT_SECRET_KEY ??= Buffer.alloc(32, 11).toString("base64");

const BASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:54329/cloudport_test";
const DB_URL = `${BASE_URL}_int`;

let os: OpenStackClient;
let sql: ReturnType<typeof postgres>;
let db: Db;
let providerId: number;
const undo: Array<() => Promise<unknown>> = [];
const noop = async () => {};

async function freshDatabase(): Promise<void> {
  const name = DB_URL.slice(DB_URL.lastIndexOf("/") + 1);
  const admin = postgres(`${DB_URL.slice(0, DB_URL.lastIndexOf("/"))}/postgres`, { max: 1, onnotice: () => {} });
  try {
    const [exists] = await admin`select 1 from pg_database where datname = ${name}`;
    if (!exists) await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  sql = postgres(DB_URL, { max: 4, onnotice: () => {} });
  await sql.unsafe("drop schema if exists drizzle cascade; drop schema if exists public cascade; create schema public;");
  await migrate(drizzle(sql), { migrationsFolder: path.join(import.meta.dirname, "..", "..", "drizzle") });
  db = drizzle(sql, { schema }) as unknown as Db;
}

beforeAll(async () => {
  await freshDatabase();
  os = await createClient(labOptions());
  [{ id: providerId }] = await db
    .insert(providers)
    .values({ name: testName("provider"), authUrl: labOptions().authUrl })
    .returning({ id: providers.id });
});

afterAll(async () => {
  try {
    await cleanup(undo.reverse());
  } finally {
    await os?.close();
    await sql?.end();
  }
});

describe("imports against the lab", () => {
  it("imports the lab's flavors as sizes", async () => {
    const summary = await importSizes(db, os, providerId, noop);
    const rows = await db.select().from(sizes).where(eq(sizes.providerId, providerId));
    expect(rows.map((r) => r.name)).toEqual(expect.arrayContaining(["m1.nano", "m1.tiny", "m1.small", "m1.medium", "m1.large"]));
    expect(rows.find((r) => r.name === "m1.nano")).toMatchObject({ vcpus: 1, ramMb: 128, diskGb: 1, isPublic: true, extraSpecs: {}, endDate: null });
    expect(summary.counts.added).toBe(rows.length);
    expect((await importSizes(db, os, providerId, noop)).counts).toMatchObject({ added: 0, unchanged: rows.length, endDated: 0 });
  });

  it("imports the active images, not the benchmark's queued ones", async () => {
    const summary = await importMachines(db, os, providerId, noop);
    const rows = await db.select().from(machines).where(eq(machines.providerId, providerId));
    expect(rows.map((r) => r.name)).toEqual(expect.arrayContaining(["cirros-0.6-fake", "debian-12-fake"]));
    expect(await db.select().from(machines).where(like(machines.name, "bench-img-%"))).toEqual([]);
    expect(rows.find((r) => r.name === "cirros-0.6-fake")).toMatchObject({ visibility: "public", diskFormat: "qcow2", containerFormat: "bare" });
    expect(summary.counts.imported).toBe(rows.length);
  });

  it("follows a server through boot, stop and delete in the instance history", async () => {
    // An identity for the admin project, so the server is matched to it.
    const [user] = await db.insert(users).values({ username: testName("user") }).returning();
    const [identity] = await db
      .insert(identities)
      .values({ userId: user.id, providerId, projectName: os.token.project!.name, projectId: os.token.project!.id, state: "active" })
      .returning();

    const name = testName("import");
    const [flavor, image, net] = await Promise.all([
      os.compute.flavors.findByName("m1.nano"),
      os.image.images.findByName("cirros-0.6-fake"),
      os.network.networks.findByName("selfservice"),
    ]);
    const { id } = await os.compute.servers.create({ name, flavorId: flavor!.id, imageId: image!.id, networks: [{ networkId: net!.id }] });
    undo.push(() => os.compute.servers.delete(id));
    const poll = { intervalMs: 500, timeoutMs: 120_000 };
    expect((await waitForServerStatus(os, id, ["ACTIVE"], poll)).outcome).toBe("reached");

    const segments = async () => {
      const [row] = await db.select().from(instances).where(eq(instances.serverId, id));
      const history = await db.select().from(instanceStatusHistory).where(eq(instanceStatusHistory.instanceId, row.id)).orderBy(asc(instanceStatusHistory.id));
      return { row, history };
    };

    const booted = await importInstances(db, os, providerId, noop);
    expect(booted.names.added).toContain(name);
    let seen = await segments();
    expect(seen.row).toMatchObject({ name, status: "ACTIVE", identityId: identity.id, flavorName: "m1.nano", flavorId: flavor!.id, imageId: image!.id, endDate: null });
    expect((seen.row.addresses as { fixed: string[] }).fixed[0]).toMatch(/^192\.0\.2\./);
    expect(seen.history).toMatchObject([{ status: "ACTIVE", vcpus: 1, ramMb: 128, diskGb: 1, endDate: null }]);

    await os.compute.servers.stop(id);
    expect((await waitForServerStatus(os, id, ["SHUTOFF"], poll)).outcome).toBe("reached");
    await importInstances(db, os, providerId, noop);
    seen = await segments();
    expect(seen.row.status).toBe("SHUTOFF");
    expect(seen.history.map((h) => [h.status, h.endDate === null])).toEqual([
      ["ACTIVE", false],
      ["SHUTOFF", true],
    ]);
    expect(seen.history[0].endDate).toEqual(seen.history[1].startDate);

    await os.compute.servers.delete(id);
    expect((await waitForServerStatus(os, id, ["DELETED"], poll)).outcome).toBe("reached");
    const gone = await importInstances(db, os, providerId, noop);
    expect(gone.names.endDated).toContain(name);
    seen = await segments();
    expect(seen.row.endDate).toBeInstanceOf(Date);
    expect(seen.history.every((h) => h.endDate !== null)).toBe(true);
    expect(seen.history.at(-1)?.endDate).toEqual(seen.row.endDate);
  });
});

describe("out-of-band changes and failures against the lab", () => {
  it("adds an image and a private flavor made out-of-band, and end-dates them once deleted", async () => {
    const raw = await openRawAdmin(labOptions());
    undo.push(() => raw.close());
    const flavorName = testName("flavor");
    const flavorId = await createPrivateFlavor(raw.nova, flavorName, os.token.project!.id);
    undo.push(() => deleteFlavor(raw.nova, flavorId));
    const imageName = testName("image");
    const created = await os.image.images.create({ name: imageName, diskFormat: "raw", containerFormat: "bare", visibility: "private", tags: ["cptest"] });
    undo.push(() => os.image.images.delete(created.id));
    const data = "cloudport test image\n";
    await uploadImageData(raw.glance, created.id, data);
    await expect.poll(async () => (await os.image.images.get(created.id)).status, { timeout: 30_000, interval: 500 }).toBe("active");

    const sizesAdded = await importSizes(db, os, providerId, noop);
    expect(sizesAdded.names.added).toContain(flavorName);
    const [size] = await db.select().from(sizes).where(and(eq(sizes.providerId, providerId), eq(sizes.flavorId, flavorId)));
    expect(size).toMatchObject({ name: flavorName, vcpus: 1, ramMb: 64, diskGb: 1, isPublic: false, endDate: null });

    const machinesAdded = await importMachines(db, os, providerId, noop);
    expect(machinesAdded.names.added).toContain(imageName);
    const [machine] = await db.select().from(machines).where(and(eq(machines.providerId, providerId), eq(machines.imageId, created.id)));
    expect(machine).toMatchObject({
      name: imageName,
      visibility: "private",
      ownerProjectId: os.token.project!.id,
      sizeBytes: Buffer.byteLength(data),
      diskFormat: "raw",
      tags: ["cptest"],
      endDate: null,
    });

    await deleteFlavor(raw.nova, flavorId);
    await os.image.images.delete(created.id);
    const sizesGone = await importSizes(db, os, providerId, noop);
    expect(sizesGone.names.endDated).toContain(flavorName);
    expect(sizesGone.names.added).not.toContain(flavorName);
    const machinesGone = await importMachines(db, os, providerId, noop);
    expect(machinesGone.names.endDated).toContain(imageName);
    const [sizeAfter] = await db.select().from(sizes).where(eq(sizes.id, size.id));
    const [machineAfter] = await db.select().from(machines).where(eq(machines.id, machine.id));
    expect(sizeAfter.endDate).toBeInstanceOf(Date);
    expect(machineAfter.endDate).toBeInstanceOf(Date);
    // End-dated, never deleted, and not end-dated again by the next run.
    expect((await importMachines(db, os, providerId, noop)).names.endDated).not.toContain(imageName);
    expect((await db.select().from(machines).where(eq(machines.id, machine.id)))[0].endDate).toEqual(machineAfter.endDate);
  });

  it("shows members added or removed out of band after the members refresh, never after a resync alone", async () => {
    const raw = await openRawAdmin(labOptions());
    undo.push(() => raw.close());
    const [m1, m2] = await Promise.all([
      os.identity.projects.create({ name: testName("member-a"), description: "cptest image member" }),
      os.identity.projects.create({ name: testName("member-b"), description: "cptest image member" }),
    ]);
    undo.push(() => os.identity.projects.delete(m1.id), () => os.identity.projects.delete(m2.id));
    const image = await os.image.images.create({ name: testName("shared"), diskFormat: "raw", containerFormat: "bare", visibility: "shared" });
    undo.push(() => os.image.images.delete(image.id));
    await uploadImageData(raw.glance, image.id, "cloudport shared image\n");
    await expect.poll(async () => (await os.image.images.get(image.id)).status, { timeout: 30_000, interval: 500 }).toBe("active");
    await os.image.members.add(image.id, m1.id);
    const row = async () => (await db.select().from(machines).where(and(eq(machines.providerId, providerId), eq(machines.imageId, image.id))))[0];

    const first = await importMachines(db, os, providerId, noop);
    expect(first.counts.membersFetched).toBeGreaterThanOrEqual(1);
    expect((await row()).members).toEqual([m1.id]);
    const readAt = (await row()).membersRefreshedAt!;
    expect(readAt).toBeInstanceOf(Date);

    // Glance keeps updated_at when members change: a resync does not see it, and never wipes the list.
    const updatedBefore = (await os.image.images.get(image.id)).updatedAt;
    await os.image.members.add(image.id, m2.id);
    expect((await os.image.images.get(image.id)).updatedAt).toEqual(updatedBefore);
    await importMachines(db, os, providerId, noop);
    expect((await row()).members).toEqual([m1.id]);

    await importMembers(db, os, providerId, noop);
    expect((await row()).members).toEqual([m1.id, m2.id].sort());
    expect((await row()).membersRefreshedAt!.getTime()).toBeGreaterThan(readAt.getTime());

    await os.image.members.remove(image.id, m1.id);
    await importMachines(db, os, providerId, noop);
    expect((await row()).members).toEqual([m1.id, m2.id].sort());
    await importMembers(db, os, providerId, noop);
    expect((await row()).members).toEqual([m2.id]);
  });

  it("imports a volume with its size, type and status, and end-dates it once deleted", async () => {
    const name = testName("volume");
    const created = await os.blockStorage.volumes.create({ sizeGb: 1, name, description: "cptest volume import" });
    undo.push(() => os.blockStorage.volumes.delete(created.id).catch(() => {}));
    const ready = await os.blockStorage.volumes.waitForStatus(created.id, ["available"], { timeoutMs: 120_000 });
    const added = await importVolumes(db, os, providerId, noop);
    expect(added.names.added).toContain(name);
    const [stored] = await db.select().from(volumes).where(and(eq(volumes.providerId, providerId), eq(volumes.volumeId, created.id)));
    expect(stored).toMatchObject({ name, sizeGb: 1, status: "available", volumeType: ready!.volumeType, projectId: os.token.project!.id, attachedTo: [], endDate: null });

    await os.blockStorage.volumes.delete(created.id);
    await os.blockStorage.volumes.waitForStatus(created.id, ["deleted"], { timeoutMs: 120_000 });
    const gone = await importVolumes(db, os, providerId, noop);
    expect(gone.names.endDated).toContain(name);
    const [after] = await db.select().from(volumes).where(eq(volumes.id, stored.id));
    expect(after.endDate).toBeInstanceOf(Date);
  });

  describe("as background jobs", () => {
    let jobsProvider: number;
    /** Pages after which the image listing breaks, for the next machines job (undefined: it does not). */
    let breakAfter: number | undefined;

    beforeAll(async () => {
      ({ provider: { id: jobsProvider } } = await insertLabProvider(db, { name: testName("jobs") }));
      registerImportJobHandlers();
      // The real job handler, with the listing broken on demand and one image per page (so
      // there is a second page to break on).
      registerJobHandler(IMPORT_KINDS.machines, async (ctx) => {
        const { client } = await openAdminClient(ctx.db, ctx.job.providerId!);
        try {
          const listing = breakAfter === undefined ? client : failingImageListing(client, breakAfter);
          return await importMachines(ctx.db, listing, ctx.job.providerId!, ctx.progress, { signal: ctx.signal, pageSize: 1 });
        } finally {
          await client.close();
        }
      });
    });

    /** Queues an import the way the button does and runs it in this process, as the worker would. */
    async function runImport(resource: ImportResource) {
      const [{ jobId, created }] = await enqueueImports(db, { providerId: jobsProvider, resources: [resource], userId: null });
      expect(created).toBe(true);
      const claimed = await claimNextJob(db, "cptest-worker", [IMPORT_KINDS[resource]]);
      expect(claimed?.id).toBe(jobId);
      await runJob(db, claimed!, "cptest-worker", 60_000);
      const job = (await getJob(db, jobId))!;
      return { ...job, counts: job.counts as Partial<ImportCounts> };
    }

    const machineRows = () =>
      db
        .select({ id: machines.id, imageId: machines.imageId, endDate: machines.endDate, updatedAt: machines.updatedAt })
        .from(machines)
        .where(eq(machines.providerId, jobsProvider))
        .orderBy(asc(machines.id));

    it("fails cleanly when Glance goes away mid-listing: nothing end-dated or duplicated, and the retry succeeds", async () => {
      const first = await runImport("machines");
      expect(first).toMatchObject({ state: "succeeded", error: null });
      const before = await machineRows();
      expect(before.length).toBeGreaterThanOrEqual(2);
      expect(before.every((r) => r.endDate === null)).toBe(true);

      breakAfter = 1;
      const failed = await runImport("machines");
      expect(failed.state).toBe("failed");
      expect(failed.error).toMatch(/went away in the middle of the listing/);
      expect(failed.counts.pages).toBe(1);
      const afterFailure = await machineRows();
      expect(afterFailure.map((r) => [r.id, r.imageId, r.endDate])).toEqual(before.map((r) => [r.id, r.imageId, null]));

      breakAfter = undefined;
      const retried = await runImport("machines");
      expect(retried).toMatchObject({ state: "succeeded", error: null, progress: 1 });
      expect(retried.counts).toMatchObject({ added: 0, restored: 0, endDated: 0 });
      expect(retried.counts.pages).toBeGreaterThanOrEqual(2);
      const afterRetry = await machineRows();
      expect(afterRetry.map((r) => r.id)).toEqual(before.map((r) => r.id));
      expect(new Set(afterRetry.map((r) => r.imageId)).size).toBe(afterRetry.length);
      expect(afterRetry.every((r) => r.endDate === null)).toBe(true);
    });

    it("a scheduled run puts the next one a whole interval after it ended", async () => {
      // As the scheduler queues it: the claim moved next_run_at when the run was due; say the
      // run took longer than its interval, so that time has passed already.
      await enqueueImports(db, { providerId: jobsProvider, resources: [], userId: null });
      await db
        .update(schema.importSchedules)
        .set({ nextRunAt: new Date(Date.now() - 60_000) })
        .where(and(eq(schema.importSchedules.providerId, jobsProvider), eq(schema.importSchedules.resource, "sizes")));
      const { job } = await enqueueJob(db, {
        kind: IMPORT_KINDS.sizes,
        providerId: jobsProvider,
        params: { resource: "sizes", trigger: "schedule" },
        dedupeKey: importDedupeKey("sizes", jobsProvider),
      });
      const claimed = await claimNextJob(db, "cptest-worker", [IMPORT_KINDS.sizes]);
      expect(claimed?.id).toBe(job.id);
      await runJob(db, claimed!, "cptest-worker", 60_000);
      expect((await getJob(db, job.id))!.state).toBe("succeeded");
      const [schedule] = await db
        .select()
        .from(schema.importSchedules)
        .where(and(eq(schema.importSchedules.providerId, jobsProvider), eq(schema.importSchedules.resource, "sizes")));
      expect(schedule.nextRunAt.getTime()).toBeGreaterThan(Date.now() + (schedule.intervalSeconds - 60) * 1000);
    });

    it("refuses to import with a credential that lost the admin role: the reason, and nothing end-dated", async () => {
      expect((await runImport("sizes")).state).toBe("succeeded");
      const before = await db.select().from(sizes).where(eq(sizes.providerId, jobsProvider)).orderBy(asc(sizes.id));
      // A member (not admin) of a project of its own: Nova would list only its flavors and servers.
      const name = testName("nonadmin");
      const password = `pw-${name}-0123456789`;
      const project = await os.identity.ensureProject({ name, description: "cloudport integration test" });
      undo.push(() => os.identity.projects.delete(project.value.id));
      const user = await os.identity.ensureUser({ name, password, defaultProjectId: project.value.id });
      undo.push(() => os.identity.users.delete(user.value.id));
      await os.identity.ensureRoleAssignment({ project: { id: project.value.id }, user: { id: user.value.id }, role: { name: "member" } });
      const [stored] = await db.select().from(providers).where(eq(providers.id, jobsProvider));
      const [secret] = await db.select().from(schema.providerSecrets).where(eq(schema.providerSecrets.providerId, jobsProvider));
      await db.update(providers).set({ adminUsername: name, adminProjectName: name }).where(eq(providers.id, jobsProvider));
      await db.update(schema.providerSecrets).set({ credentialSecret: encryptSecret(password) }).where(eq(schema.providerSecrets.providerId, jobsProvider));
      try {
        const refused = await runImport("sizes");
        expect(refused.state).toBe("failed");
        expect(refused.error).toContain(`The provider's credential (${name} on project ${name}) does not hold the admin role`);
        expect(await db.select().from(sizes).where(eq(sizes.providerId, jobsProvider)).orderBy(asc(sizes.id))).toEqual(before);
      } finally {
        await db.update(providers).set({ adminUsername: stored.adminUsername, adminProjectName: stored.adminProjectName }).where(eq(providers.id, jobsProvider));
        await db.update(schema.providerSecrets).set({ credentialSecret: secret.credentialSecret }).where(eq(schema.providerSecrets.providerId, jobsProvider));
      }
    });

    it("fails with the reason when the cloud is on a dead port, leaves the records, and succeeds once it is back", async () => {
      const first = await runImport("sizes");
      expect(first.state).toBe("succeeded");
      const before = await db.select().from(sizes).where(eq(sizes.providerId, jobsProvider)).orderBy(asc(sizes.id));
      expect(before.length).toBeGreaterThanOrEqual(5);

      const [{ authUrl }] = await db.select({ authUrl: providers.authUrl }).from(providers).where(eq(providers.id, jobsProvider));
      await db.update(providers).set({ authUrl: "http://127.0.0.1:9/v3" }).where(eq(providers.id, jobsProvider));
      const failed = await runImport("sizes");
      expect(failed.state).toBe("failed");
      expect(failed.error).toBeTruthy();
      expect(await db.select().from(sizes).where(eq(sizes.providerId, jobsProvider)).orderBy(asc(sizes.id))).toEqual(before);

      await db.update(providers).set({ authUrl }).where(eq(providers.id, jobsProvider));
      const retried = await runImport("sizes");
      expect(retried.state).toBe("succeeded");
      expect(retried.counts).toMatchObject({ added: 0, restored: 0, endDated: 0 });
      const after = await db.select().from(sizes).where(eq(sizes.providerId, jobsProvider));
      expect(after.length).toBe(before.length);
      expect(new Set(after.map((r) => r.flavorId)).size).toBe(after.length);
    });
  });
});
