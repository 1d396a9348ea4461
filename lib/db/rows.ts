import { sql, type SQL } from "drizzle-orm";
import type { Db } from "./client";

/** The rows of a `db.execute` result: an array on postgres.js, `{ rows }` on PGlite. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/**
 * Runs one statement with JIT compilation off (PostgreSQL turns it on by the planner's cost;
 * for the aggregates of the console's pages compiling cost more than running — 40 ms of 130).
 */
export async function executeWithoutJit(db: Db, query: SQL): Promise<unknown> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('jit', 'off', true)`);
    return tx.execute(query);
  });
}
