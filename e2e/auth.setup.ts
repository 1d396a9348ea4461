import { ADMIN_STATE, E2E_ADMIN, expect, signIn, test } from "./support";

test("sign in as the seeded admin", async ({ page }) => {
  await signIn(page, E2E_ADMIN.username, E2E_ADMIN.password);
  await expect(page).toHaveURL(/:\d+\/$/);
  await expect(page.getByRole("heading", { name: "Home", level: 1 })).toBeVisible();
  await page.context().storageState({ path: ADMIN_STATE });
});
