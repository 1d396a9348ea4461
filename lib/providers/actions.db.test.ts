import { revalidatePath } from "next/cache";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { runAction } from "@/lib/actions/safe-action";
import { insertProvider } from "@/lib/allocation/fixtures";
import { getProvider } from "@/lib/db/queries/providers";
import { auditRows, depsAs, redirectOf } from "@/test/actions";
import { testDb, truncateAll } from "@/test/db";
import { deleteProvider, setActive } from "./actions";

vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

describe("provider actions", async () => {
  const db = await testDb();
  beforeEach(async () => {
    await truncateAll(db);
    vi.mocked(revalidatePath).mockClear();
  });

  it("refuses a user without staff access", async () => {
    const id = await insertProvider(db, "cloud-p");
    const r = await runAction(await depsAs(db, { isStaff: false }), setActive, { providerId: id, active: "false" });
    expect(r).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect((await getProvider(db, id))?.isActive).toBe(true);
    expect(await auditRows(db)).toHaveLength(0);
  });

  it("says the link is broken for a bad id, and what to type to delete", async () => {
    const id = await insertProvider(db, "cloud-p");
    const deps = await depsAs(db, { isStaff: true });
    const bad = await runAction(deps, setActive, { providerId: "abc", active: "false" });
    expect(!bad.ok && bad.error.fieldErrors?.providerId).toEqual(["This provider link is broken."]);
    const wrong = await runAction(deps, deleteProvider, { providerId: id, confirmName: "cloud" });
    expect(wrong).toMatchObject({ ok: false, error: { code: "invalid_input", message: "Type the provider's name, cloud-p, to confirm." } });
    expect(await getProvider(db, id)).toBeTruthy();
  });

  it("deactivates once (audited), then reports no change", async () => {
    const id = await insertProvider(db, "cloud-p");
    const deps = await depsAs(db, { isStaff: true });
    const form = new FormData();
    form.set("providerId", String(id));
    form.set("active", "false");
    expect(await runAction(deps, setActive, form)).toEqual({ ok: true, data: { active: false } });
    expect(await runAction(deps, setActive, form)).toEqual({ ok: true, data: { active: false } });
    expect(await auditRows(db)).toMatchObject([
      { action: "provider.deactivate", targetType: "provider", targetId: String(id), actorUsername: deps.user!.username, details: { name: "cloud-p" } },
    ]);
    expect(revalidatePath).toHaveBeenCalledWith(`/providers/${id}`);
  });

  it("deletes with the typed name, audits it and redirects to the list", async () => {
    const id = await insertProvider(db, "cloud-p");
    const deps = await depsAs(db, { isStaff: true });
    const to = await redirectOf(runAction(deps, deleteProvider, { providerId: id, confirmName: " cloud-p " }));
    expect(to).toBe("/providers?deleted=cloud-p");
    expect(await getProvider(db, id)).toBeFalsy();
    expect(await auditRows(db)).toMatchObject([{ action: "provider.delete", targetId: String(id), details: { name: "cloud-p" } }]);
  });
});
