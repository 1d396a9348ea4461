import { getDb } from "./db/client";
import { migrateDb } from "./db/migrate";
import { ensureInitialAdmin } from "./db/seed";

let started: Promise<void> | undefined;

/** Migrates the database and seeds the first admin, once per server process. */
export function startup(): Promise<void> {
  started ??= (async () => {
    await migrateDb();
    await ensureInitialAdmin(await getDb());
  })();
  return started;
}
