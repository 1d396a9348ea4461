import { and, asc, count, desc, eq, ilike, inArray, isNotNull, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { identities, jobs, providers, users, type Identity, type User } from "@/lib/db/schema";
import { isValidUsername } from "./usernames";

export const ACCOUNT_STATES = ["pending", "provisioning", "active", "failed", "removing", "removed"] as const;
export type AccountState = (typeof ACCOUNT_STATES)[number];
/** "live" is every identity that is not end-dated. */
export type AccountStateFilter = AccountState | "live" | "all";

const escapeLike = (s: string) => s.replace(/[%_\\]/g, "\\$&");

function accountFilter(providerId: number, filter: { q?: string; state?: AccountStateFilter }): SQL {
  const conds: SQL[] = [eq(identities.providerId, providerId)];
  const state = filter.state ?? "live";
  if (state === "live") conds.push(isNull(identities.endDate));
  else if (state !== "all") conds.push(eq(identities.state, state));
  const q = filter.q?.trim();
  if (q) {
    const like = `%${escapeLike(q)}%`;
    conds.push(or(ilike(users.username, like), ilike(identities.projectName, like), eq(identities.projectId, q))!);
  }
  return and(...conds)!;
}

export type AccountRow = Identity & { username: string };

/** One page of a provider's accounts (identities) with their usernames, searched and filtered on the server. */
export async function listProviderAccounts(
  db: Db,
  providerId: number,
  filter: { q?: string; state?: AccountStateFilter; page?: number; pageSize?: number } = {},
): Promise<{ rows: AccountRow[]; total: number; page: number; pageSize: number }> {
  const pageSize = Math.min(Math.max(filter.pageSize ?? 50, 1), 200);
  const page = Math.max(filter.page ?? 1, 1);
  const where = accountFilter(providerId, filter);
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({ identity: identities, username: users.username })
      .from(identities)
      .innerJoin(users, eq(users.id, identities.userId))
      .where(where)
      .orderBy(asc(sql`lower(${users.username})`), desc(identities.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ total: count() }).from(identities).innerJoin(users, eq(users.id, identities.userId)).where(where),
  ]);
  return { rows: rows.map((r) => ({ ...r.identity, username: r.username })), total: Number(total), page, pageSize };
}

/** Every account id matching a search (for "select all matching"), capped. */
export async function accountIdsMatching(
  db: Db,
  providerId: number,
  filter: { q?: string; state?: AccountStateFilter },
  limit = 10_000,
): Promise<Array<{ id: number; username: string }>> {
  return db
    .select({ id: identities.id, username: users.username })
    .from(identities)
    .innerJoin(users, eq(users.id, identities.userId))
    .where(accountFilter(providerId, filter))
    .orderBy(asc(sql`lower(${users.username})`))
    .limit(limit);
}

function candidateFilter(providerId: number, q?: string): SQL {
  const live = db_liveIdentityExists(providerId);
  const conds: SQL[] = [sql`not exists (${live})`];
  const term = q?.trim();
  if (term) {
    const like = `%${escapeLike(term)}%`;
    conds.push(or(ilike(users.username, like), ilike(users.email, like), ilike(users.displayName, like))!);
  }
  return and(...conds)!;
}

// A correlated subquery: portal users with no live identity on the provider.
function db_liveIdentityExists(providerId: number): SQL {
  return sql`select 1 from ${identities} where ${identities.userId} = ${users.id} and ${identities.providerId} = ${providerId} and ${identities.endDate} is null`;
}

export type CandidateRow = Pick<User, "id" | "username" | "email" | "displayName" | "isActive">;

/** Portal users without a live account on the provider, one page at a time. */
export async function listCandidateUsers(
  db: Db,
  providerId: number,
  filter: { q?: string; page?: number; pageSize?: number } = {},
): Promise<{ rows: CandidateRow[]; total: number; page: number; pageSize: number }> {
  const pageSize = Math.min(Math.max(filter.pageSize ?? 50, 1), 200);
  const page = Math.max(filter.page ?? 1, 1);
  const where = candidateFilter(providerId, filter.q);
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({ id: users.id, username: users.username, email: users.email, displayName: users.displayName, isActive: users.isActive })
      .from(users)
      .where(where)
      .orderBy(asc(sql`lower(${users.username})`))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ total: count() }).from(users).where(where),
  ]);
  return { rows, total: Number(total), page, pageSize };
}

/** Usernames of every candidate matching a search (for "provision all matching"), capped. */
export async function candidateUsernamesMatching(db: Db, providerId: number, q: string | undefined, limit = 10_000): Promise<string[]> {
  const rows = await db
    .select({ username: users.username })
    .from(users)
    .where(candidateFilter(providerId, q))
    .orderBy(asc(sql`lower(${users.username})`))
    .limit(limit);
  return rows.map((r) => r.username);
}

/**
 * The portal users with these usernames (matched case-insensitively); missing ones are created
 * as ordinary portal users (not staff, no password), as add_new_accounts.py did.
 */
export async function ensurePortalUsers(db: Db, usernames: string[]): Promise<{ users: User[]; created: string[] }> {
  const bad = usernames.filter((u) => !isValidUsername(u));
  if (bad.length) throw new Error(`Not valid usernames: ${bad.join(", ")}`);
  if (usernames.length === 0) return { users: [], created: [] };
  const lower = usernames.map((u) => u.toLowerCase());
  const found = async () =>
    db
      .select()
      .from(users)
      .where(inArray(sql`lower(${users.username})`, lower));
  let existing = await found();
  const have = new Set(existing.map((u) => u.username.toLowerCase()));
  const missing = usernames.filter((u) => !have.has(u.toLowerCase()));
  let created: string[] = [];
  if (missing.length) {
    const inserted = await db
      .insert(users)
      .values(missing.map((username) => ({ username, isStaff: false, isSuperuser: false })))
      .onConflictDoNothing()
      .returning({ username: users.username });
    created = inserted.map((r) => r.username);
    existing = await found();
  }
  const byName = new Map(existing.map((u) => [u.username.toLowerCase(), u]));
  return { users: lower.map((l) => byName.get(l)).filter((u): u is User => Boolean(u)), created };
}

/** The live identity of a user on a provider, created (pending) when there is none. */
export async function getOrCreateIdentity(db: Db, user: Pick<User, "id" | "username">, providerId: number): Promise<Identity> {
  const live = () =>
    db
      .select()
      .from(identities)
      .where(and(eq(identities.userId, user.id), eq(identities.providerId, providerId), isNull(identities.endDate)))
      .limit(1);
  const [existing] = await live();
  if (existing) return existing;
  // The partial unique index keeps concurrent creators to one live row.
  await db.insert(identities).values({ userId: user.id, providerId, projectName: user.username }).onConflictDoNothing();
  const [row] = await live();
  return row;
}

export async function getIdentity(db: Db, id: number): Promise<Identity | undefined> {
  const [row] = await db.select().from(identities).where(eq(identities.id, id));
  return row;
}

/** The identity with the username of its portal user. */
export async function getAccount(db: Db, providerId: number, identityId: number): Promise<AccountRow | undefined> {
  const [row] = await db
    .select({ identity: identities, username: users.username })
    .from(identities)
    .innerJoin(users, eq(users.id, identities.userId))
    .where(and(eq(identities.id, identityId), eq(identities.providerId, providerId)));
  return row ? { ...row.identity, username: row.username } : undefined;
}

/** The live (not end-dated) accounts of the provider among these identity ids, in one query. */
export async function liveAccountsByIds(db: Db, providerId: number, identityIds: number[]): Promise<Array<{ id: number; username: string }>> {
  if (identityIds.length === 0) return [];
  return db
    .select({ id: identities.id, username: users.username })
    .from(identities)
    .innerJoin(users, eq(users.id, identities.userId))
    .where(and(eq(identities.providerId, providerId), inArray(identities.id, [...new Set(identityIds)]), isNull(identities.endDate)));
}

export type IdentityPatch = Partial<
  Pick<
    Identity,
    | "projectId"
    | "openstackUserId"
    | "networkId"
    | "subnetId"
    | "subnetCidr"
    | "routerId"
    | "routerOwned"
    | "grantedRoles"
    | "state"
    | "lastStep"
    | "lastError"
    | "endDate"
  >
>;

export async function updateIdentity(db: Db, id: number, patch: IdentityPatch): Promise<Identity> {
  const [row] = await db.update(identities).set(patch).where(eq(identities.id, id)).returning();
  return row;
}

/**
 * Picks and records a subnet CIDR for an identity while holding the provider's row lock, so
 * two jobs (or two app instances) never hand out the same /24: CIDRs recorded on the
 * provider's other live identities count as taken, besides what `choose` knows of the cloud.
 */
export async function reserveSubnetCidr(
  db: Db,
  providerId: number,
  identityId: number,
  choose: (recorded: string[]) => string | null,
): Promise<string | null> {
  return db.transaction(async (tx) => {
    await tx.select({ id: providers.id }).from(providers).where(eq(providers.id, providerId)).for("update");
    const rows = await tx
      .select({ cidr: identities.subnetCidr })
      .from(identities)
      .where(
        and(
          eq(identities.providerId, providerId),
          isNull(identities.endDate),
          ne(identities.id, identityId),
          isNotNull(identities.subnetCidr),
        ),
      );
    const cidr = choose(rows.map((r) => r.cidr!));
    if (cidr) await tx.update(identities).set({ subnetCidr: cidr }).where(eq(identities.id, identityId));
    return cidr;
  });
}

/** Live identities per router id on a provider (how many accounts each public router serves). */
export async function countIdentitiesByRouter(db: Db, providerId: number): Promise<Map<string, number>> {
  const rows = await db
    .select({ routerId: identities.routerId, n: count() })
    .from(identities)
    .where(and(eq(identities.providerId, providerId), isNull(identities.endDate), isNotNull(identities.routerId)))
    .groupBy(identities.routerId);
  return new Map(rows.map((r) => [r.routerId!, Number(r.n)]));
}

/** The provider's account jobs: running or queued ones first, then the most recent. */
export async function listAccountJobs(db: Db, providerId: number, kinds: string[], limit = 5) {
  return db
    .select()
    .from(jobs)
    .where(and(eq(jobs.providerId, providerId), inArray(jobs.kind, kinds)))
    .orderBy(sql`case when ${jobs.state} in ('queued', 'running') then 0 else 1 end`, desc(jobs.createdAt))
    .limit(limit);
}

/** Counts per state of a provider's identities (end-dated ones under "removed"). */
export async function accountStateCounts(db: Db, providerId: number): Promise<Record<AccountState, number>> {
  const rows = await db
    .select({ state: identities.state, n: count() })
    .from(identities)
    .where(eq(identities.providerId, providerId))
    .groupBy(identities.state);
  const out = Object.fromEntries(ACCOUNT_STATES.map((s) => [s, 0])) as Record<AccountState, number>;
  for (const r of rows) out[r.state] = Number(r.n);
  return out;
}
