import "server-only";
import { getDb, type Db } from "./client";

export { getDb };
export type { Db };
