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

/**
 * Creates the data directory owner-only (0700): it holds the embedded database, generated keys
 * and the initial admin password. A directory of ours that is open to others is tightened.
 */
export function ensureDataDir(): string {
  const dir = dataDir();
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = fs.statSync(dir);
  if ((st.mode & 0o077) !== 0 && typeof process.getuid === "function" && st.uid === process.getuid()) fs.chmodSync(dir, 0o700);
  return dir;
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
  ensureDataDir();
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
