import { ADMIN_STATE, expect, test } from "./support";

test.use({ storageState: ADMIN_STATE });

test("the audit log shows the seeded admin and the logins, newest first, and filters", async ({ page }) => {
  await page.goto("/audit");
  const table = page.getByRole("table", { name: "Audit log entries" });
  await expect(table).toBeVisible();
  await expect(table.getByText("user.seed_admin")).toBeVisible();
  await expect(table.getByText("auth.login", { exact: true }).first()).toBeVisible();

  // Newest first: the first row is later than or equal to the last.
  const times = await table.locator("tbody tr td:first-child").allTextContents();
  expect(times.length).toBeGreaterThan(2);
  expect(times[0] >= times[times.length - 1]).toBe(true);

  await page.getByLabel("Action (prefix)").fill("user.seed");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/action=user.seed/);
  await expect(table.locator("tbody tr")).toHaveCount(1);
  await expect(table.getByText("system")).toBeVisible();

  await page.getByLabel("Action (prefix)").fill("");
  await page.getByLabel("Actor (username)").fill("nobody-at-all");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByText("No entries match")).toBeVisible();
});
