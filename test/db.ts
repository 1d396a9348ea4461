import { sql } from "drizzle-orm";
import { getDb, type Db } from "@/lib/db/client";
import { createUser } from "@/lib/db/queries/users";
import { hashPassword } from "@/lib/auth/password";

/** The test database (DATABASE_URL from the vitest db project). */
export function testDb(): Promise<Db> {
  if (!process.env.DATABASE_URL) throw new Error("DATABASE_URL is not set; run these through `vitest --project db`.");
  return getDb();
}

/** Empties every table of the public schema, keeping the migrations table. */
export async function truncateAll(db: Db): Promise<void> {
  const rows = (await db.execute(
    sql`select tablename from pg_tables where schemaname = 'public'`,
  )) as unknown as Array<{ tablename: string }>;
  const names = rows.map((r) => `"${r.tablename}"`).join(", ");
  if (names) await db.execute(sql.raw(`truncate ${names} restart identity cascade`));
}

export async function makeUser(
  db: Db,
  overrides: Partial<Parameters<typeof createUser>[1]> & { password?: string } = {},
) {
  const { password, ...rest } = overrides;
  return createUser(db, {
    username: `user${Math.random().toString(36).slice(2, 8)}`,
    passwordHash: password ? await hashPassword(password) : null,
    ...rest,
  });
}
