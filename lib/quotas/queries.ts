import { and, asc, count, eq, ilike, isNull, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { identities, quotaTiers, users } from "@/lib/db/schema";

export type QuotaAccountRow = {
  id: number;
  username: string;
  projectName: string;
  projectId: string | null;
  state: string;
  tierName: string | null;
  hasCustom: boolean;
  quotaAppliedAt: Date | null;
};

/** One page of the provider's live accounts with their tier (server-side search and paging). */
export async function quotaAccountsPage(
  db: Db,
  providerId: number,
  opts: { q?: string; page: number; pageSize: number },
): Promise<{ rows: QuotaAccountRow[]; total: number }> {
  const where = and(
    eq(identities.providerId, providerId),
    isNull(identities.endDate),
    opts.q ? ilike(users.username, `%${opts.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : undefined,
  );
  const [rows, [{ n }]] = await Promise.all([
    db
      .select({
        id: identities.id,
        username: users.username,
        projectName: identities.projectName,
        projectId: identities.projectId,
        state: identities.state,
        tierName: quotaTiers.name,
        hasCustom: sql<boolean>`${identities.quotaCustom} is not null`,
        quotaAppliedAt: identities.quotaAppliedAt,
      })
      .from(identities)
      .innerJoin(users, eq(users.id, identities.userId))
      .leftJoin(quotaTiers, eq(quotaTiers.id, identities.quotaTierId))
      .where(where)
      .orderBy(asc(sql`lower(${users.username})`))
      .limit(opts.pageSize)
      .offset((opts.page - 1) * opts.pageSize),
    db.select({ n: count() }).from(identities).innerJoin(users, eq(users.id, identities.userId)).where(where),
  ]);
  return { rows, total: n };
}
