import type { Locator, Page } from "@playwright/test";
import { ADMIN_STATE, expect, test } from "./support";

// Console-wide UI rules: the icon, navigation on small screens, long names that wrap, and
// values too long for a field refused with a message instead of being cut.

async function insideViewport(page: Page, locator: Locator) {
  const box = await locator.boundingBox();
  const size = page.viewportSize();
  expect(box, "the element is rendered").not.toBeNull();
  expect(size).not.toBeNull();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.y).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(size!.width);
  expect(box!.y + box!.height).toBeLessThanOrEqual(size!.height);
}

test("the favicon is served as an image on every page, signed in or not", async ({ request }) => {
  const res = await request.get("/favicon.ico");
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toMatch(/^image\//);
  const body = await res.body();
  // An ICO file: reserved 0, type 1 (icon), at least one image.
  expect(body.readUInt16LE(0)).toBe(0);
  expect(body.readUInt16LE(2)).toBe(1);
  expect(body.readUInt16LE(4)).toBeGreaterThan(0);
});

test.describe("signed in", () => {
  test.use({ storageState: ADMIN_STATE });

  test("the page names its icon", async ({ page }) => {
    await page.goto("/providers");
    await expect(page.locator('link[rel="icon"]')).toHaveAttribute("href", /\/favicon\.ico/);
  });

  test("below md a menu button opens the navigation, by mouse and keyboard", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 780 });
    await page.goto("/providers");
    const menu = page.getByRole("button", { name: "Open navigation" });
    await expect(menu).toBeVisible();
    // The sidebar is hidden at this width: its links are not visible.
    await expect(page.getByRole("link", { name: "Audit log" })).toBeHidden();

    await menu.click();
    const sheet = page.getByRole("dialog");
    await expect(sheet).toBeVisible();
    await sheet.getByRole("link", { name: "Users" }).click();
    await expect(page).toHaveURL(/\/users$/);
    await expect(page.getByRole("heading", { name: "Users", level: 1 })).toBeVisible();
    await expect(sheet).toBeHidden();

    // Keyboard: Enter opens, focus is inside, Escape closes and focus returns to the button.
    await menu.focus();
    await page.keyboard.press("Enter");
    await expect(sheet).toBeVisible();
    await expect(sheet.getByRole("link", { name: "Audit log" })).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(sheet).toBeHidden();
    await expect(menu).toBeFocused();

    // At desktop width the button is gone and the sidebar is back.
    await page.setViewportSize({ width: 1280, height: 800 });
    await expect(menu).toBeHidden();
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" })).toBeVisible();
  });

  test("the account menu works by keyboard: arrows move, Escape closes back to its button, a click outside closes it", async ({ page }) => {
    await page.goto("/providers");
    const button = page.getByRole("button", { name: /Account menu for admin/ });
    await button.focus();
    await page.keyboard.press("ArrowDown");
    const menu = page.getByRole("menu", { name: /Account menu for admin/ });
    await expect(menu).toBeVisible();
    await expect(button).toHaveAttribute("aria-expanded", "true");
    await expect(menu.getByRole("menuitem", { name: "Change password" })).toBeFocused();
    await page.keyboard.press("ArrowUp");
    await expect(menu.getByRole("menuitem", { name: "Sign out everywhere" })).toBeFocused();
    await page.keyboard.press("Home");
    await page.keyboard.press("ArrowDown");
    await expect(menu.getByRole("menuitem", { name: "Sign out", exact: true })).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(menu).toBeHidden();
    await expect(button).toBeFocused();

    // Enter opens it on the first item; a click elsewhere closes it; Change password navigates.
    await page.keyboard.press("Enter");
    await expect(menu).toBeVisible();
    await page.getByRole("heading", { level: 1 }).click();
    await expect(menu).toBeHidden();
    await button.click();
    await menu.getByRole("menuitem", { name: "Change password" }).click();
    await expect(page).toHaveURL(/\/account$/);
  });

  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 390, height: 780 },
  ]) {
    test(`a 150-character username wraps in the Deactivate dialog; its buttons stay on screen (${viewport.width}px)`, async ({
      page,
      makeUser,
    }) => {
      const username = `e2e-long-${viewport.width}-${"x".repeat(150)}`.slice(0, 150);
      const id = await makeUser({ username, password: "Long-Name-Pass-123" });
      await page.setViewportSize(viewport);
      await page.goto(`/users/${id}`);
      await page.getByRole("button", { name: "Deactivate user" }).click();
      const dialog = page.getByRole("dialog");
      await expect(dialog.getByRole("heading", { name: `Deactivate ${username}?` })).toBeVisible();
      await insideViewport(page, dialog);
      await insideViewport(page, dialog.getByRole("button", { name: "Cancel" }));
      await insideViewport(page, dialog.getByRole("button", { name: "Deactivate", exact: true }));
      await dialog.getByRole("button", { name: "Cancel" }).click();
      await expect(dialog).toBeHidden();
    });
  }

  test("a pasted 300-character username is refused with a message, not cut to 150", async ({ page, sql }) => {
    const pasted = `e2epaste${"y".repeat(292)}`;
    expect(pasted).toHaveLength(300);
    await page.goto("/users/new");
    const field = page.getByLabel("Username");
    await field.fill(pasted);
    // Nothing cuts it in the browser.
    await expect(field).toHaveValue(pasted);
    await page.getByRole("button", { name: "Create user" }).click();
    await expect(page.getByText("Usernames are at most 150 characters; this one has 300.").first()).toBeVisible();
    await expect(field).toHaveValue(pasted);
    await expect(field).toHaveAttribute("aria-invalid", "true");
    const made = await sql`select id from users where username like 'e2epaste%'`;
    expect(made).toHaveLength(0);
  });
});
