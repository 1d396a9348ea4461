// Imports from the real lab into a database of our own (the integration project has no
// DATABASE_URL, and the db project truncates its database between tests).
import path from "node:path";
import { asc, eq, like } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import * as schema from "@/lib/db/schema";
import { identities, instances, instanceStatusHistory, machines, providers, sizes, users } from "@/lib/db/schema";
import { createClient, type OpenStackClient } from "@/lib/openstack/client";
import { waitForServerStatus } from "@/lib/openstack/compute/v2/servers/wait";
import { cleanup, labOptions, testName } from "@/lib/openstack/testing/env";
import { importInstances } from "./instances";
import { importMachines } from "./machines";
import { importSizes } from "./sizes";

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
