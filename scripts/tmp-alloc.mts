import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "../lib/db/schema";
import { getUsagePage } from "../lib/allocation/service";
import { getStrategy } from "../lib/allocation/queries";
const sql = postgres("postgres://postgres@127.0.0.1:54329/cloudport_bench_pages", { max: 2, debug: (_c, q) => { (globalThis as any).q = q; } });
const db = drizzle(sql, { schema }) as any;
const row = await getStrategy(db, 1);
const { strategyOf } = await import("../lib/allocation/service");
const strat = strategyOf(row!);
for (const search of [undefined, "bench-user-05"]) {
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await getUsagePage(db, 1, strat, { search, page: 1, pageSize: 25 });
    console.log(search ?? "-", (performance.now() - t).toFixed(1));
  }
}
await sql.end();
