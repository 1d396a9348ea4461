import type postgres from "postgres";
import { ADMIN_STATE, expect, test } from "./support";

test.use({ storageState: ADMIN_STATE });

type Sql = ReturnType<typeof postgres>;

const HOUR = 3_600_000;
const SEED_SUMMARY = "Counts the calendar month (UTC); recharges 168 CPU-hours on the 1st; ignores time not ACTIVE; multiplies by vCPUs";

/** A provider, and users with accounts, instances and status history, straight into the database. */
async function seedProvider(sql: Sql, name: string, withStrategy: boolean) {
  const [p] = await sql<{ id: number }[]>`
    insert into providers (name, auth_url) values (${name}, ${`https://${name}.example.org:5000/v3`}) returning id`;
  if (withStrategy) {
    await sql`
      insert into allocation_strategies (provider_id, counting_behavior, refresh_behaviors, rules_behaviors, threshold)
      values (${p.id}, '1 Month - Calendar Window', ${sql.array(["First of the Month"])},
              ${sql.array(["Ignore non-active status", "Multiply by Size CPU"])}, 168)`;
  }
  return p.id;
}

async function seedUser(
  sql: Sql,
  providerId: number,
  username: string,
  segments: Array<{ status: string; vcpus: number; ramMb: number; start: Date; end: Date | null }>,
) {
  const [u] = await sql<{ id: number }[]>`
    insert into users (username, joined_at) values (${username}, now() - interval '400 days') returning id`;
  const [i] = await sql<{ id: number }[]>`
    insert into identities (user_id, provider_id, project_name, state) values (${u.id}, ${providerId}, ${username}, 'active') returning id`;
  const [n] = await sql<{ id: number }[]>`
    insert into instances (provider_id, identity_id, server_id, name, status)
    values (${providerId}, ${i.id}, ${`${username}-srv`}, ${`${username}-vm`}, ${segments.at(-1)!.status}) returning id`;
  for (const s of segments) {
    await sql`
      insert into instance_status_history (instance_id, status, vcpus, ram_mb, disk_gb, start_date, end_date)
      values (${n.id}, ${s.status}, ${s.vcpus}, ${s.ramMb}, 20, ${s.start}, ${s.end})`;
  }
  return u.id;
}

const number = (text: string) => Number(text.replace(/[^0-9.\-]/g, ""));

test.describe("allocation", () => {
  test("an operator changes the strategy, watches the preview, saves, and reads the usage and a user's chart", async ({ page, sql }) => {
    test.setTimeout(120_000);
    const tag = Date.now().toString(36);
    const name = `cptest-alloc-${tag}`;
    const providerId = await seedProvider(sql, name, true);
    const now = Date.now();
    const heavy = `heavy-${tag}`;
    const medium = `medium-${tag}`;
    const light = `light-${tag}`;
    // 4 vCPU / 8 GB running for 3 h; 2 vCPU / 4 GB ran 1 h then shut off; 1 vCPU / 2 GB running for 1 h.
    const heavyId = await seedUser(sql, providerId, heavy, [{ status: "ACTIVE", vcpus: 4, ramMb: 8192, start: new Date(now - 3 * HOUR), end: null }]);
    await seedUser(sql, providerId, medium, [
      { status: "ACTIVE", vcpus: 2, ramMb: 4096, start: new Date(now - 5 * HOUR), end: new Date(now - 4 * HOUR) },
      { status: "SHUTOFF", vcpus: 2, ramMb: 4096, start: new Date(now - 4 * HOUR), end: null },
    ]);
    await seedUser(sql, providerId, light, [{ status: "ACTIVE", vcpus: 1, ramMb: 2048, start: new Date(now - 1 * HOUR), end: null }]);

    // Every provider is listed with its strategy in words.
    await page.goto("/allocation");
    const list = page.getByRole("table", { name: "Allocation strategies by provider" });
    const row = list.getByRole("row").filter({ hasText: name });
    await expect(row).toContainText(SEED_SUMMARY);
    await row.getByRole("link", { name: `Edit and usage for ${name}` }).click();

    await expect(page).toHaveURL(new RegExp(`/providers/${providerId}/allocation$`));
    await expect(page.getByRole("heading", { name: `Allocation: ${name}` })).toBeVisible();
    await expect(page.getByTestId("current-summary")).toHaveText(SEED_SUMMARY);
    await expect(page.locator('input[name="countingBehavior"][value="1 Month - Calendar Window"]')).toBeChecked();
    await expect(page.getByText(/Usage counts from the 1st of the month/)).toBeVisible();

    // The preview lists the heaviest first; unchanged, before equals after.
    const preview = page.getByRole("table", { name: "Preview of usage before and after the change" });
    await expect(preview.getByRole("row").nth(1)).toContainText(heavy);
    await expect(preview.getByRole("row")).toHaveCount(4);
    const heavyCell = page.getByTestId(`preview-usage-${heavy}`);
    await expect(heavyCell).toContainText("no change");

    // Count RAM instead of vCPUs: the preview changes (8 GB vs 4 vCPUs doubles the heavy user's usage).
    await page.getByRole("checkbox", { name: /^Multiply by Size CPU/ }).uncheck();
    await page.getByRole("checkbox", { name: /^Multiply by Size RAM/ }).check();
    await page.getByLabel(/Allocation per refresh/).fill("200");
    await expect(page.getByTestId("draft-summary")).toHaveText(
      "Counts the calendar month (UTC); recharges 200 GB RAM-hours on the 1st; ignores time not ACTIVE; multiplies by GB of RAM",
    );
    await expect(page.getByText("Units change: CPU-hours → GB RAM-hours.")).toBeVisible();
    await expect(heavyCell).not.toContainText("no change");
    const [before, after] = (await heavyCell.innerText()).split("→").map(number);
    expect(before).toBeGreaterThan(0);
    expect(after).toBeCloseTo(before * 2, 0);

    // A bad threshold is refused before anything is sent.
    await page.getByLabel(/Allocation per refresh/).fill("0");
    await expect(page.getByText("The allocation must be more than 0.")).toBeVisible();
    await expect(page.getByRole("button", { name: "Save strategy" })).toBeDisabled();
    await page.getByLabel(/Allocation per refresh/).fill("200");

    await page.getByRole("button", { name: "Save strategy" }).click();
    await expect(page.getByTestId("saved-summary")).toHaveText(
      "Counts the calendar month (UTC); recharges 200 GB RAM-hours on the 1st; ignores time not ACTIVE; multiplies by GB of RAM",
    );
    await expect(page.getByTestId("current-summary")).toContainText("recharges 200 GB RAM-hours");

    // The usage table: heaviest first, credit 200, a bar per user.
    const usage = page.getByRole("table", { name: `Allocation usage on ${name}` });
    await expect(usage.getByRole("row")).toHaveCount(4);
    const heavyRow = usage.getByRole("row").nth(1);
    await expect(heavyRow).toContainText(heavy);
    await expect(heavyRow.getByRole("cell").nth(2)).toHaveText("200");
    await expect(heavyRow.getByRole("cell").nth(5)).toHaveText("8");
    await expect(usage.getByRole("row").filter({ hasText: medium }).getByRole("cell").nth(5)).toHaveText("0");

    // The light user gets an allocation of their own.
    await usage.getByRole("button", { name: `Set allocation for ${light}` }).click();
    const dialog = page.getByRole("dialog", { name: `Allocation for ${light}` });
    await dialog.getByLabel(/Allocation per refresh/).fill("500");
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(dialog).toBeHidden();
    await expect(usage.getByRole("row").filter({ hasText: light }).getByRole("cell").nth(2)).toHaveText("500");

    // Search on the server.
    await page.getByLabel("User", { exact: true }).fill(medium);
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page).toHaveURL(/q=medium/);
    await expect(usage.getByRole("row")).toHaveCount(2);

    // A user's page: chart with the credit line, burn rate, run-out.
    await page.goto(`/providers/${providerId}/allocation/users/${heavyId}`);
    await expect(page.getByRole("heading", { name: `${heavy} on ${name}` })).toBeVisible();
    const chart = page.getByRole("img", { name: /Cumulative usage of heavy-/ });
    await expect(chart).toBeVisible();
    await expect(chart).toHaveAttribute("aria-label", /of 200 GB RAM-hours of credit used/);
    await expect(chart).toHaveAttribute("aria-label", /burning 8 GB RAM-hours per hour/);
    await expect(page.getByTestId("credit-line")).toBeAttached();
    await expect(page.getByTestId("usage-line")).toBeAttached();
    await expect(page.getByTestId("stat-credit")).toHaveText("200");
    await expect(page.getByTestId("stat-burn")).toHaveText("8 / h");
    await expect(page.getByTestId("stat-runout")).toContainText(/UTC/);
    await expect(page.getByRole("table", { name: `Instance history of ${heavy} this window` })).toContainText(`${heavy}-vm`);

    // Both changes are in the audit log.
    await page.goto("/audit?action=allocation.");
    const audit = page.getByRole("table", { name: "Audit log entries" });
    await expect(audit.getByText("allocation.update").first()).toBeVisible();
    await expect(audit.getByText("allocation.override").first()).toBeVisible();
    await expect(audit.getByRole("row").filter({ hasText: "allocation.update" }).first()).toContainText('"threshold":200');
  });

  test("a provider without a strategy prompts to create one", async ({ page, sql }) => {
    const name = `cptest-alloc-none-${Date.now().toString(36)}`;
    const providerId = await seedProvider(sql, name, false);
    await page.goto("/allocation");
    const row = page.getByRole("table", { name: "Allocation strategies by provider" }).getByRole("row").filter({ hasText: name });
    await expect(row).toContainText("No strategy");
    await row.getByRole("link", { name: `Create strategy for ${name}` }).click();
    await expect(page).toHaveURL(new RegExp(`/providers/${providerId}/allocation$`));
    await expect(page.getByText(`${name} has no allocation strategy yet.`)).toBeVisible();
    await expect(page.getByText("Create a strategy to see usage.")).toBeVisible();
    await page.getByRole("button", { name: "Create strategy" }).click();
    await expect(page.getByText("Strategy created.")).toBeVisible();
    await expect(page.getByTestId("saved-summary")).toHaveText(SEED_SUMMARY);
    await expect(page.getByTestId("current-summary")).toHaveText(SEED_SUMMARY);
    await expect(page.getByText("No accounts on this provider yet")).toBeVisible();
  });
});
