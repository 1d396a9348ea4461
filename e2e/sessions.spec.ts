import type { Browser, Page } from "@playwright/test";
import { expect, signIn, test } from "./support";

// Sessions end when they should (issue 12 §5): a password change or "sign out everywhere" in
// one browser signs the same user out of every other browser at its next request.

async function freshBrowser(browser: Browser): Promise<Page> {
  const baseURL = test.info().project.use.baseURL ?? `http://127.0.0.1:${process.env.E2E_PORT ?? 3100}`;
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  return context.newPage();
}

test("changing the password in one browser signs the other out; sign out everywhere ends both", async ({ browser, makeUser, sql }) => {
  const id = await makeUser({ username: "e2e-twice", password: "Twice-Old-Pass-1", isStaff: true });
  const a = await freshBrowser(browser);
  const b = await freshBrowser(browser);
  try {
    for (const page of [a, b]) {
      await signIn(page, "e2e-twice", "Twice-Old-Pass-1");
      await expect(page).toHaveURL(/:\d+\/$/);
    }

    await a.goto("/account");
    await a.getByLabel("Current password").fill("Twice-Old-Pass-1");
    await a.getByLabel("New password", { exact: true }).fill("Twice-New-Pass-2");
    await a.getByLabel("Repeat the new password").fill("Twice-New-Pass-2");
    await a.getByRole("button", { name: "Change password" }).click();
    await expect(a.getByText("Your password was changed. Every other session is signed out.")).toBeVisible();

    // The other browser's token is still unexpired, but its next request finds it outdated.
    await b.goto("/providers");
    await expect(b).toHaveURL(/\/login/);
    // This browser was signed in again under the new version and carries on.
    await a.goto("/providers");
    await expect(a.getByRole("heading", { name: "Providers", level: 1 })).toBeVisible();

    // Sign out everywhere, from the account menu.
    await signIn(b, "e2e-twice", "Twice-New-Pass-2");
    await expect(b).toHaveURL(/:\d+\/$/);
    await a.getByRole("button", { name: /Account menu for e2e-twice/ }).click();
    await a.getByRole("menuitem", { name: "Sign out everywhere" }).click();
    await expect(a).toHaveURL(/\/login/);
    await b.goto("/audit");
    await expect(b).toHaveURL(/\/login/);

    const rows = await sql<{ action: string }[]>`
      select action from audit_log where actor_id = ${id} and action in ('user.change_own_password', 'auth.sign_out_everywhere') order by id`;
    expect(rows.map((r) => r.action)).toEqual(["user.change_own_password", "auth.sign_out_everywhere"]);
  } finally {
    await a.context().close();
    await b.context().close();
  }
});

test("a spoofed X-Forwarded-For does not escape the sign-in back-off", async ({ browser, makeUser }) => {
  await makeUser({ username: "e2e-sprayed", password: "Sprayed-Pass-123", isStaff: true });
  const page = await freshBrowser(browser);
  try {
    for (let i = 0; i < 6; i++) {
      await page.context().setExtraHTTPHeaders({ "X-Forwarded-For": `6.6.6.${i}` });
      await signIn(page, "e2e-sprayed", `wrong-guess-${i}`);
      await expect(page.getByRole("alert").filter({ hasText: /do not match|Too many/ })).toBeVisible();
    }
    await expect(page.getByRole("alert").filter({ hasText: "Too many" })).toHaveText(/Too many failed sign-in attempts\. Try again in \d+ seconds/);
  } finally {
    await page.context().close();
  }
});
