import path from "node:path";
import postgres from "postgres";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";

// Migrates the test database once per run; tests truncate what they touch.
export default async function setup() {
  const url = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:54329/cloudport_test";
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`select 1`;
  } catch (error) {
    throw new Error(
      `The database tests need PostgreSQL at ${url} (start it with: bash scripts/pg.sh start). ${(error as Error).message}`,
    );
  }
  // A throw-away database: start from nothing, so the run proves the migrations apply cleanly.
  await sql.unsafe("drop schema if exists drizzle cascade; drop schema if exists public cascade; create schema public;");
  await migrate(drizzle(sql), { migrationsFolder: path.join(__dirname, "..", "drizzle") });
  await sql.end();
}
