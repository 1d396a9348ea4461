import { describe, expect, it } from "vitest";
import { driftCheckSummary } from "./text";

describe("driftCheckSummary: the check job's progress text and the drift page's last check", () => {
  it.each([
    [{ accounts: 1, open: 1, calls: 1 }, "1 account, 1 open difference (1 API call)"],
    [{ accounts: 0, open: 0, calls: 2 }, "0 accounts, 0 open differences (2 API calls)"],
    [{ accounts: 2_500, open: 3, calls: 40 }, "2,500 accounts, 3 open differences (40 API calls)"],
  ])("%o → %s", (r, text) => expect(driftCheckSummary(r)).toBe(text));
});
