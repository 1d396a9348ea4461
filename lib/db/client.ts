import fs from "node:fs";
import path from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { env } from "@/lib/env";
import * as schema from "./schema";

/** The one database type every query function takes, whichever driver is behind it. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

type Handle = { db: Db; close: () => Promise<void>; kind: "pglite" | "postgres" };

// Survives Next's dev-mode module reloads, so there is one connection (and, for PGlite,
// one process holding the data directory) per server process.
const globalForDb = globalThis as unknown as { __cloudportDb?: Promise<Handle> };

/** Where the embedded database and generated local secrets live. */
export function dataDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ env().CLOUDPORT_DATA_DIR ?? path.join(process.cwd(), ".data"));
}

async function open(url: string | undefined): Promise<Handle> {
  if (url) {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const sql = postgres(url, { max: env().DATABASE_POOL_SIZE, onnotice: () => {} });
    return { db: drizzle(sql, { schema }) as unknown as Db, close: () => sql.end(), kind: "postgres" };
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  // PGlite creates only the last folder of its path.
  fs.mkdirSync(dataDir(), { recursive: true });
  const client = new PGlite(path.join(dataDir(), "pglite"));
  await client.waitReady;
  return { db: drizzle(client, { schema }) as unknown as Db, close: () => client.close(), kind: "pglite" };
}

/** Opens (once per process) the database named by DATABASE_URL, or embedded PGlite under .data/. */
export function getHandle(): Promise<Handle> {
  globalForDb.__cloudportDb ??= open(env().DATABASE_URL);
  return globalForDb.__cloudportDb;
}

export async function getDb(): Promise<Db> {
  return (await getHandle()).db;
}

export async function closeDb(): Promise<void> {
  const handle = globalForDb.__cloudportDb;
  globalForDb.__cloudportDb = undefined;
  if (handle) await (await handle).close();
}
