import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import type { Db } from "@/lib/db/client";
import * as schema from "@/lib/db/schema";

/**
 * A throw-away in-memory PostgreSQL (PGlite) with the migrations applied: integration tests and
 * the benchmark get a database of their own without touching anyone's server.
 */
export async function openMemoryDb(): Promise<{ db: Db; close: () => Promise<void> }> {
  const client = new PGlite();
  await client.waitReady;
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder: path.join(process.cwd(), "drizzle") });
  return { db: db as unknown as Db, close: () => client.close() };
}
