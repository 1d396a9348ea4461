import { SEED_TIERS } from "../lib/domain/quotas";
import { insertLabProvider, labAdmin } from "./cloud";
import { ADMIN_STATE, expect, test } from "./support";

test.use({ storageState: ADMIN_STATE });


test("enforcement: dry run, then enable it, run it, and see the cores quota at 0 on the cloud and on the user's page", async ({ page, sql, makeUser }) => {
  test.setTimeout(240_000);
  const tag = `cptest-enf${Date.now().toString(36).slice(-6)}`;
  const os = await labAdmin();
  const project = await os.identity.projects.create({ name: tag, description: "cptest enforcement e2e" });
  try {
    await os.compute.quotaSets.update(project.id, { cores: 16 });
    const provider = { id: await insertLabProvider(sql, `e2e-enf-${tag}`, { cloudConfig: { user: { admin_role_name: "admin", user_role_name: "member", domain: "default" } }, accountSecret: `acct-${tag}-0123456789abcdef0123` }) };
    await sql`insert into allocation_strategies (provider_id, counting_behavior, refresh_behaviors, rules_behaviors, threshold)
      values (${provider.id}, 'Count all time', '{"No Refresh"}', '{"Multiply by Size CPU"}', 4)`;
    const userId = await makeUser({ username: tag, password: "not-used-Passw0rd!" });
    await sql`update users set joined_at = now() - interval '2 days' where id = ${userId}`;
    const [identity] = await sql<{ id: number }[]>`insert into identities (user_id, provider_id, project_name, project_id, state)
      values (${userId}, ${provider.id}, ${tag}, ${project.id}, 'active') returning id`;
    // 2 vCPUs for 3 hours: 6 CPU-hours of 4 (150 %).
    const [inst] = await sql<{ id: number }[]>`insert into instances (provider_id, identity_id, server_id, name, project_id, status)
      values (${provider.id}, ${identity.id}, ${`srv-${tag}`}, ${`${tag}-vm`}, ${project.id}, 'ACTIVE') returning id`;
    await sql`insert into instance_status_history (instance_id, status, vcpus, ram_mb, disk_gb, start_date)
      values (${inst.id}, 'active', 2, 2048, 20, now() - interval '3 hours')`;

    await page.goto(`/providers/${provider.id}/enforcement`);
    await expect(page.getByRole("link", { name: "Enforcement" })).toHaveAttribute("aria-current", "page");
    await expect(page.getByTestId("enforcement-status")).toContainText("off");

    // Dry run with the default policy (off, notify only): the user is listed at 150 %, nothing would be done.
    await page.getByRole("button", { name: "Dry run: if enforcement ran now" }).click();
    const dry = page.getByRole("table", { name: "Dry run" });
    const row = dry.locator(`tr[data-username="${tag}"]`);
    await expect(row).toContainText("150 %");
    await expect(row).toContainText("the policy takes no action at 100 %");

    // A bad threshold list is explained; then the real policy.
    await page.getByLabel("Notify at (% of the allocation)").fill("80, lots");
    await page.getByRole("button", { name: "Save policy" }).click();
    await expect(page.getByText("Thresholds are whole percents, e.g. 80, 100.", { exact: true })).toBeVisible();
    await expect(page.getByRole("alert").filter({ hasText: "Check the form: notify at, item 2" })).toBeVisible();
    await page.getByLabel("Notify at (% of the allocation)").fill("80, 100");
    await page.getByLabel("At 100 %").selectOption("zero_cores");
    await page.getByLabel("Enforcement enabled").check();
    await page.getByRole("button", { name: "Save policy" }).click();
    await expect(page.getByText("Enforcement policy saved; enforcement is on and runs every 60 minutes.")).toBeVisible();

    await page.getByRole("button", { name: "Dry run: if enforcement ran now" }).click();
    await expect(dry.locator(`tr[data-username="${tag}"]`)).toContainText("cores quota set to 0 (servers keep running)");

    await page.getByRole("button", { name: "Run enforcement now" }).click();
    await expect(page.locator('[data-job-state="succeeded"]')).toBeVisible({ timeout: 120_000 });
    await expect.poll(async () => (await os.compute.quotaSets.get(project.id)).cores, { timeout: 10_000 }).toBe(0);

    await page.reload();
    const events = page.getByRole("table", { name: "Enforcement events" });
    await expect(events.locator(`tr[data-kind="zero_cores"][data-username="${tag}"]`)).toContainText("cores quota 16 → 0");

    // The user's allocation page says what happened and what they can do.
    await events.getByRole("link", { name: tag }).first().click();
    await expect(page.getByTestId("enforcement-state")).toContainText("the cores quota is 0, so no new server can start");
    await expect(page.getByRole("table", { name: `Enforcement events of ${tag}` }).locator('tr[data-kind="zero_cores"]')).toHaveCount(1);
    // Exempt them: the next run gives the cores back.
    await page.getByLabel("Enforcement for this user").selectOption("never");
    await page.getByRole("button", { name: "Save override" }).click();
    await expect(page.getByText(`${tag} is never enforced. It takes effect at the next run.`)).toBeVisible();
    await page.goto(`/providers/${provider.id}/enforcement`);
    await page.getByRole("button", { name: "Run enforcement now" }).click();
    await expect(page.locator('[data-job-state="succeeded"]')).toBeVisible({ timeout: 120_000 });
    // Back to what Cloudport manages for the account: the provider's default tier.
    const tierCores = SEED_TIERS.find((t) => t.isDefault)!.values.cores;
    await expect.poll(async () => (await os.compute.quotaSets.get(project.id)).cores, { timeout: 10_000 }).toBe(tierCores);

    // Staff see both on Notifications.
    await page.goto("/notifications");
    const list = page.getByRole("table", { name: "Notifications" });
    await expect(list.getByText(`[Cloudport] ${tag}: allocation used up on e2e-enf-${tag}`)).toBeVisible();
    await expect(list.getByText(`[Cloudport] ${tag}: allocation restored on e2e-enf-${tag}`)).toBeVisible();

    const audit = await sql<{ action: string }[]>`select action from audit_log where action like 'enforcement.%' and (target_id = ${String(provider.id)} or target_id = ${String(identity.id)})`;
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(["enforcement.policy_saved", "enforcement.run_requested", "enforcement.run", "enforcement.zero_cores", "enforcement.override", "enforcement.restore"]),
    );
  } finally {
    await os.identity.projects.delete(project.id).catch(() => undefined);
    await os.close();
  }
});
