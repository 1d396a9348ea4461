import { getDb } from "./db/client";
import { migrateDb } from "./db/migrate";
import { ensureInitialAdmin } from "./db/seed";
import { productionSecretsProblem } from "./secrets";

let started: Promise<void> | undefined;

/** Refuses a production start without its keys, migrates the database and seeds the first admin, once per server process. */
export function startup(): Promise<void> {
  started ??= (async () => {
    // Before the database is opened, whichever it is.
    const problem = productionSecretsProblem();
    if (problem) throw new Error(problem);
    await migrateDb();
    await ensureInitialAdmin(await getDb());
  })();
  return started;
}
