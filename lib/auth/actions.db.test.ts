import { beforeEach, describe, expect, it } from "vitest";
import { runAction } from "@/lib/actions/safe-action";
import { auditRows, depsAs } from "@/test/actions";
import { testDb, truncateAll } from "@/test/db";
import { login, logout } from "./actions";

// Signing in and out need Auth.js's request context (cookies), so their happy paths are in
// e2e (auth.setup.ts, login.spec.ts, access.spec.ts). Here: they are public, and a form
// without a username or password is answered before Auth.js is asked.

describe("sign-in actions", async () => {
  const db = await testDb();
  beforeEach(() => truncateAll(db));

  it("are the only public definitions: no session is needed to run them", () => {
    expect(login.permission).toBe("public");
    expect(logout.permission).toBe("public");
  });

  it("asks for both fields, keeping the username, without a session and without audit noise", async () => {
    const deps = await depsAs(db, null);
    const form = new FormData();
    form.set("username", "  cmart ");
    form.set("password", "");
    expect(await runAction(deps, login, form)).toEqual({
      ok: true,
      data: { error: "Enter your username and password.", username: "cmart" },
    });
    // Fields missing from the form altogether read as empty, not as a schema error.
    expect(await runAction(deps, login, {})).toEqual({ ok: true, data: { error: "Enter your username and password.", username: "" } });
    expect(await auditRows(db)).toHaveLength(0);
  });
});
