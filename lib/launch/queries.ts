import { and, asc, count, desc, eq, gte, ilike, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "@/lib/db/client";
import { identities, launchTests, machines, providers, sizes, users, type LaunchTest } from "@/lib/db/schema";
import type { LaunchChoices, LaunchKind, LaunchReport, RunState, Step } from "./types";

// Queries of the launch-test feature, taking (db, …) so tests pass their own database.

/** The pickers show at most this many matches; the rest is reached by searching (on the server). */
export const PICKER_LIMIT = 50;

const likeEscape = (q: string) => q.replace(/[\\%_]/g, (c) => `\\${c}`);

export type PickerSearch = { q?: string; limit?: number };

function identityWhere(providerId: number, q?: string): SQL | undefined {
  const term = q?.trim();
  return and(
    eq(identities.providerId, providerId),
    eq(identities.state, "active"),
    isNull(identities.endDate),
    term ? or(ilike(users.username, `%${likeEscape(term)}%`), ilike(identities.projectName, `%${likeEscape(term)}%`)) : undefined,
  );
}

/** Accounts a launch test can run as: active, not end-dated, with their owner's username (matching `q`, up to `limit`). */
export async function listLaunchIdentities(db: Db, providerId: number, search: PickerSearch = {}) {
  const query = db
    .select({
      id: identities.id,
      username: users.username,
      projectName: identities.projectName,
      projectId: identities.projectId,
      networkId: identities.networkId,
    })
    .from(identities)
    .innerJoin(users, eq(users.id, identities.userId))
    .where(identityWhere(providerId, search.q))
    .orderBy(asc(users.username), asc(identities.id));
  return search.limit ? query.limit(search.limit) : query;
}

/** How many accounts match (for "N of M"). */
export async function countLaunchIdentities(db: Db, providerId: number, q?: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(identities).innerJoin(users, eq(users.id, identities.userId)).where(identityWhere(providerId, q));
  return Number(row.n);
}
export type LaunchIdentity = Awaited<ReturnType<typeof listLaunchIdentities>>[number];

/** One account a launch test can run as on the provider (same rules as the list), or undefined. */
export async function getLaunchIdentity(db: Db, providerId: number, identityId: number): Promise<LaunchIdentity | undefined> {
  if (!Number.isSafeInteger(identityId) || identityId > 2_147_483_647) return undefined;
  const [row] = await db
    .select({
      id: identities.id,
      username: users.username,
      projectName: identities.projectName,
      projectId: identities.projectId,
      networkId: identities.networkId,
    })
    .from(identities)
    .innerJoin(users, eq(users.id, identities.userId))
    .where(and(eq(identities.id, identityId), eq(identities.providerId, providerId), eq(identities.state, "active"), isNull(identities.endDate)))
    .limit(1);
  return row;
}

export type ImageSearch = PickerSearch & {
  /** Only images this project can use (public/community, its own, shared with it). */
  projectId?: string | null;
};

function imageWhere(providerId: number, search: ImageSearch): SQL | undefined {
  const term = search.q?.trim();
  const pid = search.projectId;
  return and(
    eq(machines.providerId, providerId),
    isNull(machines.endDate),
    term ? or(ilike(machines.name, `%${likeEscape(term)}%`), ilike(machines.imageId, `${likeEscape(term.toLowerCase())}%`)) : undefined,
    pid
      ? or(
          isNull(machines.visibility),
          inArray(machines.visibility, ["public", "community", ""]),
          eq(machines.ownerProjectId, pid),
          // Members count only while the image is shared: made private, its old list grants nothing.
          and(eq(machines.visibility, "shared"), sql`${pid} = any(${machines.members})`),
        )
      : undefined,
  );
}

/** Imported images (live ones), for the image picker (matching the search, up to `limit`). */
export async function listLaunchImages(db: Db, providerId: number, search: ImageSearch = {}) {
  const query = db
    .select({
      imageId: machines.imageId,
      name: machines.name,
      visibility: machines.visibility,
      ownerProjectId: machines.ownerProjectId,
      members: machines.members,
      minDiskGb: machines.minDiskGb,
      minRamMb: machines.minRamMb,
      sizeBytes: machines.sizeBytes,
    })
    .from(machines)
    .where(imageWhere(providerId, search))
    .orderBy(asc(machines.name), asc(machines.imageId));
  return search.limit ? query.limit(search.limit) : query;
}

/** How many images match (for "N of M"). */
export async function countLaunchImages(db: Db, providerId: number, search: ImageSearch = {}): Promise<number> {
  const [row] = await db.select({ n: count() }).from(machines).where(imageWhere(providerId, search));
  return Number(row.n);
}
export type LaunchImage = Awaited<ReturnType<typeof listLaunchImages>>[number];

export type SizeSearch = { q?: string; limit?: number; offset?: number; /** Only sizes an image with these minimums fits on. */ minRamMb?: number; minDiskGb?: number };

function sizeWhere(providerId: number, search: SizeSearch) {
  const q = search.q?.trim();
  return and(
    eq(sizes.providerId, providerId),
    isNull(sizes.endDate),
    q ? or(ilike(sizes.name, `%${likeEscape(q)}%`), eq(sizes.flavorId, q)) : undefined,
    search.minRamMb ? gte(sizes.ramMb, search.minRamMb) : undefined,
    // Disk 0: the server boots from a volume sized to the image, so any image fits.
    search.minDiskGb ? or(eq(sizes.diskGb, 0), gte(sizes.diskGb, search.minDiskGb)) : undefined,
  );
}

/** Imported sizes (live ones), smallest first; searched and capped like the other pickers. */
export async function listLaunchSizes(db: Db, providerId: number, search: SizeSearch = {}) {
  const query = db
    .select({
      flavorId: sizes.flavorId,
      name: sizes.name,
      vcpus: sizes.vcpus,
      ramMb: sizes.ramMb,
      diskGb: sizes.diskGb,
      isPublic: sizes.isPublic,
    })
    .from(sizes)
    .where(sizeWhere(providerId, search))
    .orderBy(asc(sizes.vcpus), asc(sizes.ramMb), asc(sizes.diskGb), asc(sizes.name))
    .$dynamic();
  return search.limit ? query.limit(search.limit).offset(search.offset ?? 0) : query;
}

export async function countLaunchSizes(db: Db, providerId: number, search: SizeSearch = {}): Promise<number> {
  const [row] = await db.select({ n: count() }).from(sizes).where(sizeWhere(providerId, search));
  return Number(row.n);
}
export type LaunchSize = Awaited<ReturnType<typeof listLaunchSizes>>[number];

export async function listProviderChoices(db: Db) {
  return db.select({ id: providers.id, name: providers.name, isActive: providers.isActive }).from(providers).orderBy(asc(providers.id));
}

export async function createLaunchRun(
  db: Db,
  input: { kind: LaunchKind; providerId: number; identityId: number; createdBy: number | null; choices: LaunchChoices },
): Promise<LaunchTest> {
  const [row] = await db
    .insert(launchTests)
    .values({ kind: input.kind, providerId: input.providerId, identityId: input.identityId, createdBy: input.createdBy, choices: input.choices, state: "queued", timeline: [], report: {} })
    .returning();
  return row;
}

export type RunPatch = Partial<
  Pick<LaunchTest, "state" | "result" | "error" | "serverId" | "floatingIp" | "finishedAt" | "durationMs" | "jobId" | "startedAt">
> & { timeline?: Step[]; report?: LaunchReport };

export async function updateLaunchRun(db: Db, id: number, patch: RunPatch): Promise<void> {
  await db.update(launchTests).set(patch).where(eq(launchTests.id, id));
}

export async function getLaunchRunRow(db: Db, id: number): Promise<LaunchTest | undefined> {
  if (!Number.isSafeInteger(id)) return undefined;
  const [row] = await db.select().from(launchTests).where(eq(launchTests.id, id)).limit(1);
  return row;
}

const owner = alias(users, "owner");

const runColumns = {
  id: launchTests.id,
  kind: launchTests.kind,
  providerId: launchTests.providerId,
  providerName: providers.name,
  identityId: launchTests.identityId,
  identityUsername: owner.username,
  createdBy: launchTests.createdBy,
  createdByUsername: users.username,
  choices: launchTests.choices,
  state: launchTests.state,
  result: launchTests.result,
  error: launchTests.error,
  serverId: launchTests.serverId,
  floatingIp: launchTests.floatingIp,
  startedAt: launchTests.startedAt,
  finishedAt: launchTests.finishedAt,
  durationMs: launchTests.durationMs,
  jobId: launchTests.jobId,
};

function runQuery(db: Db) {
  return db
    .select(runColumns)
    .from(launchTests)
    .innerJoin(providers, eq(providers.id, launchTests.providerId))
    .leftJoin(users, eq(users.id, launchTests.createdBy))
    .leftJoin(identities, eq(identities.id, launchTests.identityId))
    .leftJoin(owner, eq(owner.id, identities.userId));
}

export type RunFilter = { providerId?: number; state?: string; who?: string; kind?: string; page?: number; pageSize?: number };

/** Runs newest first, filtered by provider, state, kind and who started them (username, exact or prefix). */
export async function listLaunchRuns(db: Db, filter: RunFilter = {}) {
  const pageSize = Math.min(Math.max(filter.pageSize ?? 25, 1), 100);
  const page = Math.max(filter.page ?? 1, 1);
  const where: SQL[] = [];
  if (filter.providerId !== undefined) where.push(eq(launchTests.providerId, filter.providerId));
  if (filter.state) where.push(eq(launchTests.state, filter.state));
  if (filter.kind) where.push(eq(launchTests.kind, filter.kind));
  if (filter.who) where.push(ilike(users.username, `${filter.who.replace(/[%_\\]/g, "\\$&")}%`));
  const cond = where.length ? and(...where) : undefined;
  const [rows, [{ total }]] = await Promise.all([
    runQuery(db)
      .where(cond)
      .orderBy(desc(launchTests.startedAt), desc(launchTests.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db
      .select({ total: count() })
      .from(launchTests)
      .leftJoin(users, eq(users.id, launchTests.createdBy))
      .where(cond),
  ]);
  return { rows: rows.map(asRunSummary), total: Number(total), page, pageSize };
}

function asRunSummary<T extends { choices: unknown; kind: string; state: string }>(r: T) {
  return { ...r, choices: r.choices as LaunchChoices, kind: r.kind as LaunchKind, state: r.state as RunState };
}
export type RunSummary = Awaited<ReturnType<typeof listLaunchRuns>>["rows"][number];

/** One run with its timeline and report, and the names the page shows. */
export async function getLaunchRun(db: Db, id: number) {
  if (!Number.isSafeInteger(id)) return undefined;
  const [row] = await db
    .select({ ...runColumns, timeline: launchTests.timeline, report: launchTests.report })
    .from(launchTests)
    .innerJoin(providers, eq(providers.id, launchTests.providerId))
    .leftJoin(users, eq(users.id, launchTests.createdBy))
    .leftJoin(identities, eq(identities.id, launchTests.identityId))
    .leftJoin(owner, eq(owner.id, identities.userId))
    .where(eq(launchTests.id, id))
    .limit(1);
  if (!row) return undefined;
  return { ...asRunSummary(row), timeline: (row.timeline ?? []) as Step[], report: (row.report ?? {}) as LaunchReport };
}
export type RunDetail = NonNullable<Awaited<ReturnType<typeof getLaunchRun>>>;

/** Usernames that started runs, for the "who" filter's suggestions. */
export async function listRunStarters(db: Db, providerId?: number): Promise<string[]> {
  const rows = await db
    .selectDistinct({ username: users.username })
    .from(launchTests)
    .innerJoin(users, eq(users.id, launchTests.createdBy))
    .where(providerId === undefined ? undefined : eq(launchTests.providerId, providerId))
    .orderBy(asc(users.username));
  return rows.map((r) => r.username);
}

/** Whether the provider has any imported images and sizes (the launch form needs both). */
export async function importCounts(db: Db, providerId: number): Promise<{ images: number; sizes: number }> {
  const [[m], [s]] = await Promise.all([
    db.select({ n: count() }).from(machines).where(and(eq(machines.providerId, providerId), isNull(machines.endDate))),
    db.select({ n: count() }).from(sizes).where(and(eq(sizes.providerId, providerId), isNull(sizes.endDate))),
  ]);
  return { images: Number(m.n), sizes: Number(s.n) };
}
