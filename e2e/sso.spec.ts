import type { Browser, Page } from "@playwright/test";
import { OIDC_USERS, type OidcTestUser } from "./oidc-users";
import { expect, test } from "./support";

// Single sign-on through a real OpenID Connect provider (scripts/oidc-test-provider.ts, over
// HTTPS with a throw-away CA the app trusts through NODE_EXTRA_CA_CERTS); the browser is told
// to accept that CA's certificate for the provider's own pages.
const [plain, staff] = OIDC_USERS;

async function freshPage(browser: Browser): Promise<Page> {
  // At localhost (not 127.0.0.1): Next names a loopback request's host "localhost" when Auth.js
  // builds the redirect URI for the token request, which must equal the authorization one.
  const baseURL = test.info().project.use.baseURL!.replace("127.0.0.1", "localhost");
  const context = await browser.newContext({ ignoreHTTPSErrors: true, baseURL });
  return context.newPage();
}

/** From the console's login page through the provider's login form and back. */
async function ssoSignIn(page: Page, user: OidcTestUser) {
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in with Test IdP" }).click();
  await expect(page.getByRole("heading", { name: "Test identity provider" })).toBeVisible();
  expect(new URL(page.url()).protocol).toBe("https:");
  await page.getByLabel("Login").fill(user.username);
  await page.getByLabel("Secret").fill(user.password);
  await page.getByRole("button", { name: "Log in" }).click();
}

test.describe("single sign-on", () => {
  test("first visit creates an unprivileged user; the next visit is the same user, matched by subject; sign out", async ({ browser, sql }) => {
    const first = await freshPage(browser);
    await ssoSignIn(first, plain);
    await expect(first.getByRole("heading", { name: "No access" })).toBeVisible();
    await expect(first.getByText(`You are signed in as ${plain.username}`)).toBeVisible();
    const rows = await sql<{ id: number; username: string; is_staff: boolean; is_superuser: boolean; email: string | null }[]>`
      select id, username, is_staff, is_superuser, email from users where oidc_subject = ${plain.sub}`;
    expect(rows).toEqual([{ id: expect.any(Number), username: plain.username, is_staff: false, is_superuser: false, email: plain.email }]);
    await first.getByRole("button", { name: "Sign out" }).click();
    await expect(first).toHaveURL(/\/login/);
    await first.goto("/");
    await expect(first).toHaveURL(/\/login/);
    await first.context().close();

    // A new browser: through the provider's form again, and the same portal user.
    const second = await freshPage(browser);
    await ssoSignIn(second, plain);
    await expect(second.getByText(`You are signed in as ${plain.username}`)).toBeVisible();
    const again = await sql<{ id: number }[]>`select id from users where oidc_subject = ${plain.sub}`;
    expect(again).toEqual([{ id: rows[0].id }]);
    const created = await sql`select 1 from audit_log where action = 'user.create_sso' and target_id = ${String(rows[0].id)}`;
    expect(created.length).toBe(1);
    await second.context().close();
  });

  test("a wrong secret at the provider signs no one in", async ({ browser, sql }) => {
    const page = await freshPage(browser);
    await ssoSignIn(page, { ...staff, password: "not-the-secret" });
    await expect(page.getByRole("alert")).toHaveText("Unknown login or wrong secret.");
    expect(await sql`select 1 from users where oidc_subject = ${staff.sub}`).toHaveLength(0);
    await page.context().close();
  });

  test("the staff group gives staff, audited; sign out from the console", async ({ browser, sql }) => {
    const page = await freshPage(browser);
    await ssoSignIn(page, staff);
    await expect(page.getByRole("heading", { name: "Home", level: 1 })).toBeVisible();
    const [row] = await sql<{ id: number; is_staff: boolean; is_superuser: boolean }[]>`
      select id, is_staff, is_superuser from users where oidc_subject = ${staff.sub}`;
    expect(row).toMatchObject({ is_staff: true, is_superuser: false });
    const audits = await sql<{ details: { after: unknown; matchedGroups: string[] } }[]>`
      select details from audit_log where action = 'user.sso_roles' and target_id = ${String(row.id)}`;
    expect(audits.map((a) => a.details)).toEqual([
      expect.objectContaining({ after: { isStaff: true, isSuperuser: false }, matchedGroups: ["cloudport-staff"] }),
    ]);
    await page.getByRole("button", { name: `Account menu for ${staff.username}` }).click();
    await page.getByRole("menuitem", { name: "Sign out", exact: true }).click();
    await expect(page).toHaveURL(/\/login/);
    await page.goto("/users");
    await expect(page).toHaveURL(/\/login/);
    await page.context().close();
  });
});
