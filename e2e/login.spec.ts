import { E2E_ADMIN, expect, signIn, test } from "./support";

test.describe("signing in and out", () => {
  test("a wrong password is refused with a clear message", async ({ page }) => {
    await signIn(page, E2E_ADMIN.username, "not-the-password");
    await expect(page.getByRole("alert").filter({ hasText: "do not match an active account" })).toBeVisible();
    await expect(page).toHaveURL(/\/login/);
  });

  test("an anonymous visit goes to the login page and comes back after sign-in", async ({ page }) => {
    await page.goto("/audit");
    await expect(page).toHaveURL(/\/login\?next=%2Faudit/);
    await page.getByLabel("Username").fill(E2E_ADMIN.username);
    await page.getByLabel("Password").fill(E2E_ADMIN.password);
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/audit$/);
    await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
  });

  test("the admin reaches every section from the navigation, then signs out", async ({ page }) => {
    await signIn(page, E2E_ADMIN.username, E2E_ADMIN.password);
    const nav = page.getByRole("navigation", { name: "Main" });
    for (const [link, heading] of [
      ["Users", "Users"],
      ["Allocation", "Allocation"],
      ["Imports", "Imports"],
      ["Launch test", "Launch test"],
      ["Audit log", "Audit log"],
      ["Providers", "Providers"],
    ]) {
      await nav.getByRole("link", { name: link }).click();
      await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
      await expect(nav.getByRole("link", { name: link })).toHaveAttribute("aria-current", "page");
    }

    await page.getByRole("button", { name: /Account menu for admin/ }).click();
    await page.getByRole("menuitem", { name: "Sign out", exact: true }).click();
    await expect(page).toHaveURL(/\/login/);
    // The session is gone: the console sends us back to the login page.
    await page.goto("/providers");
    await expect(page).toHaveURL(/\/login/);
  });

  test("an unknown page shows the not-found page", async ({ page }) => {
    await signIn(page, E2E_ADMIN.username, E2E_ADMIN.password);
    await expect(page).toHaveURL(/:\d+\/$/);
    await page.goto("/no-such-page");
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  });
});
