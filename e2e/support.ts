import { test as base, expect, type Page } from "@playwright/test";
import bcrypt from "bcryptjs";
import postgres from "postgres";
import { E2E_ADMIN, E2E_DATABASE_URL } from "../playwright.config";

export { E2E_ADMIN };
export const ADMIN_STATE = `e2e/.auth/admin-${process.env.E2E_PORT ?? 3100}.json`;

type Sql = ReturnType<typeof postgres>;

/** Signs in through the login form, as a person would. */
export async function signIn(page: Page, username: string, password: string) {
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** Resolves once React hydrated the page (components/hydration-marker.tsx); never throws. */
export async function hydrated(page: Page) {
  await page.waitForSelector("html[data-hydrated]", { state: "attached", timeout: 15_000 }).catch(() => {});
}

export const test = base.extend<{
  sql: Sql;
  makeUser: (opts: { username: string; password: string; isStaff?: boolean; isSuperuser?: boolean }) => Promise<number>;
}>({
  // Typing into a form before React hydrates it loses the text (React resets uncontrolled fields
  // it adopts) or submits it natively: every goto/reload waits for hydration first.
  page: async ({ page }, use) => {
    const goto = page.goto.bind(page);
    const reload = page.reload.bind(page);
    page.goto = async (...args) => {
      const res = await goto(...args);
      await hydrated(page);
      return res;
    };
    page.reload = async (...args) => {
      const res = await reload(...args);
      await hydrated(page);
      return res;
    };
    await use(page);
  },
  // eslint-disable-next-line no-empty-pattern
  sql: async ({}, use) => {
    const sql = postgres(E2E_DATABASE_URL, { max: 2, onnotice: () => {} });
    await use(sql);
    await sql.end();
  },
  makeUser: async ({ sql }, use) => {
    const made: number[] = [];
    await use(async ({ username, password, isStaff = false, isSuperuser = false }) => {
      const hash = await bcrypt.hash(password, 10);
      const [row] = await sql<{ id: number }[]>`
        insert into users (username, password_hash, is_staff, is_superuser)
        values (${username}, ${hash}, ${isStaff}, ${isSuperuser})
        on conflict (username) do update set password_hash = excluded.password_hash,
          is_staff = excluded.is_staff, is_superuser = excluded.is_superuser, is_active = true
        returning id`;
      made.push(row.id);
      return row.id;
    });
    // Users stay (audit rows point at them) but lose every privilege.
    if (made.length) await sql`update users set is_staff = false, is_superuser = false where id in ${sql(made)}`;
  },
});

export { expect };
