import { and, count, eq, gte, sql } from "drizzle-orm";
import type { Db } from "../client";
import { loginAttempts, users, type NewUser, type User } from "../schema";

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

export async function recordLoginAttempt(db: Db, username: string, ip: string, succeeded: boolean): Promise<void> {
  await db.insert(loginAttempts).values({ username: username.toLowerCase(), ip, succeeded });
}

/** Failed attempts since `since`, per username and per IP. */
export async function countRecentFailures(db: Db, username: string, ip: string, since: Date) {
  const [[byUser], [byIp]] = await Promise.all([
    db
      .select({ n: count() })
      .from(loginAttempts)
      .where(
        and(
          eq(loginAttempts.username, username.toLowerCase()),
          eq(loginAttempts.succeeded, false),
          gte(loginAttempts.at, since),
        ),
      ),
    db
      .select({ n: count() })
      .from(loginAttempts)
      .where(and(eq(loginAttempts.ip, ip), eq(loginAttempts.succeeded, false), gte(loginAttempts.at, since))),
  ]);
  return { byUser: Number(byUser.n), byIp: Number(byIp.n) };
}
