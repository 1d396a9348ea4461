import { insertLabProvider } from "./cloud";
import { ADMIN_STATE, expect, test } from "./support";

test.use({ storageState: ADMIN_STATE });


test("an operator imports a cloud's sizes, images and instances and sets the schedule", async ({ page, sql }) => {
  test.setTimeout(180_000);
  const name = `e2e-imports-${Date.now().toString(36)}`;
  // The provider straight in the database, as the wizard would have stored it.
  const provider = { id: await insertLabProvider(sql, name) };
  try {
    // Schedules far ahead, so only the button imports while the test watches.
    await sql`insert into import_schedules (provider_id, resource, interval_seconds, next_run_at)
              values (${provider.id}, 'sizes', 1800, now() + interval '1 day'),
                     (${provider.id}, 'machines', 86400, now() + interval '1 day'),
                     (${provider.id}, 'members', 3600, now() + interval '1 day'),
                     (${provider.id}, 'instances', 900, now() + interval '1 day'),
                     (${provider.id}, 'volumes', 1800, now() + interval '1 day')`;

    await page.goto("/imports");
    const panel = page.getByRole("region", { name });
    await expect(panel.getByRole("group", { name: `Sizes of ${name}` }).getByText("Never imported.")).toBeVisible();
    await panel.getByRole("button", { name: "Import all" }).click();

    const sizes = panel.getByRole("group", { name: `Sizes of ${name}` });
    const images = panel.getByRole("group", { name: `Images of ${name}` });
    const servers = panel.getByRole("group", { name: `Instances of ${name}` });
    const members = panel.getByRole("group", { name: `Image members of ${name}` });
    const volumes = panel.getByRole("group", { name: `Volumes of ${name}` });
    await expect(sizes.getByRole("progressbar", { name: "Sizes import progress" })).toBeVisible();
    for (const card of [sizes, images, members, servers, volumes]) {
      await expect(card.locator('[data-job-state="succeeded"]')).toBeVisible({ timeout: 90_000 });
    }
    await expect(sizes.getByRole("progressbar", { name: "Sizes import progress" })).toHaveAttribute("aria-valuenow", "100");
    const added = async (card: typeof sizes) => Number(/(\d+) added/.exec((await card.getByTestId("import-counts").textContent()) ?? "")?.[1] ?? 0);
    // The lab: m1.nano … m1.large, and two active images (its 2,000 queued bench images are skipped).
    await expect.poll(() => added(sizes)).toBeGreaterThanOrEqual(5);
    await expect.poll(() => added(images)).toBeGreaterThanOrEqual(2);
    expect(await added(images)).toBeLessThan(100);

    const history = panel.getByRole("table", { name: `Import history of ${name}` });
    // Sizes, images, image members, instances and volumes.
    await expect(history.locator("tbody tr")).toHaveCount(5);
    await expect(history.getByText("succeeded")).toHaveCount(5);
    await expect(history.getByText("admin").first()).toBeVisible();

    // The overview says when each runs next; the schedule is changed on the provider's own page.
    await expect(servers.getByTestId("schedule-summary")).toContainText("Every 15 min · next run");
    await servers.getByRole("link", { name: "Change the instances schedule" }).click();
    await expect(page).toHaveURL(new RegExp(`/providers/${provider.id}/imports#schedule-${provider.id}-instances-every$`));
    await expect(page.getByRole("table", { name: `Import history of ${name}` }).locator("tbody tr")).toHaveCount(5);

    // A schedule below 5 minutes is refused, with the reason.
    await servers.getByLabel("Import instances every").fill("2");
    await servers.getByRole("button", { name: "Save" }).click();
    await expect(servers.getByText("Import at most every 5 minutes.")).toBeVisible();
    await expect(servers.getByLabel("Import instances every")).toHaveValue("2");

    await servers.getByLabel("Import instances every").fill("30");
    await servers.getByLabel("Instances interval unit").selectOption("minutes");
    await servers.getByRole("button", { name: "Save" }).click();
    await expect(servers.getByTestId("schedule-summary")).toContainText(/Every 30 min · next run \d{4}-\d\d-\d\d \d\d:\d\d UTC \(in (29|30) min\)/);
    await page.reload();
    await expect(servers.getByLabel("Import instances every")).toHaveValue("30");

    await page.goto("/imports");
    await expect(servers.getByTestId("schedule-summary")).toContainText(/Every 30 min · next run/);
    await page.goto(`/providers/${provider.id}/imports`);

    // The imported images, searched on the server: the lab's known image is there.
    const imported = page.getByRole("table", { name: "Imported images" });
    await expect(imported).toBeVisible();
    const search = page.getByRole("searchbox", { name: "Search images" });
    await search.fill("cirros");
    await search.press("Enter");
    await expect(page).toHaveURL(/[?&]q=cirros/);
    const cirros = imported.getByRole("row").filter({ hasText: "cirros-0.6-fake" });
    await expect(cirros).toHaveCount(1);
    await expect(cirros.getByText("public")).toBeVisible();
    await expect(cirros.getByText("Live")).toBeVisible();
    await expect(imported.getByText("debian-12-fake")).toHaveCount(0);
    await expect(page.getByRole("table", { name: "Imported sizes" }).getByText("m1.nano")).toBeVisible();

    await page.goto("/audit?action=import.");
    const audit = page.getByRole("table", { name: "Audit log entries" });
    await expect(audit.getByText("import.run").first()).toBeVisible();
    await expect(audit.getByText("import.schedule.update")).toBeVisible();
  } finally {
    await sql`delete from providers where id = ${provider.id}`;
  }
});
