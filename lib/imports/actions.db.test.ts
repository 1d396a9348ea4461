import { revalidatePath } from "next/cache";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { runAction } from "@/lib/actions/safe-action";
import { jobs } from "@/lib/db/schema";
import { insertProvider } from "@/lib/allocation/fixtures";
import { auditRows, depsAs } from "@/test/actions";
import { testDb, truncateAll } from "@/test/db";
import { runImports, saveImportSchedule } from "./actions";

// Outside a Next request there is no cache to revalidate; the calls are checked instead.
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

describe("import actions", async () => {
  const db = await testDb();
  beforeEach(async () => {
    await truncateAll(db);
    vi.mocked(revalidatePath).mockClear();
  });

  it("refuses a user without staff access, and queues nothing", async () => {
    const providerId = await insertProvider(db, "cloud-imp");
    const r = await runAction(await depsAs(db, { isStaff: false }), runImports, { providerId, resource: "all" });
    expect(r).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await db.select().from(jobs)).toHaveLength(0);
    expect(await auditRows(db)).toHaveLength(0);
  });

  it("says what is wrong with the input", async () => {
    const providerId = await insertProvider(db, "cloud-imp");
    const deps = await depsAs(db, { isStaff: true });
    const r = await runAction(deps, runImports, { providerId, resource: "snapshots" });
    expect(r).toMatchObject({ ok: false, error: { code: "invalid_input" } });
    expect(!r.ok && r.error.message).toMatch(/choose sizes, images, image members, instances, volumes or all/i);
    const s = await runAction(deps, saveImportSchedule, { providerId, resource: "sizes", every: "1", unit: "minutes" });
    expect(!s.ok && s.error.fieldErrors?.every).toEqual(["Import at most every 5 minutes."]);
    expect(await runAction(deps, runImports, { providerId: 999_999, resource: "sizes" })).toMatchObject({
      ok: false,
      error: { code: "not_found", message: "There is no provider 999999." },
    });
  });

  it("queues the imports, audits them and refreshes the pages; a second click follows the run", async () => {
    const providerId = await insertProvider(db, "cloud-imp");
    const deps = await depsAs(db, { isStaff: true });
    const form = new FormData();
    form.set("providerId", String(providerId));
    form.set("resource", "all");
    const r = await runAction(deps, runImports, form);
    expect(r.ok && r.data.message).toBe("Started.");
    expect(r.ok && r.data.jobs.map((j) => j.resource)).toEqual(["sizes", "machines", "members", "instances", "volumes"]);
    expect(await db.select().from(jobs)).toHaveLength(5);
    const [row] = await auditRows(db);
    expect(row).toMatchObject({ action: "import.run", actorUsername: deps.user!.username, targetType: "provider", targetId: String(providerId) });
    expect(row.details).toMatchObject({ resources: ["sizes", "machines", "members", "instances", "volumes"] });
    expect(revalidatePath).toHaveBeenCalledWith(`/providers/${providerId}/imports`);

    const again = await runAction(deps, runImports, { providerId, resource: "sizes" });
    expect(again.ok && again.data.message).toBe("Started. sizes was already importing: following that run instead.");
  });

  it("saves a schedule with its previous value in the audit row", async () => {
    const providerId = await insertProvider(db, "cloud-imp");
    const deps = await depsAs(db, { isStaff: true });
    const r = await runAction(deps, saveImportSchedule, { providerId, resource: "machines", every: "2", unit: "hours", enabled: "on" });
    expect(r).toMatchObject({ ok: true, data: { intervalSeconds: 7200, enabled: true } });
    const [row] = await auditRows(db);
    expect(row).toMatchObject({ action: "import.schedule.update", targetId: String(providerId) });
    expect(row.details).toMatchObject({ resource: "machines", intervalSeconds: 7200, enabled: true, previous: { enabled: expect.any(Boolean) } });
  });
});
