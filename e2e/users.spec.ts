import type { Browser, Page } from "@playwright/test";
import { ADMIN_STATE, E2E_ADMIN, expect, signIn, test } from "./support";

// Staff user management (/users), driven as an operator would: the seeded admin (a superuser),
// a staff member who is not a superuser, and portal users made along the way.

/** A second person at another browser, signed in as someone else. */
async function otherBrowser(browser: Browser): Promise<Page> {
  const baseURL = test.info().project.use.baseURL ?? `http://127.0.0.1:${process.env.E2E_PORT ?? 3100}`;
  // Within a test, newContext() inherits the test's options, the admin's storage state included.
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  return context.newPage();
}

test.describe("as the seeded superuser", () => {
  test.use({ storageState: ADMIN_STATE });

  test("search finds users by part of a username, name or email, and the URL carries it", async ({ page, makeUser, sql }) => {
    await makeUser({ username: "e2e-aurora-borealis", password: "Aurora-Pass-123" });
    await makeUser({ username: "e2e-zenith", password: "Zenith-Pass-123" });
    await sql`update users set display_name = 'Nadia Polaris', email = 'nadia@north.example' where username = 'e2e-zenith'`;

    await page.goto("/users");
    const table = page.getByRole("table", { name: "Users" });
    await expect(table.getByRole("link", { name: E2E_ADMIN.username, exact: true })).toBeVisible();

    // Typing searches after a short pause; no button needed.
    await page.getByRole("searchbox", { name: "Search users" }).fill("AURORA-bor");
    await expect(page).toHaveURL(/\/users\?q=AURORA-bor$/);
    await expect(table.locator("tbody tr")).toHaveCount(1);
    await expect(table.getByRole("link", { name: "e2e-aurora-borealis" })).toBeVisible();
    await expect(page.getByRole("status").filter({ hasText: "1 user match." })).toBeVisible();

    // By display name and by email, submitted with Enter.
    const search = page.getByRole("searchbox", { name: "Search users" });
    await search.fill("polaris");
    await search.press("Enter");
    await expect(page).toHaveURL(/q=polaris/);
    await expect(table.getByRole("link", { name: "e2e-zenith" })).toBeVisible();
    await expect(table.getByRole("cell", { name: "Nadia Polaris" })).toBeVisible();
    await search.fill("north.example");
    await expect(page).toHaveURL(/q=north.example/);
    await expect(table.locator("tbody tr")).toHaveCount(1);

    // A shared link shows the same result; the filters narrow it.
    await page.goto("/users?q=e2e-&role=superuser");
    await expect(page.getByRole("searchbox", { name: "Search users" })).toHaveValue("e2e-");
    await expect(page.getByLabel("Role")).toHaveValue("superuser");
    await expect(page.getByText("No users match", { exact: true })).toBeVisible();
    await page.getByLabel("Role").selectOption("none");
    await expect(page).toHaveURL(/role=none/);
    await expect(table.getByRole("link", { name: "e2e-zenith" })).toBeVisible();
  });

  test("create a user with a generated password shown once; they sign in, get staff, are deactivated; all audited", async ({
    page,
    browser,
    sql,
  }) => {
    await page.goto("/users");
    await page.getByRole("link", { name: "New user" }).click();
    await expect(page.getByRole("heading", { name: "New user" })).toBeVisible();

    // A bad username is refused next to the field, and what was typed stays.
    await page.getByLabel("Username").fill("e2e newbie");
    await page.getByLabel("Display name").fill("Nell Newbie");
    await page.getByLabel("Email").fill("nell@example.org");
    await page.getByRole("button", { name: "Create user" }).click();
    await expect(page.getByLabel("Username")).toHaveAccessibleDescription(/Use only letters, digits/);
    await expect(page.getByLabel("Display name")).toHaveValue("Nell Newbie");

    await page.getByLabel("Username").fill("e2e-newbie");
    await expect(page.getByRole("radio", { name: /Generate a strong password/ })).toBeChecked();
    await page.getByRole("button", { name: "Create user" }).click();
    await expect(page.getByText("The user e2e-newbie was created.")).toBeVisible();
    await expect(page.getByText("The password is shown only this once.")).toBeVisible();
    const password = await page.getByLabel("One-time password for e2e-newbie").inputValue();
    expect(password).toHaveLength(20);

    // Once: a reload shows an empty form and no password anywhere.
    await page.reload();
    await expect(page.getByLabel("Username")).toHaveValue("");
    await expect(page.getByLabel("One-time password for e2e-newbie")).toHaveCount(0);
    expect(await page.content()).not.toContain(password);

    // The same username in other capitals is taken.
    await page.getByLabel("Username").fill("E2E-Newbie");
    await page.getByRole("button", { name: "Create user" }).click();
    await expect(page.getByLabel("Username")).toHaveAccessibleDescription("This username is taken.");

    // They can sign in with it, but they are not staff.
    const newbie = await otherBrowser(browser);
    await signIn(newbie, "e2e-newbie", password);
    await expect(newbie.getByRole("heading", { name: "No access" })).toBeVisible();

    // Grant staff, behind a confirmation.
    await page.goto("/users?q=e2e-newbie");
    await page.getByRole("table", { name: "Users" }).getByRole("link", { name: "e2e-newbie" }).click();
    await expect(page.getByRole("heading", { name: "e2e-newbie", level: 1 })).toBeVisible();
    await page.getByRole("button", { name: "Grant staff" }).click();
    const grant = page.getByRole("dialog", { name: "Grant staff to e2e-newbie?" });
    await expect(grant).toBeVisible();
    await grant.getByRole("button", { name: "Grant staff" }).click();
    await expect(grant).toBeHidden();
    await expect(page.getByRole("status").filter({ hasText: "e2e-newbie is now staff. Their password was set by someone else, so it was cleared" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Revoke staff" })).toBeVisible();

    // Staff chose that password, so whoever knows it must not become staff with it (issue 12):
    // the open session ends and the password no longer signs in.
    await newbie.goto("/providers");
    await expect(newbie).toHaveURL(/\/login/);
    await signIn(newbie, "e2e-newbie", password);
    await expect(newbie.getByRole("alert").filter({ hasText: "do not match an active account" })).toBeVisible();

    // The superuser issues a one-time password; the newbie chooses their own before anything else.
    await page.getByRole("radio", { name: /Generate a strong password/ }).check();
    await page.getByRole("button", { name: "Generate a new password" }).click();
    const issued = await page.getByLabel("One-time password for e2e-newbie").inputValue();
    await signIn(newbie, "e2e-newbie", issued);
    await expect(newbie).toHaveURL(/\/choose-password$/);
    await expect(newbie.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
    await newbie.getByLabel("Current password").fill(issued);
    await newbie.getByLabel("New password", { exact: true }).fill("Newbie-Own-Pass-77");
    await newbie.getByLabel("Repeat the new password").fill("Newbie-Own-Pass-77");
    await newbie.getByRole("button", { name: "Change password" }).click();
    await expect(newbie).toHaveURL(/\/providers$/);
    await expect(newbie.getByRole("heading", { name: "Providers" })).toBeVisible();

    // Deactivate: Escape cancels, the second time it is confirmed.
    await page.getByRole("button", { name: "Deactivate user" }).click();
    const deactivate = page.getByRole("dialog", { name: "Deactivate e2e-newbie?" });
    await expect(deactivate).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(deactivate).toBeHidden();
    await expect(page.getByRole("button", { name: "Deactivate user" })).toBeFocused();
    await page.keyboard.press("Enter");
    await deactivate.getByRole("button", { name: "Deactivate", exact: true }).click();
    await expect(page.getByRole("status").filter({ hasText: "e2e-newbie is deactivated" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Activate user" })).toBeVisible();

    // Their open session ends at the next click, and the password no longer signs in.
    await newbie.goto("/providers");
    await expect(newbie).toHaveURL(/\/login/);
    await signIn(newbie, "e2e-newbie", "Newbie-Own-Pass-77");
    await expect(newbie.getByRole("alert").filter({ hasText: "do not match an active account" })).toBeVisible();
    await newbie.context().close();

    // The audit log names who did each of it, and never the password.
    await page.goto("/audit?actor=admin&action=user.");
    const audit = page.getByRole("table", { name: "Audit log entries" });
    for (const action of ["user.create", "user.grant_staff", "user.deactivate"]) {
      await expect(audit.getByText(action, { exact: true }).first()).toBeVisible();
    }
    await expect(audit.locator("tbody tr").filter({ hasText: "user.create" }).filter({ hasText: "e2e-newbie" })).toHaveCount(1);
    const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from audit_log where details::text like ${`%${password}%`}`;
    expect(n).toBe(0);
  });

  test("the last active superuser cannot lose superuser, nor deactivate themselves", async ({ page, sql }) => {
    // Only the seeded admin is an active superuser here (other tests' users lose it when they end).
    await sql`update users set is_superuser = false where username like 'e2e-%' and is_superuser`;
    const [{ id }] = await sql<{ id: number }[]>`select id from users where username = ${E2E_ADMIN.username}`;
    await page.goto(`/users/${id}`);
    await expect(page.getByText("You cannot deactivate your own account.")).toBeVisible();
    await expect(page.getByRole("button", { name: "Deactivate user" })).toHaveCount(0);

    await page.getByRole("button", { name: "Revoke superuser" }).click();
    const dialog = page.getByRole("dialog", { name: `Revoke superuser from ${E2E_ADMIN.username}?` });
    await dialog.getByRole("button", { name: "Revoke superuser" }).click();
    await expect(dialog.getByRole("alert")).toHaveText(/This is the last active superuser\. Grant superuser to someone else first/);
    await page.keyboard.press("Escape");
    await page.reload();
    await expect(page.getByRole("region", { name: "Superuser" }).getByRole("button", { name: "Revoke superuser" })).toBeVisible();
    const [row] = await sql<{ is_superuser: boolean }[]>`select is_superuser from users where id = ${id}`;
    expect(row.is_superuser).toBe(true);
  });

  test("reset a password: weak ones are refused, a generated one is shown once and signs in", async ({ page, browser, makeUser }) => {
    const id = await makeUser({ username: "e2e-forgetful", password: "Old-Forgetful-1" });
    await page.goto(`/users/${id}`);
    await page.getByRole("radio", { name: /Type a password/ }).check();
    await page.getByLabel("Password", { exact: true }).fill("tooshort");
    await page.getByLabel("Repeat the password").fill("tooshort");
    await page.getByRole("button", { name: "Set this password" }).click();
    await expect(page.getByLabel("Password", { exact: true })).toHaveAccessibleDescription("Use at least 12 characters.");

    await page.getByRole("radio", { name: /Generate a strong password/ }).check();
    await page.getByRole("button", { name: "Generate a new password" }).click();
    const password = await page.getByLabel("One-time password for e2e-forgetful").inputValue();
    expect(password).toHaveLength(20);

    const other = await otherBrowser(browser);
    await signIn(other, "e2e-forgetful", password);
    await expect(other.getByRole("heading", { name: "No access" })).toBeVisible();
    await other.context().close();
  });
});

test.describe("without JavaScript", () => {
  test.use({ storageState: ADMIN_STATE, javaScriptEnabled: false });

  test("the search form is a plain GET form", async ({ page, makeUser }) => {
    await makeUser({ username: "e2e-nojs-walrus", password: "Walrus-Pass-123" });
    await page.goto("/users");
    await page.getByRole("searchbox", { name: "Search users" }).fill("WALRUS");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page).toHaveURL(/\/users\?q=WALRUS/);
    const table = page.getByRole("table", { name: "Users" });
    await expect(table.locator("tbody tr")).toHaveCount(1);
    await expect(table.getByRole("link", { name: "e2e-nojs-walrus" })).toBeVisible();
  });
});

test.describe("as staff who are not superusers", () => {
  test("they manage users but never see role buttons, and the action refuses them", async ({ page, makeUser, sql }) => {
    const target = await makeUser({ username: "e2e-target", password: "Target-Pass-123" });
    await makeUser({ username: "e2e-staffer", password: "Staffer-Pass-123", isStaff: true });
    await signIn(page, "e2e-staffer", "Staffer-Pass-123");
    await expect(page).toHaveURL(/:\d+\/$/);

    await page.goto("/users");
    await page.getByRole("searchbox", { name: "Search users" }).fill("e2e-target");
    await expect(page.getByRole("status").filter({ hasText: "1 user match." })).toBeVisible();
    await page.getByRole("table", { name: "Users" }).getByRole("link", { name: "e2e-target" }).click();
    await expect(page.getByRole("heading", { name: "e2e-target", level: 1 })).toBeVisible();
    await expect(page.getByText("Only superusers can grant or revoke staff and superuser.")).toBeVisible();
    for (const name of ["Grant staff", "Revoke staff", "Grant superuser", "Revoke superuser"]) {
      await expect(page.getByRole("button", { name })).toHaveCount(0);
    }
    // What staff may do is there.
    await expect(page.getByRole("button", { name: "Deactivate user" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Generate a new password" })).toBeVisible();

    // Someone who opened the page as a superuser and lost it meanwhile is refused by the action.
    await sql`update users set is_superuser = true where username = 'e2e-staffer'`;
    await page.reload();
    await page.getByRole("button", { name: "Grant staff" }).click();
    const dialog = page.getByRole("dialog", { name: "Grant staff to e2e-target?" });
    await expect(dialog).toBeVisible();
    await sql`update users set is_superuser = false where username = 'e2e-staffer'`;
    await dialog.getByRole("button", { name: "Grant staff" }).click();
    await expect(dialog.getByRole("alert")).toHaveText("Only a superuser can do this.");
    const [row] = await sql<{ is_staff: boolean }[]>`select is_staff from users where id = ${target}`;
    expect(row.is_staff).toBe(false);
    const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from audit_log where action = 'user.grant_staff' and target_id = ${String(target)}`;
    expect(n).toBe(0);
  });
});
