/** The highest page a URL may ask for: far past any table, and an offset Postgres can parse. */
export const MAX_PAGE = 1_000_000;

/** A page number from a URL: 1 for anything that is not one, at most MAX_PAGE. */
export function pageParam(raw: string | undefined | null): number {
  const n = Number.parseInt(raw ?? "1", 10);
  return Number.isFinite(n) ? Math.min(MAX_PAGE, Math.max(1, n)) : 1;
}

/** The largest row id (ids are PostgreSQL integers): a larger number names nothing. */
export const MAX_ROW_ID = 2_147_483_647;
