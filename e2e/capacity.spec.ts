import { insertLabProvider } from "./cloud";
import { ADMIN_STATE, expect, test } from "./support";

test.use({ storageState: ADMIN_STATE });


test("the capacity tab says what still fits and asks Placement; the home shows the cloud's capacity and last import", async ({ page, sql }) => {
  test.setTimeout(240_000);
  const name = `e2e-capacity-${Date.now().toString(36)}`;
  const provider = { id: await insertLabProvider(sql, name) };
  try {
    // Schedules far ahead, so only the buttons run jobs while the test watches.
    await sql`insert into import_schedules (provider_id, resource, interval_seconds, next_run_at)
              values (${provider.id}, 'sizes', 1800, now() + interval '1 day'),
                     (${provider.id}, 'machines', 86400, now() + interval '1 day'),
                     (${provider.id}, 'members', 3600, now() + interval '1 day'),
                     (${provider.id}, 'instances', 900, now() + interval '1 day'),
                     (${provider.id}, 'volumes', 1800, now() + interval '1 day'),
                     (${provider.id}, 'capacity', 900, now() + interval '1 day')`;
    // The drift check's hourly schedule too: a new provider's first check is due at once, and
    // the home's "0 running" below must not race it.
    await sql`insert into drift_settings (provider_id, next_run_at) values (${provider.id}, now() + interval '1 day')`;

    // Import the lab's flavors, the way an operator does.
    await page.goto(`/providers/${provider.id}/imports`);
    const sizes = page.getByRole("group", { name: `Sizes of ${name}` });
    await sizes.getByRole("button", { name: "Import sizes" }).click();
    await expect(sizes.locator('[data-job-state="succeeded"]')).toBeVisible({ timeout: 90_000 });

    await page.getByRole("navigation", { name: "Provider sections" }).getByRole("link", { name: "Capacity" }).click();
    await expect(page).toHaveURL(new RegExp(`/providers/${provider.id}/capacity$`));
    await expect(page.getByRole("heading", { name: "Capacity", level: 1 })).toBeVisible();

    // The lab's compute host with its inventories.
    const host = page.getByRole("region", { name: /^Host / }).first();
    const hostName = ((await host.getByRole("heading", { level: 3 }).textContent()) ?? "").trim();
    expect(hostName).not.toBe("");
    const vcpu = host.getByRole("table", { name: `Inventories of ${hostName}` }).locator('tr[data-class="VCPU"]');
    expect(Number(await vcpu.locator('[data-field="total"]').textContent())).toBeGreaterThan(0);

    // What still fits: the lab's small flavors fit, and the biggest fitting one is named.
    const fits = page.getByRole("table", { name: "What still fits" });
    const nano = fits.locator('tr[data-flavor="m1.nano"]');
    await expect(nano).toBeVisible();
    expect(Number((await nano.locator('[data-field="fits"]').textContent())?.replace(/,/g, ""))).toBeGreaterThan(0);
    await expect(page.locator('[data-field="largest-fitting"]')).toContainText("Largest flavor that still fits anywhere: ");

    // Placement's own answer for m1.nano names the lab's host.
    await page.getByLabel("Ask Placement about a flavor").selectOption({ label: "m1.nano" });
    await page.getByRole("button", { name: "Ask", exact: true }).click();
    await expect(page).toHaveURL(/[?&]flavor=/);
    await expect(page.getByRole("heading", { name: "Placement's answer for m1.nano" })).toBeVisible();
    await expect(page.getByRole("list", { name: "Hosts that would take it" }).getByText(hostName)).toBeVisible();

    // A snapshot now: the job runs, and the trend starts.
    await page.getByRole("button", { name: "Take a snapshot now" }).click();
    await expect(page.locator('[data-job-state="succeeded"]')).toBeVisible({ timeout: 60_000 });
    await page.reload();
    await expect(page.locator('figure[data-class="VCPU"]')).toBeVisible();

    // The home: the provider's card with its capacity and last import, and the audit entry.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Home" }).click();
    await expect(page).toHaveURL(/\/$/);
    const card = page.locator(`[data-provider="${name}"]`);
    await expect(card.getByRole("meter", { name: /^vCPUs: .* used/ })).toBeVisible();
    await expect(card.getByRole("meter", { name: /^Memory: / })).toBeVisible();
    await expect(card.locator('li[data-resource="sizes"]')).toContainText("succeeded");
    await expect(card.getByText("0 running")).toBeVisible();
    await card.getByRole("link", { name: `Capacity of ${name}` }).click();
    await expect(page).toHaveURL(new RegExp(`/providers/${provider.id}/capacity$`));
    await page.goto("/");
    await expect(page.getByRole("table", { name: "Latest audit events" }).getByText("capacity.snapshot").first()).toBeVisible();
  } finally {
    await sql`delete from providers where id = ${provider.id}`;
  }
});
