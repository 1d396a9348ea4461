import { insertLabProvider, labAdmin } from "./cloud";
import { ADMIN_STATE, expect, test } from "./support";

test.use({ storageState: ADMIN_STATE });


test("an operator changes an account's quota tier: the cloud gets it through all three APIs, and it is audited", async ({ page, sql, makeUser }) => {
  test.setTimeout(240_000);
  const tag = `cptest-quotas-e2e${Date.now().toString(36).slice(-5)}`;
  const os = await labAdmin();
  const project = await os.identity.projects.create({ name: tag, description: "cptest-quotas e2e" });
  try {
    const provider = { id: await insertLabProvider(sql, `e2e-quotas-${tag}`, { accountSecret: `acct-${tag}-0123456789abcdef0123` }) };
    const userId = await makeUser({ username: tag, password: "not-used-Passw0rd!" });
    const [identity] = await sql<{ id: number }[]>`
      insert into identities (user_id, provider_id, project_name, project_id, state)
      values (${userId}, ${provider.id}, ${tag}, ${project.id}, 'active') returning id`;

    await page.goto(`/providers/${provider.id}/quotas`);
    await expect(page.getByRole("table", { name: "Quota tiers" }).getByText("small", { exact: true })).toBeVisible();
    await page.getByRole("table", { name: "Account quotas" }).getByRole("link", { name: tag }).click();
    await expect(page.getByRole("heading", { name: `Quota of ${tag}`, level: 1 })).toBeVisible();

    // Small tier, with 3 cores of its own.
    await page.getByLabel("Tier", { exact: true }).selectOption({ label: "small" });
    await page.getByLabel("Custom Cores").fill("3");
    await page.getByRole("button", { name: "Apply to the cloud" }).click();
    await expect(page.getByText(new RegExp(`^${tag}: \\d+ values? changed on the cloud\\.$`))).toBeVisible({ timeout: 60_000 });

    // Read back from the cloud directly, through each API.
    expect(await os.compute.quotaSets.get(project.id)).toMatchObject({ cores: 3, instances: 2, ramMb: 8192 });
    expect(await os.blockStorage.quotaSets.get(project.id)).toMatchObject({ volumes: 2, gigabytes: 50 });
    expect(await os.network.quotas.get(project.id)).toMatchObject({ floatingip: 1, port: 10, securityGroupRule: 100 });
    // The page (re-rendered) shows the cloud's values beside usage.
    await page.reload();
    await expect(page.getByTestId("cloud-cores")).toHaveText("3");
    await expect(page.getByTestId("usage-cores")).toHaveText("0");
    await expect(page.getByTestId("cloud-gigabytes")).toHaveText("50");

    // The list shows the tier and custom badge; the audit log has the before/after.
    await page.goto(`/providers/${provider.id}/quotas?q=${tag}`);
    const row = page.getByRole("table", { name: "Account quotas" }).locator("tbody tr").first();
    await expect(row.getByText("small")).toBeVisible();
    await expect(row.getByText("custom")).toBeVisible();
    const [audit] = await sql<{ details: { after: { cores: number }; tier: string } }[]>`
      select details from audit_log where action = 'quotas.apply' and target_id = ${String(identity.id)} order by id desc limit 1`;
    expect(audit.details).toMatchObject({ tier: "small", after: { cores: 3 } });
  } finally {
    await os.identity.projects.delete(project.id).catch(() => undefined);
    await os.close();
  }
});
