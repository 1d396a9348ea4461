import { effectiveQuota, SEED_TIERS } from "../lib/domain/quotas";
import { insertLabProvider, labAdmin } from "./cloud";
import { ADMIN_STATE, expect, test } from "./support";

test.use({ storageState: ADMIN_STATE });

const medium = effectiveQuota(SEED_TIERS.find((t) => t.isDefault)!.values);

test("drift: an out-of-band cores change shows on the Drift tab after a check, and Apply fixes the cloud", async ({ page, sql, makeUser }) => {
  test.setTimeout(300_000);
  const tag = `cptest-quotas-drift${Date.now().toString(36).slice(-5)}`;
  const os = await labAdmin();
  const project = await os.identity.projects.create({ name: tag, description: "cptest-quotas drift e2e" });
  try {
    // The project as Cloudport would have set it up: admin role, default group, the default tier…
    const admin = await os.identity.roles.findByName("admin");
    await os.identity.roleAssignments.grantOnProject({ projectId: project.id, userId: os.token.user.id, roleId: admin!.id });
    await os.network.securityGroups.list({ name: "default", projectId: project.id });
    await os.compute.quotaSets.update(project.id, { instances: medium.instances, cores: medium.cores, ramMb: medium.ram });
    await os.blockStorage.quotaSets.update(project.id, { volumes: medium.volumes, gigabytes: medium.gigabytes, snapshots: medium.snapshots });
    await os.network.quotas.update(project.id, {
      floatingip: medium.floatingip,
      network: medium.network,
      subnet: medium.subnet,
      port: medium.port,
      router: medium.router,
      securityGroup: medium.security_group,
      securityGroupRule: medium.security_group_rule,
    });
    // …then changed out of band.
    await os.compute.quotaSets.update(project.id, { cores: 99 });

    const provider = { id: await insertLabProvider(sql, `e2e-drift-${tag}`, { cloudConfig: { network: { default_security_rules: [] }, user: { admin_role_name: "admin", user_role_name: "member", domain: "default" } }, accountSecret: `acct-${tag}-0123456789abcdef0123` }) };
    const userId = await makeUser({ username: tag, password: "not-used-Passw0rd!" });
    await sql`insert into identities (user_id, provider_id, project_name, project_id, state)
      values (${userId}, ${provider.id}, ${tag}, ${project.id}, 'active')`;

    await page.goto(`/providers/${provider.id}/drift`);
    await expect(page.getByRole("link", { name: "Drift" })).toHaveAttribute("aria-current", "page");
    await expect(page.getByText("Not checked yet.")).toBeVisible();
    // The schedule: a bad interval is explained, then every 2 hours.
    const schedule = page.getByRole("form", { name: "Drift check schedule" });
    await schedule.getByLabel("Check for drift every").fill("2");
    await schedule.getByLabel("Drift check interval unit").selectOption("minutes");
    await schedule.getByRole("button", { name: "Save schedule" }).click();
    await expect(schedule.getByRole("alert")).toHaveText("Check at most every 5 minutes.");
    await schedule.getByLabel("Drift check interval unit").selectOption("hours");
    await schedule.getByRole("button", { name: "Save schedule" }).click();
    await expect(schedule.getByText("Saved: the drift check runs every 2 hours.")).toBeVisible();
    await page.reload();
    await expect(page.getByText("Checked every 2 hours.")).toBeVisible();
    await page.getByRole("button", { name: "Check now" }).click();
    await expect(page.locator('[data-job-state="succeeded"]')).toBeVisible({ timeout: 120_000 });
    await page.reload();
    const table = page.getByRole("table", { name: "Drift differences" });
    await expect(table.locator("tbody tr")).toHaveCount(1);
    await expect(table.getByText(`cores: Cloudport ${medium.cores}, cloud 99`)).toBeVisible();

    await table.getByRole("button", { name: `Apply ${tag} cores: Cloudport ${medium.cores}, cloud 99` }).click();
    await expect(page.getByText(`Applying: cores: Cloudport ${medium.cores}, cloud 99.`)).toBeVisible();
    await expect(table.locator('[data-job-state="succeeded"]')).toBeVisible({ timeout: 120_000 });
    expect((await os.compute.quotaSets.get(project.id)).cores).toBe(medium.cores);
    await page.reload();
    await expect(page.getByText("No open differences")).toBeVisible();

    const actions = await sql<{ action: string }[]>`select action from audit_log where action like 'drift.%' and (target_id = ${String(provider.id)} or details->>'providerId' = ${String(provider.id)})`;
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(["drift.schedule_saved", "drift.check_requested", "drift.check", "drift.apply_requested", "drift.apply"]));
  } finally {
    await os.identity.projects.delete(project.id).catch(() => undefined);
    await os.close();
  }
});
