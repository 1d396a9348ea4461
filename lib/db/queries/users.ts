import { and, asc, count, desc, eq, isNull, sql, type SQL } from "drizzle-orm";
import type { Db } from "../client";
import { identities, providers, users, type NewUser, type User } from "../schema";

/** Finds a user by username (case-insensitive, as people type it). */
export async function getUserByUsername(db: Db, username: string): Promise<User | undefined> {
  const [row] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.username}) = lower(${username})`)
    .limit(1);
  return row;
}

export async function getUserById(db: Db, id: number): Promise<User | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row;
}

export async function getUserByEmail(db: Db, email: string): Promise<User | undefined> {
  const [row] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = lower(${email})`)
    .limit(1);
  return row;
}

export async function createUser(db: Db, values: NewUser): Promise<User> {
  const [row] = await db.insert(users).values(values).returning();
  return row;
}

export async function updateUser(db: Db, id: number, values: Partial<NewUser>): Promise<User | undefined> {
  const [row] = await db.update(users).set(values).where(eq(users.id, id)).returning();
  return row;
}

export async function countActiveSuperusers(db: Db): Promise<number> {
  const [{ n }] = await db
    .select({ n: count() })
    .from(users)
    .where(and(eq(users.isSuperuser, true), eq(users.isActive, true)));
  return Number(n);
}

export type UserListFilter = {
  /** Case-insensitive substring of username, display name or email. */
  q?: string;
  role?: "staff" | "superuser" | "none";
  status?: "active" | "inactive";
  page?: number;
  pageSize?: number;
};

export type UserListRow = Pick<
  User,
  "id" | "username" | "displayName" | "email" | "isStaff" | "isSuperuser" | "isActive" | "joinedAt" | "lastLogin" | "oidcSubject"
> & {
  /** Cloud accounts that are not end-dated (identities.end_date is null). */
  liveIdentities: number;
};

export type UserListPage = { rows: UserListRow[]; total: number; page: number; pageSize: number };

const escapeLike = (s: string) => s.replace(/[%_\\]/g, "\\$&");

function userListWhere(filter: UserListFilter): SQL | undefined {
  const where: SQL[] = [];
  const q = filter.q?.trim();
  if (q) {
    // search_text is lower(username, display name, email); lowering the pattern in SQL too keeps
    // both sides on the same case mapping.
    where.push(sql`${users.searchText} like lower(${`%${escapeLike(q)}%`})`);
  }
  if (filter.role === "staff") where.push(eq(users.isStaff, true));
  else if (filter.role === "superuser") where.push(eq(users.isSuperuser, true));
  else if (filter.role === "none") where.push(and(eq(users.isStaff, false), eq(users.isSuperuser, false))!);
  if (filter.status === "active") where.push(eq(users.isActive, true));
  else if (filter.status === "inactive") where.push(eq(users.isActive, false));
  return where.length ? and(...where) : undefined;
}

/**
 * Lists portal users a page at a time, ordered by username (exact and prefix matches of a search
 * first), with each user's number of live cloud accounts, plus the total matching.
 *
 * One query for the page: the page of users is cut in a subquery and only its rows get their
 * accounts counted, so page 200 does not count accounts for the 4,975 users it skips.
 */
export async function listUsers(db: Db, filter: UserListFilter = {}): Promise<UserListPage> {
  const pageSize = Math.min(Math.max(Math.trunc(filter.pageSize ?? 25), 1), 200);
  const page = Math.max(Math.trunc(filter.page ?? 1), 1);
  const cond = userListWhere(filter);
  const q = filter.q?.trim();
  // lower(username) is unique (users_username_lower_key), so it orders completely on its own
  // and, without a search, page 1 is an index scan that stops after pageSize rows. A search
  // ranks the exact username first, then usernames starting with it, and orders by search_text,
  // which starts with lower(username) and a separator: the same order, without recomputing
  // lower() for every match (under a UTF-8 locale that is most of the cost).
  const byName = q ? sql<string>`${users.searchText}` : sql<string>`lower(${users.username})`;
  const prefix = q ? escapeLike(q) : "";
  const rank = q
    ? sql<number>`case when ${users.searchText} like lower(${`${prefix}\u001f%`}) then 0 when ${users.searchText} like lower(${`${prefix}%`}) then 1 else 2 end`
    : sql<number>`0`;

  const pageRows = db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      email: users.email,
      isStaff: users.isStaff,
      isSuperuser: users.isSuperuser,
      isActive: users.isActive,
      joinedAt: users.joinedAt,
      lastLogin: users.lastLogin,
      oidcSubject: users.oidcSubject,
      rank: rank.as("rank"),
      sortName: byName.as("sort_name"),
    })
    .from(users)
    .where(cond)
    .orderBy(...(q ? [asc(rank), asc(byName)] : [asc(byName)]))
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .as("p");

  const [rows, [{ total }]] = await Promise.all([
    db
      .select({
        id: pageRows.id,
        username: pageRows.username,
        displayName: pageRows.displayName,
        email: pageRows.email,
        isStaff: pageRows.isStaff,
        isSuperuser: pageRows.isSuperuser,
        isActive: pageRows.isActive,
        joinedAt: pageRows.joinedAt,
        lastLogin: pageRows.lastLogin,
        oidcSubject: pageRows.oidcSubject,
        // Spelled out with aliases: drizzle leaves columns unqualified here, and "id" inside the
        // subquery would otherwise mean identities.id.
        liveIdentities: sql<number>`(select count(*)::int from identities i where i.user_id = "p"."id" and i.end_date is null)`,
      })
      .from(pageRows)
      .orderBy(asc(pageRows.rank), asc(pageRows.sortName)),
    db.select({ total: count() }).from(users).where(cond),
  ]);
  return { rows: rows.map((r) => ({ ...r, liveIdentities: Number(r.liveIdentities) })), total: Number(total), page, pageSize };
}

export type UserIdentityRow = {
  id: number;
  providerId: number;
  providerName: string | null;
  projectName: string;
  projectId: string | null;
  openstackUserId: string | null;
  networkId: string | null;
  subnetId: string | null;
  subnetCidr: string | null;
  routerId: string | null;
  state: (typeof identities.$inferSelect)["state"];
  lastStep: string | null;
  lastError: string | null;
  createdAt: Date;
  endDate: Date | null;
};

/** A user's accounts on every provider, live ones first, then removed ones newest first. */
export async function listUserIdentities(db: Db, userId: number): Promise<UserIdentityRow[]> {
  return db
    .select({
      id: identities.id,
      providerId: identities.providerId,
      providerName: providers.name,
      projectName: identities.projectName,
      projectId: identities.projectId,
      openstackUserId: identities.openstackUserId,
      networkId: identities.networkId,
      subnetId: identities.subnetId,
      subnetCidr: identities.subnetCidr,
      routerId: identities.routerId,
      state: identities.state,
      lastStep: identities.lastStep,
      lastError: identities.lastError,
      createdAt: identities.createdAt,
      endDate: identities.endDate,
    })
    .from(identities)
    .leftJoin(providers, eq(providers.id, identities.providerId))
    .where(eq(identities.userId, userId))
    .orderBy(sql`${identities.endDate} is not null`, desc(identities.endDate), asc(providers.name), asc(identities.id));
}

/** Live cloud accounts of one user. */
export async function countLiveIdentitiesOfUser(db: Db, userId: number): Promise<number> {
  const [{ n }] = await db
    .select({ n: count() })
    .from(identities)
    .where(and(eq(identities.userId, userId), isNull(identities.endDate)));
  return Number(n);
}
