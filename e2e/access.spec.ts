import { expect, signIn, test } from "./support";

test.describe("only staff use the console", () => {
  test("a portal user who is not staff sees the no-access page everywhere", async ({ page, makeUser }) => {
    await makeUser({ username: "e2e-portal-user", password: "Portal-User-Pass-1" });
    await signIn(page, "e2e-portal-user", "Portal-User-Pass-1");
    await expect(page.getByRole("heading", { name: "No access" })).toBeVisible();
    await expect(page.getByText("your account is not staff")).toBeVisible();
    for (const path of ["/providers", "/audit", "/users", "/account"]) {
      await page.goto(path);
      await expect(page).toHaveURL(/\/no-access/);
      await expect(page.getByRole("heading", { name: "No access" })).toBeVisible();
    }
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
  });

  test("a server action refuses a user whose staff flag was revoked mid-session", async ({ page, makeUser, sql }) => {
    const id = await makeUser({ username: "e2e-demoted", password: "Demoted-User-Pass-1", isStaff: true });
    await signIn(page, "e2e-demoted", "Demoted-User-Pass-1");
    await expect(page).toHaveURL(/:\d+\/$/);
    await page.goto("/account");
    await page.getByLabel("Current password").fill("Demoted-User-Pass-1");
    await page.getByLabel("New password", { exact: true }).fill("Another-Pass-22");
    await page.getByLabel("Repeat the new password").fill("Another-Pass-22");

    // A superuser takes staff away while the form is open; the JWT still looks valid.
    await sql`update users set is_staff = false where id = ${id}`;
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "You need staff access" })).toBeVisible();

    // Nothing changed: the old password still works, the new one does not.
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from audit_log where action = 'user.change_own_password' and actor_id = ${id}`;
    expect(row.n).toBe(0);
  });

  test("staff change their own password through the action, and it is audited", async ({ page, makeUser, sql }) => {
    const id = await makeUser({ username: "e2e-staff", password: "Staff-User-Pass-1", isStaff: true });
    await signIn(page, "e2e-staff", "Staff-User-Pass-1");
    await expect(page).toHaveURL(/:\d+\/$/);
    await page.goto("/account");
    await page.getByLabel("Current password").fill("Staff-User-Pass-1");
    await page.getByLabel("New password", { exact: true }).fill("short");
    await page.getByLabel("Repeat the new password").fill("short");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "at least 12 characters" })).toBeVisible();
    await expect(page.getByLabel("New password", { exact: true })).toHaveAccessibleDescription(/at least 12 characters/);

    await page.getByLabel("New password", { exact: true }).fill("Brand-New-Pass-33");
    await page.getByLabel("Repeat the new password").fill("Brand-New-Pass-33");
    await page.getByLabel("Current password").fill("Staff-User-Pass-1");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByText("Your password was changed.")).toBeVisible();
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from audit_log where action = 'user.change_own_password' and actor_id = ${id}`;
    expect(row.n).toBe(1);
  });
});
