import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type { SessionUser } from "@/lib/auth/dal";
import { listAuditEntries } from "@/lib/db/queries/audit";
import { makeUser, testDb, truncateAll } from "@/test/db";
import { ActionError } from "./errors";
import { runAction, type ActionDefinition } from "./safe-action";

describe("runAction", async () => {
  const db = await testDb();
  beforeEach(() => truncateAll(db));

  const rename: ActionDefinition<z.ZodObject<{ name: z.ZodString }>, { name: string }> = {
    name: "rename",
    permission: "providers.manage",
    input: z.object({ name: z.string().min(3, "Use at least 3 characters.") }),
    async handler(input, ctx) {
      if (input.name === "taken") throw new ActionError("conflict", "A provider named taken exists already.");
      if (input.name === "boom") throw new Error("password=hunter2 leaked in a driver message");
      await ctx.audit({ action: "provider.rename", targetType: "provider", targetId: 4, details: { name: input.name } });
      return { name: input.name };
    },
  };

  async function as(flags: Partial<SessionUser> | null) {
    const user = flags ? await makeUser(db, { username: "op", ...flags }) : null;
    return { getUser: async () => user as SessionUser | null, getDb: async () => db, getIp: async () => "10.1.2.3" };
  }

  it("answers an id past Postgres's integer range as not found, before the handler or the database", async () => {
    const deps = await as({ isStaff: true });
    const handler = vi.fn(async () => null);
    const def: ActionDefinition<z.ZodType, null> = {
      name: "runImports",
      permission: "providers.manage",
      input: z.object({ providerId: z.coerce.number().int().positive(), rows: z.array(z.object({ identityIds: z.array(z.number()) })).optional() }),
      handler,
    };
    const form = new FormData();
    form.set("providerId", "2147483648");
    expect(await runAction(deps, def, form)).toMatchObject({ ok: false, error: { code: "not_found", message: expect.stringContaining("reload the page") } });
    expect(await runAction(deps, def, { providerId: 1, rows: [{ identityIds: [3, 9_999_999_999] }] })).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(handler).not.toHaveBeenCalled();
    expect(await runAction(deps, def, { providerId: 2_147_483_647 })).toEqual({ ok: true, data: null });
  });

  it("refuses without a session", async () => {
    const r = await runAction(await as(null), rename, { name: "ok-name" });
    expect(r).toMatchObject({ ok: false, error: { code: "unauthenticated" } });
  });

  it("refuses a signed-in user who is not staff, and runs nothing", async () => {
    const r = await runAction(await as({ isStaff: false }), rename, { name: "ok-name" });
    expect(r).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(!r.ok && r.error.message).toMatch(/staff access/);
    expect((await listAuditEntries(db)).total).toBe(0);
  });

  it("says what is wrong with the form in words, never by field key", async () => {
    const deps = await as({ isStaff: true });
    const def: ActionDefinition<z.ZodObject<{ accountSecret: z.ZodString }>, null> = {
      name: "setSecret",
      permission: "providers.manage",
      input: z.object({ accountSecret: z.string().min(32, "The account secret must be at least 32 characters.") }),
      handler: async () => null,
    };
    const form = new FormData();
    form.set("accountSecret", "too-short");
    const r = await runAction(deps, def, form);
    expect(r).toEqual({
      ok: false,
      error: {
        code: "invalid_input",
        message: "Check the form: the account secret must be at least 32 characters.",
        fieldErrors: { accountSecret: ["The account secret must be at least 32 characters."] },
      },
    });
    const renamed = await runAction(deps, rename, { name: "x" });
    expect(!renamed.ok && renamed.error.message).toBe("Check the form: name — use at least 3 characters.");
  });

  it("returns field errors for bad input, from objects and FormData", async () => {
    const deps = await as({ isStaff: true });
    const r = await runAction(deps, rename, { name: "x" });
    expect(r).toMatchObject({ ok: false, error: { code: "invalid_input", fieldErrors: { name: ["Use at least 3 characters."] } } });
    const form = new FormData();
    form.set("name", "from-form");
    expect(await runAction(deps, rename, form)).toEqual({ ok: true, data: { name: "from-form" } });
  });

  it("runs the handler and writes the audit row as the signed-in user", async () => {
    const r = await runAction(await as({ isStaff: true }), rename, { name: "cloud-a" });
    expect(r).toEqual({ ok: true, data: { name: "cloud-a" } });
    const { rows } = await listAuditEntries(db);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actorUsername: "op", action: "provider.rename", targetId: "4", ip: "10.1.2.3" });
  });

  it("returns expected failures and hides unexpected ones behind a reference", async () => {
    const deps = await as({ isStaff: true });
    expect(await runAction(deps, rename, { name: "taken" })).toMatchObject({
      ok: false,
      error: { code: "conflict", message: "A provider named taken exists already." },
    });
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const r = await runAction(deps, rename, { name: "boom" });
    expect(r).toMatchObject({ ok: false, error: { code: "internal" } });
    expect(!r.ok && r.error.message).not.toContain("hunter2");
    const line = logged.mock.calls.flat().join(" ");
    expect(line).toContain("leaked in a driver message");
    expect(line).not.toContain("hunter2");
    logged.mockRestore();
  });

  it("keeps superuser-only actions from staff", async () => {
    const grant = { ...rename, permission: "users.grant_roles" as const };
    expect(await runAction(await as({ isStaff: true }), grant, { name: "abc" })).toMatchObject({
      ok: false,
      error: { code: "forbidden", message: "Only a superuser can do this." },
    });
  });

  it("lets a user who must choose a new password do only that", async () => {
    const deps = await as({ isStaff: true, mustChangePassword: true });
    expect(await runAction(deps, rename, { name: "cloud-a" })).toMatchObject({
      ok: false,
      error: { code: "forbidden", message: expect.stringContaining("Choose a new password first") },
    });
    const self = { ...rename, permission: "self.update" as const };
    expect(await runAction(deps, self, { name: "cloud-a" })).toMatchObject({ ok: true });
  });
});
