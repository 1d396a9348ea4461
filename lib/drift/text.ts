import { plural } from "@/lib/domain/format";

// The words a drift check's result is told in (the job's progress and the drift page), pure.

/** "2 accounts, 1 open difference (14 API calls)". */
export function driftCheckSummary(r: { accounts: number; open: number; calls: number }): string {
  return `${plural(r.accounts, "account")}, ${plural(r.open, "open difference")} (${plural(r.calls, "API call")})`;
}
