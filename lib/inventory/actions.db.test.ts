import { eq } from "drizzle-orm";
import { revalidatePath } from "next/cache";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { runAction } from "@/lib/actions/safe-action";
import { providers } from "@/lib/db/schema";
import { auditRows, depsAs } from "@/test/actions";
import { testDb, truncateAll } from "@/test/db";
import { updateGroupVars } from "./actions";
import { readGroupVars } from "./group-vars";

vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

describe("inventory actions", async () => {
  const db = await testDb();
  beforeEach(async () => {
    await truncateAll(db);
    vi.mocked(revalidatePath).mockClear();
  });

  async function provider() {
    const [p] = await db
      .insert(providers)
      .values({ name: "inv-lab", authUrl: "http://x:5000/v3", cloudConfig: { group_vars: { TIMEZONE: "UTC", OLD: "1" } } })
      .returning();
    return p.id;
  }
  const stored = async (id: number) => readGroupVars((await db.select().from(providers).where(eq(providers.id, id)))[0].cloudConfig);

  it("refuses a user without staff access, and changes nothing", async () => {
    const id = await provider();
    const r = await runAction(await depsAs(db, { isStaff: false }), updateGroupVars, { providerId: id, key: ["A"], value: ["1"] });
    expect(r).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await stored(id)).toEqual({ TIMEZONE: "UTC", OLD: "1" });
  });

  it("says what is wrong with a key", async () => {
    const id = await provider();
    const r = await runAction(await depsAs(db, { isStaff: true }), updateGroupVars, { providerId: id, key: ["not a key!"], value: ["1"] });
    expect(r).toMatchObject({ ok: false, error: { code: "invalid_input" } });
    expect(!r.ok && r.error.fieldErrors?.["key.0"]).toEqual([
      "not a key!: use UPPER_SNAKE_CASE (A–Z, digits, _; starting with a letter), e.g. NTP_SERVERS.",
    ]);
    expect(await stored(id)).toEqual({ TIMEZONE: "UTC", OLD: "1" });
  });

  it("saves the variables, audits the keys (not the values) and refreshes the page", async () => {
    const id = await provider();
    const deps = await depsAs(db, { isStaff: true });
    const form = new FormData();
    form.set("providerId", String(id));
    for (const [k, v] of [
      ["TIMEZONE", "America/Phoenix"],
      ["NTP_SERVERS", "ntp.example.org"],
    ]) {
      form.append("key", k);
      form.append("value", v);
    }
    const r = await runAction(deps, updateGroupVars, form);
    expect(r).toMatchObject({ ok: true, data: { count: 2 } });
    expect(await stored(id)).toEqual({ TIMEZONE: "America/Phoenix", NTP_SERVERS: "ntp.example.org" });
    const [row] = await auditRows(db);
    expect(row).toMatchObject({ action: "inventory.group_vars.update", targetId: String(id), details: { keys: ["NTP_SERVERS", "TIMEZONE"] } });
    expect(JSON.stringify(row.details)).not.toContain("America/Phoenix");
    expect(revalidatePath).toHaveBeenCalledWith(`/providers/${id}/inventory`);
  });
});
