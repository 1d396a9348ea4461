/**
 * Seeding and cleanup for scripts/bench-import.ts: metadata-only images (bench-imp-…, the first
 * --shared of them offered to the project bench-imp-member), private flavors (bench-flv-…),
 * servers on Nova's fake driver (bench-srv-…) and 1 GB volumes (bench-vol-…), created in the admin
 * project of the cloud the benchmark uses. Only what carries these prefixes is ever deleted.
 *
 * lib/openstack has no flavor create and no multi-create (the console never needs them), so
 * those calls go through a ServiceClient of our own session.
 */
import { performance } from "node:perf_hooks";
import { z } from "zod";

import type { ClientOptions, OpenStackClient } from "../lib/openstack/client";
import { discoverIdentity, issueToken, Session } from "../lib/openstack/core/auth";
import { isStatus } from "../lib/openstack/core/errors";
import { HttpTransport } from "../lib/openstack/core/http";
import { Redactor } from "../lib/openstack/core/redact";
import { ServiceClient } from "../lib/openstack/core/service-client";
import * as services from "../lib/openstack/core/services";
import { flavorUrl } from "../lib/openstack/compute/v2/flavors/urls";
import { serversUrl } from "../lib/openstack/compute/v2/servers/urls";

export const IMAGE_PREFIX = "bench-imp-";
export const FLAVOR_PREFIX = "bench-flv-";
export const SERVER_PREFIX = "bench-srv-";
export const VOLUME_PREFIX = "bench-vol-";
/** The project the shared seeded images are offered to. */
export const MEMBER_PROJECT = "bench-imp-member";

const IMAGE_CONCURRENCY = 16;
const FLAVOR_CONCURRENCY = 8;
const DELETE_CONCURRENCY = 16;
/** Servers per multi-create request. */
const SERVERS_PER_REQUEST = 100;
const SERVER_WAIT_MS = 15 * 60_000;

export interface SeedTargets {
  images: number;
  flavors: number;
  servers: number;
  /** Seeded images offered to MEMBER_PROJECT (Glance makes new images "shared"; these get a member). */
  shared: number;
  volumes: number;
  /** How long to wait for the seeded servers to leave BUILD before measuring anyway. */
  serverWaitMs: number;
}

/** Raw Nova and Cinder clients on a session of their own, for the calls lib/openstack does not offer. */
async function rawCompute(options: ClientOptions): Promise<{ compute: ServiceClient; volume: ServiceClient; close: () => Promise<void> }> {
  const redactor = new Redactor();
  redactor.add(options.auth.type === "password" ? options.auth.password : options.auth.secret);
  const transport = new HttpTransport(redactor, options);
  try {
    const identity = await discoverIdentity(transport, options.authUrl);
    const token = await issueToken(transport, identity.url, options.auth);
    const session = new Session(transport, identity, options.auth, token, 120_000);
    const where = { interface: options.interface ?? "public", region: options.region ?? null };
    const compute = new ServiceClient(session, services.compute, where);
    const volume = new ServiceClient(session, services.blockStorage, where);
    return { compute, volume, close: () => transport.close() };
  } catch (err) {
    await transport.close();
    throw err;
  }
}

/** Runs `work` over `items`, `limit` at a time, reporting every 100 done. */
async function pool<T>(label: string, items: T[], limit: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  let done = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      await work(item);
      done++;
      if (done % 500 === 0 || done === items.length) process.stdout.write(`\r${label}: ${done}/${items.length}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (items.length) process.stdout.write(` (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
}

const pad = (i: number) => String(i).padStart(5, "0");

async function seededImages(os: OpenStackClient): Promise<Map<string, string>> {
  const images = await os.image.images.list({ visibility: "all", limit: 1000 });
  return new Map(images.filter((i) => i.name?.startsWith(IMAGE_PREFIX)).map((i) => [i.name as string, i.id]));
}

async function seededFlavors(os: OpenStackClient): Promise<Map<string, string>> {
  const flavors = await os.compute.flavors.list({ visibility: "all" });
  return new Map(flavors.filter((f) => f.name.startsWith(FLAVOR_PREFIX)).map((f) => [f.name, f.id]));
}

async function seededVolumes(os: OpenStackClient): Promise<Map<string, string>> {
  const volumes = await os.blockStorage.volumes.list({ allTenants: true, limit: 1000 });
  return new Map(volumes.filter((v) => v.name?.startsWith(VOLUME_PREFIX)).map((v) => [v.name as string, v.id]));
}

/** The seeded servers of the admin project (multi-create names them bench-srv-<tag>-<n>). */
async function seededServers(os: OpenStackClient) {
  return os.compute.servers.list({ name: `^${SERVER_PREFIX}` });
}

function flavorBody(i: number) {
  return {
    flavor: {
      name: `${FLAVOR_PREFIX}${pad(i)}`,
      vcpus: 1 + (i % 4),
      ram: 64 * (1 + (i % 8)),
      disk: 1 + (i % 10),
      "os-flavor-access:is_public": false,
    },
  };
}

/** Raises the project's instances, cores and RAM quotas so `more` servers of one flavor fit. */
async function raiseQuotas(os: OpenStackClient, projectId: string, more: number, vcpus: number, ramMb: number): Promise<void> {
  const q = await os.compute.quotaSets.getDetail(projectId);
  const need = (u: { limit: number; inUse: number; reserved: number }, n: number) =>
    u.limit === -1 || u.limit >= u.inUse + u.reserved + n ? undefined : u.inUse + u.reserved + n;
  const update = {
    instances: need(q.instances, more),
    cores: need(q.cores, more * vcpus),
    ramMb: need(q.ramMb, more * ramMb),
  };
  if (update.instances === undefined && update.cores === undefined && update.ramMb === undefined) return;
  await os.compute.quotaSets.update(projectId, update);
  console.log(
    `seed: raised compute quotas of the admin project: ` +
      Object.entries(update)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k} ${v}`)
        .join(", "),
  );
}

/** Creates whatever of the targets does not exist yet, and waits for the servers to settle. */
export async function seed(os: OpenStackClient, options: ClientOptions, targets: SeedTargets): Promise<void> {
  // Images: metadata-only records (they stay queued; the benchmark imports them with includeInactive).
  const images = await seededImages(os);
  const missingImages = Array.from({ length: targets.images }, (_, i) => `${IMAGE_PREFIX}${pad(i + 1)}`).filter((n) => !images.has(n));
  if (missingImages.length) {
    await pool(`seed: creating ${missingImages.length} images, ${IMAGE_CONCURRENCY} at a time`, missingImages, IMAGE_CONCURRENCY, (name) =>
      os.image.images.create({ name, diskFormat: "raw", containerFormat: "bare", tags: ["bench"] }),
    );
  }
  console.log(`seed: images ${images.size + missingImages.length} ${IMAGE_PREFIX}* (${missingImages.length} created)`);

  if (targets.shared > 0) {
    const member = (await os.identity.projects.findByName(MEMBER_PROJECT)) ?? (await os.identity.projects.create({ name: MEMBER_PROJECT, description: "bench:import image member" }));
    const all = await seededImages(os);
    const ids = Array.from({ length: Math.min(targets.shared, targets.images) }, (_, i) => all.get(`${IMAGE_PREFIX}${pad(i + 1)}`)).filter((id): id is string => Boolean(id));
    // Glance answers 409 for a member that is there already: a re-run adds only what is missing.
    await pool(`seed: offering ${ids.length} images to ${MEMBER_PROJECT}`, ids, IMAGE_CONCURRENCY, (id) =>
      os.image.members.add(id, member.id).catch((err) => {
        if (!isStatus(err, 409)) throw err;
      }),
    );
  }

  const raw = await rawCompute(options);
  try {
    const flavors = await seededFlavors(os);
    const missingFlavors = Array.from({ length: targets.flavors }, (_, i) => i + 1).filter((i) => !flavors.has(`${FLAVOR_PREFIX}${pad(i)}`));
    const created = z.object({ flavor: z.object({ id: z.string(), name: z.string() }) });
    await pool(`seed: creating ${missingFlavors.length} private flavors`, missingFlavors, FLAVOR_CONCURRENCY, async (i) => {
      const f = raw.compute.parse(created, await raw.compute.request("POST", "/flavors", { json: flavorBody(i) })).flavor;
      flavors.set(f.name, f.id);
    });
    console.log(`seed: flavors ${flavors.size} ${FLAVOR_PREFIX}* (${missingFlavors.length} created)`);

    const existing = await seededServers(os);
    const missingServers = Math.max(0, targets.servers - existing.length);
    if (missingServers > 0) {
      const mv = await raw.compute.microversion();
      const [major, minor] = (mv ?? "2.1").split(".").map(Number);
      if (major === 2 && minor < 37) throw new Error(`compute microversion ${mv}: networks "none" needs 2.37 or later`);
      const flavorName = `${FLAVOR_PREFIX}${pad(1)}`;
      const flavorId = flavors.get(flavorName);
      if (!flavorId) throw new Error(`${flavorName} is missing: seed at least one flavor`);
      const { vcpus, ram } = flavorBody(1).flavor;
      const active = await os.image.images.list({ status: "active", visibility: "all" });
      const image = active.find((i) => i.diskFormat !== "aki" && i.diskFormat !== "ari");
      if (!image) throw new Error("no active image to boot the seeded servers from");
      const projectId = os.token.project?.id;
      if (!projectId) throw new Error("the benchmark's token is not project-scoped");
      await raiseQuotas(os, projectId, missingServers, vcpus, ram);

      const tag = Date.now().toString(36);
      for (let done = 0, batch = 1; done < missingServers; batch++) {
        const count = Math.min(SERVERS_PER_REQUEST, missingServers - done);
        await raw.compute.request("POST", serversUrl(), {
          timeoutMs: 300_000,
          json: {
            server: {
              name: `${SERVER_PREFIX}${tag}${batch}`,
              flavorRef: flavorId,
              imageRef: image.id,
              networks: "none",
              min_count: count,
              max_count: count,
            },
          },
        });
        done += count;
        process.stdout.write(`\rseed: creating ${missingServers} servers (${image.name}, ${flavorName}, ${SERVERS_PER_REQUEST} a request): ${done}`);
      }
      process.stdout.write(`\n`);
    }
    console.log(`seed: servers ${existing.length + missingServers} ${SERVER_PREFIX}* (${missingServers} created)`);

    const volumes = await seededVolumes(os);
    const missingVolumes = Array.from({ length: targets.volumes }, (_, i) => `${VOLUME_PREFIX}${pad(i + 1)}`).filter((n) => !volumes.has(n));
    if (missingVolumes.length) {
      const projectId = os.token.project?.id;
      if (!projectId) throw new Error("the benchmark's token is not project-scoped");
      const want = volumes.size + missingVolumes.length + 20;
      await raw.volume.request("PUT", `/os-quota-sets/${projectId}`, { json: { quota_set: { volumes: want, gigabytes: want * 2 } } });
      await pool(`seed: creating ${missingVolumes.length} 1 GB volumes`, missingVolumes, FLAVOR_CONCURRENCY, (name) =>
        os.blockStorage.volumes.create({ sizeGb: 1, name, description: "bench:import" }),
      );
    }
    console.log(`seed: volumes ${volumes.size + missingVolumes.length} ${VOLUME_PREFIX}* (${missingVolumes.length} created)`);
    await waitForServers(os, targets.serverWaitMs);
  } finally {
    await raw.close();
  }
}

/**
 * Waits until no seeded server is in BUILD, or `waitMs` passed: then carries on with a warning
 * (the importer lists servers whatever their status; the lab's single fake compute builds
 * one server every few seconds).
 */
async function waitForServers(os: OpenStackClient, waitMs: number): Promise<void> {
  const started = performance.now();
  for (;;) {
    const servers = await seededServers(os);
    const byStatus = new Map<string, number>();
    for (const s of servers) byStatus.set(s.status, (byStatus.get(s.status) ?? 0) + 1);
    const summary = [...byStatus].map(([s, n]) => `${n} ${s}`).join(", ") || "none";
    const waited = performance.now() - started;
    if (!byStatus.has("BUILD")) {
      console.log(`seed: servers settled: ${summary} (waited ${(waited / 1000).toFixed(1)} s)`);
      return;
    }
    if (waited >= waitMs) {
      console.log(`seed: WARNING: measuring while servers still build (${summary}); their status changes show in the second import`);
      return;
    }
    process.stdout.write(`\rseed: waiting for the servers: ${summary}   `);
    await new Promise((r) => setTimeout(r, 5_000));
  }
}

/** Deletes the seeded servers (and waits for them to go), flavors and images. */
export async function cleanup(os: OpenStackClient, options: ClientOptions): Promise<void> {
  const servers = await seededServers(os);
  await pool(`cleanup: deleting ${servers.length} servers`, servers, DELETE_CONCURRENCY, (s) => os.compute.servers.delete(s.id).catch(ignore404));
  const deadline = Date.now() + SERVER_WAIT_MS;
  for (let left = servers.length; left > 0; ) {
    if (Date.now() > deadline) throw new Error(`${left} servers still there after ${SERVER_WAIT_MS / 60_000} min`);
    await new Promise((r) => setTimeout(r, 3_000));
    left = (await seededServers(os)).length;
    process.stdout.write(`\rcleanup: waiting for the servers to go: ${left} left   `);
  }
  if (servers.length) process.stdout.write("\n");
  console.log(`cleanup: deleted ${servers.length} ${SERVER_PREFIX}* servers`);

  const raw = await rawCompute(options);
  try {
    const flavors = [...(await seededFlavors(os)).values()];
    await pool(`cleanup: deleting ${flavors.length} flavors`, flavors, DELETE_CONCURRENCY, (id) =>
      raw.compute.request("DELETE", flavorUrl(id)).catch(ignore404),
    );
    console.log(`cleanup: deleted ${flavors.length} ${FLAVOR_PREFIX}* flavors`);
  } finally {
    await raw.close();
  }

  const volumes = [...(await seededVolumes(os)).values()];
  await pool(`cleanup: deleting ${volumes.length} volumes`, volumes, DELETE_CONCURRENCY, (id) => os.blockStorage.volumes.delete(id).catch(ignore404));
  console.log(`cleanup: deleted ${volumes.length} ${VOLUME_PREFIX}* volumes`);
  const member = await os.identity.projects.findByName(MEMBER_PROJECT);
  if (member) await os.identity.projects.delete(member.id).catch(ignore404);

  const images = [...(await seededImages(os)).values()];
  await pool(`cleanup: deleting ${images.length} images`, images, DELETE_CONCURRENCY, (id) => os.image.images.delete(id).catch(ignore404));
  console.log(`cleanup: deleted ${images.length} ${IMAGE_PREFIX}* images`);
}

function ignore404(err: unknown): void {
  if (!isStatus(err, 404)) throw err;
}
