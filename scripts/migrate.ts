// Applies drizzle/ migrations to DATABASE_URL (or the embedded PGlite) and seeds the first admin.
import { closeDb, getDb } from "../lib/db/client";
import { migrateDb } from "../lib/db/migrate";
import { ensureInitialAdmin } from "../lib/db/seed";

async function main() {
  await migrateDb();
  if (!process.argv.includes("--no-seed")) await ensureInitialAdmin(await getDb());
  await closeDb();
  console.log(`[cloudport] migrations applied to ${process.env.DATABASE_URL ? "DATABASE_URL" : "embedded PGlite (.data/pglite)"}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
