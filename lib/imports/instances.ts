import { and, desc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { identities, instanceStatusHistory, instances, sizes, type Instance, type InstanceStatusSegment, type Size } from "@/lib/db/schema";
import type { ImportClient, Server } from "./client";
import { DEFAULT_BATCH_SIZE, ImportTally, chunks, differs, fraction, previousListedCount, readAhead, throwIfAborted, withoutNul, type ImportOptions, type ImportProgress } from "./run";
import type { ImportSummary } from "./resources";
import { plural } from "@/lib/domain/format";

type InstanceRow = typeof instances.$inferInsert;

const INSTANCE_FIELDS = [
  "identityId",
  "name",
  "projectId",
  "status",
  "taskState",
  "flavorId",
  "flavorName",
  "imageId",
  "addresses",
  "host",
  "serverCreatedAt",
  "launchedAt",
] as const satisfies readonly (keyof Instance)[];

/** Fixed and floating addresses, and Nova's per-network detail. */
export type InstanceAddresses = {
  fixed: string[];
  floating: string[];
  networks: Record<string, Array<{ addr: string; version: number; type: string | null; mac: string | null }>>;
};

export function addressesOf(server: Server): InstanceAddresses {
  // Keyed by network names from the cloud: a prototype-less object, so "__proto__" or
  // "constructor" is a network like any other (on {} the first sets the prototype, the second
  // finds Object and push fails).
  const networks: InstanceAddresses["networks"] = Object.create(null);
  const out: InstanceAddresses = { fixed: [], floating: [], networks };
  for (const a of server.addresses) {
    const list = Object.hasOwn(networks, a.network) ? networks[a.network] : (networks[a.network] = []);
    list.push({ addr: a.addr, version: a.version, type: a.type, mac: a.mac });
    if (a.type === "floating") out.floating.push(a.addr);
    else out.fixed.push(a.addr);
  }
  return out;
}

/** What a status-history segment records: the status and the size the instance had. */
export type SegmentShape = Pick<InstanceStatusSegment, "status" | "flavorId" | "flavorName" | "vcpus" | "ramMb" | "diskGb">;

/**
 * The flavor of a server: Nova before 2.47 gives its id (look the numbers up in sizes), from
 * 2.47 it embeds name and numbers without the id (look the id up by name). The embedded
 * numbers win: they are what the server was built with, even if the flavor changed since.
 */
export function resolveFlavor(server: Server, byId: Map<string, Size>, byName: Map<string, Size[]>) {
  const f = server.flavor;
  let size: Size | undefined;
  if (f?.id) size = byId.get(f.id);
  else if (f?.name) {
    const candidates = byName.get(f.name) ?? [];
    const same = (s: Size) => s.vcpus === f.vcpus && s.ramMb === f.ramMb && s.diskGb === f.diskGb;
    size =
      candidates.find((s) => !s.endDate && same(s)) ??
      candidates.find((s) => same(s)) ??
      candidates.find((s) => !s.endDate) ??
      candidates[0];
  }
  return {
    flavorId: f?.id ?? size?.flavorId ?? null,
    flavorName: f?.name ?? size?.name ?? null,
    vcpus: f?.vcpus ?? size?.vcpus ?? 0,
    ramMb: f?.ramMb ?? size?.ramMb ?? 0,
    diskGb: f?.diskGb ?? size?.diskGb ?? 0,
  };
}

/** A resize shows as another flavor, or (when ids are unknown) other numbers. */
export function segmentChanged(open: SegmentShape, next: SegmentShape): boolean {
  if (open.status !== next.status) return true;
  if (open.flavorId && next.flavorId && open.flavorId !== next.flavorId) return true;
  return open.vcpus !== next.vcpus || open.ramMb !== next.ramMb || open.diskGb !== next.diskGb;
}

const earliest = (...dates: Array<Date | null | undefined>) =>
  new Date(Math.min(...dates.filter((d): d is Date => d instanceof Date && !Number.isNaN(d.getTime())).map((d) => d.getTime())));

/**
 * Writes one batch of servers in one transaction: instance rows (matched to an identity by
 * project), and a status-history segment whenever status or size changed.
 */
async function writeInstanceBatch(db: Db, providerId: number, listed: Server[], tally: ImportTally, seenAt: Date): Promise<void> {
  const servers = listed.map(withoutNul);
  const byServer = new Map(servers.map((s) => [s.id, s]));
  const list = [...byServer.values()];
  const flavorIds = [...new Set(list.map((s) => s.flavor?.id).filter((v): v is string => Boolean(v)))];
  const flavorNames = [...new Set(list.map((s) => s.flavor?.name).filter((v): v is string => Boolean(v)))];
  const projectIds = [...new Set(list.map((s) => s.projectId).filter((v): v is string => Boolean(v)))];

  await db.transaction(async (tx) => {
    const sizeRows =
      flavorIds.length || flavorNames.length
        ? await tx
            .select()
            .from(sizes)
            .where(
              and(
                eq(sizes.providerId, providerId),
                or(
                  flavorIds.length ? inArray(sizes.flavorId, flavorIds) : undefined,
                  flavorNames.length ? inArray(sizes.name, flavorNames) : undefined,
                ),
              ),
            )
        : [];
    const sizeById = new Map(sizeRows.map((s) => [s.flavorId, s]));
    const sizeByName = new Map<string, Size[]>();
    for (const s of sizeRows) sizeByName.set(s.name, [...(sizeByName.get(s.name) ?? []), s]);

    // Live identities first, so a project reused after a removal matches the current account.
    const identityRows = projectIds.length
      ? await tx
          .select({ id: identities.id, projectId: identities.projectId, endDate: identities.endDate })
          .from(identities)
          .where(and(eq(identities.providerId, providerId), inArray(identities.projectId, projectIds)))
          .orderBy(sql`${identities.endDate} is null desc`, desc(identities.id))
      : [];
    const identityByProject = new Map<string, number>();
    for (const i of identityRows) if (i.projectId && !identityByProject.has(i.projectId)) identityByProject.set(i.projectId, i.id);

    const existing = await tx
      .select()
      .from(instances)
      .where(and(eq(instances.providerId, providerId), inArray(instances.serverId, [...byServer.keys()])));
    const stored = new Map(existing.map((r) => [r.serverId, r]));
    const openRows = existing.length
      ? await tx
          .select()
          .from(instanceStatusHistory)
          .where(and(inArray(instanceStatusHistory.instanceId, existing.map((r) => r.id)), isNull(instanceStatusHistory.endDate)))
      : [];
    const openByInstance = new Map(openRows.map((h) => [h.instanceId, h]));

    const write: InstanceRow[] = [];
    const touch: number[] = [];
    const shapes = new Map<string, SegmentShape>();
    for (const server of list) {
      const flavor = resolveFlavor(server, sizeById, sizeByName);
      const row: InstanceRow = {
        providerId,
        identityId: (server.projectId && identityByProject.get(server.projectId)) || null,
        serverId: server.id,
        name: server.name,
        projectId: server.projectId,
        status: server.status,
        taskState: server.taskState,
        flavorId: flavor.flavorId,
        flavorName: flavor.flavorName,
        imageId: server.imageId,
        addresses: addressesOf(server),
        host: server.host,
        serverCreatedAt: server.created,
        launchedAt: server.launchedAt,
        startDate: server.created ? earliest(server.created, seenAt) : seenAt,
      };
      shapes.set(server.id, { status: server.status, ...flavor });
      const old = stored.get(server.id);
      if (!old) {
        tally.note("added", server.name);
        write.push(row);
      } else if (old.endDate) {
        tally.note("restored", server.name);
        write.push(row);
      } else if (differs(old, row, INSTANCE_FIELDS)) {
        tally.note("updated", server.name);
        write.push(row);
      } else {
        tally.counts.unchanged++;
        touch.push(old.id);
      }
    }

    const marker = { lastSeenRun: tally.runId, lastSeenAt: seenAt };
    const ids = new Map(existing.map((r) => [r.serverId, r.id]));
    if (write.length) {
      const set: Record<string, unknown> = { endDate: null, updatedAt: sql`now()`, ...marker };
      for (const f of INSTANCE_FIELDS) set[f] = sql.raw(`excluded."${instances[f].name}"`);
      const written = await tx
        .insert(instances)
        .values(write.map((r) => ({ ...r, ...marker })))
        .onConflictDoUpdate({ target: [instances.providerId, instances.serverId], set })
        .returning({ id: instances.id, serverId: instances.serverId });
      for (const w of written) ids.set(w.serverId, w.id);
    }
    if (touch.length) await tx.update(instances).set(marker).where(inArray(instances.id, touch));

    // Status history: close the open segment at the time we saw the change, open the next.
    const close: number[] = [];
    const open: Array<typeof instanceStatusHistory.$inferInsert> = [];
    for (const server of list) {
      const instanceId = ids.get(server.id)!;
      const shape = shapes.get(server.id)!;
      const current = openByInstance.get(instanceId);
      const old = stored.get(server.id);
      if (current && !old?.endDate && !segmentChanged(current, shape)) continue;
      if (current) close.push(current.id);
      // A new instance's first segment starts when it launched (or was created); later ones
      // when the change was seen.
      const startDate = old ? seenAt : earliest(server.launchedAt ?? server.created, seenAt);
      open.push({ instanceId, ...shape, startDate });
    }
    if (close.length) {
      await tx
        .update(instanceStatusHistory)
        .set({ endDate: sql`greatest(${instanceStatusHistory.startDate}, ${seenAt.toISOString()}::timestamptz)` })
        .where(inArray(instanceStatusHistory.id, close));
    }
    if (open.length) await tx.insert(instanceStatusHistory).values(open);
    tally.counts.statusChanges = (tally.counts.statusChanges ?? 0) + open.length;
  });
  tally.counts.imported += byServer.size;
}

/**
 * Ends instances a completed listing did not see, closing their open history segment at the
 * same time. Rows are never deleted: the allocation engine reads their history.
 */
async function endDateMissingInstances(db: Db, providerId: number, tally: ImportTally, at: Date): Promise<void> {
  const unseen = and(
    eq(instances.providerId, providerId),
    isNull(instances.endDate),
    sql`${instances.lastSeenRun} is distinct from ${tally.runId}`,
  );
  const gone = await db.transaction(async (tx) => {
    await tx
      .update(instanceStatusHistory)
      .set({ endDate: sql`greatest(${instanceStatusHistory.startDate}, ${at.toISOString()}::timestamptz)` })
      .where(
        and(
          isNull(instanceStatusHistory.endDate),
          inArray(instanceStatusHistory.instanceId, tx.select({ id: instances.id }).from(instances).where(unseen)),
        ),
      );
    return tx.update(instances).set({ endDate: at }).where(unseen).returning({ name: instances.name });
  });
  for (const row of gone) tally.note("endDated", row.name);
}

/**
 * Imports the servers of every project (admin all_tenants listing): instances matched to an
 * identity by project, a status-history segment whenever status or size changes, and
 * instances gone from the cloud end-dated with their last segment closed. Never deletes.
 */
export async function importInstances(
  db: Db,
  client: ImportClient,
  providerId: number,
  progress: ImportProgress,
  opts: ImportOptions = {},
): Promise<ImportSummary> {
  const now = opts.now ?? (() => new Date());
  const tally = new ImportTally("instances", opts.runId);
  tally.counts.statusChanges = 0;
  const expected = await previousListedCount(db, providerId, "instances");
  await progress({ progress: 0, progressText: "Listing servers in every project…", counts: tally.counts });
  for await (const page of readAhead(client.compute.servers.pages({ allTenants: true, limit: opts.pageSize }))) {
    throwIfAborted(opts.signal);
    const seenAt = now();
    // Nova lists a server whose delete has finished on the compute host as DELETED until its row
    // is soft-deleted a moment later: it is gone, so it is left to be end-dated below.
    const live = page.filter((server) => server.status !== "DELETED");
    tally.counts.pages++;
    tally.counts.listed += live.length;
    for (const batch of chunks(live, opts.batchSize ?? DEFAULT_BATCH_SIZE)) {
      await writeInstanceBatch(db, providerId, batch, tally, seenAt);
    }
    await progress({
      progress: fraction(tally.counts.listed, expected),
      progressText: `${plural(tally.counts.listed, "server")} processed`,
      counts: tally.counts,
      result: tally.summary(),
    });
  }
  // Cancelled or taken over while the last page was written: end-date nothing (see machines.ts).
  throwIfAborted(opts.signal);
  await endDateMissingInstances(db, providerId, tally, now());
  const summary = tally.summary(true);
  await progress({ progress: 1, progressText: `${plural(tally.counts.imported, "instance")} imported`, counts: tally.counts, result: summary });
  return summary;
}
