import path from "node:path";
import { getHandle, type Db } from "./client";

/** Applies drizzle/ migrations with the migrator that matches the open driver. */
export async function migrateDb(): Promise<void> {
  const handle = await getHandle();
  const migrationsFolder = path.join(process.cwd(), "drizzle");
  if (handle.kind === "pglite") {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    await migrate(handle.db as Parameters<typeof migrate>[0], { migrationsFolder });
  } else {
    const { migrate } = await import("drizzle-orm/postgres-js/migrator");
    await migrate(handle.db as Parameters<typeof migrate>[0], { migrationsFolder });
  }
}

export type { Db };
