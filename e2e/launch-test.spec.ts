import { generateAccountSecret } from "../lib/domain/account-password";
import { createTestAccount, insertProvider, sshPublicKey, type TestAccount } from "../lib/launch/testing";
import { createClient, type OpenStackClient } from "../lib/openstack/client";
import { labOptions } from "../lib/openstack/testing/env";
import { encryptSecret } from "../lib/secrets";
import { cloudEnv } from "./cloud";
import { ADMIN_STATE, expect, test } from "./support";

test.use({ storageState: ADMIN_STATE });

// The key the e2e server seals secrets with (playwright.config.ts).
const KEY = process.env.CLOUDPORT_SECRET_KEY ? Buffer.from(process.env.CLOUDPORT_SECRET_KEY, "base64") : Buffer.alloc(32, 7);

test("an operator runs a launch test and follows it to ACTIVE and a clean clean-up", async ({ page, sql }) => {
  test.setTimeout(300_000);
  const env = cloudEnv();
  const suffix = Math.random().toString(36).slice(2, 8);
  const name = `cptest-${suffix}-e2e`;
  const accountSecret = generateAccountSecret();
  let admin: OpenStackClient | null = null;
  let account: TestAccount | null = null;
  try {
    admin = await createClient(labOptions({ timeoutMs: 60_000 }));
    account = await createTestAccount(admin, { name, accountSecret, cidr: "172.31.252.0/24" });
    const [flavor, image] = await Promise.all([admin.compute.flavors.findByName("m1.nano"), admin.image.images.findByName("cirros-0.6-fake")]);

    const providerId = await insertProvider(sql, {
      name: `e2e-launch-${suffix}`,
      env,
      accountSecret,
      key: KEY,
      encrypt: encryptSecret,
      hostnameFormat: "vm%(four)s.%(domain)s",
      domain: "e2e.example.org",
    });
    const [owner] = await sql<{ id: number }[]>`insert into users (username) values (${name}) returning id`;
    const [identity] = await sql<{ id: number }[]>`
      insert into identities (user_id, provider_id, project_name, project_id, openstack_user_id, network_id, subnet_id, router_id, router_owned, state)
      values (${owner.id}, ${providerId}, ${account.projectName}, ${account.projectId}, ${account.userId}, ${account.networkId}, ${account.subnetId}, ${account.routerId}, true, 'active')
      returning id`;
    await sql`insert into machines (provider_id, image_id, name, visibility) values (${providerId}, ${image!.id}, 'cirros-0.6-fake', 'public')`;
    await sql`insert into sizes (provider_id, flavor_id, name, vcpus, ram_mb, disk_gb) values (${providerId}, ${flavor!.id}, 'm1.nano', 1, 128, 1)`;

    await page.goto(`/launch-test?launch=${providerId}`);
    const form = page.getByRole("form", { name: "Launch test" });
    await form.getByLabel("Account (identity)").selectOption(String(identity.id));
    await form.getByLabel("Filter images").fill("cirros");
    await form.getByLabel("Image", { exact: true }).selectOption(image!.id);
    await form.getByLabel("Size (flavor)").selectOption(flavor!.id);
    // Listed as the account itself: proves it can sign in before anything boots.
    await expect(form.getByLabel("Network")).toHaveValue(account.networkId, { timeout: 30_000 });
    await form.getByLabel("Public key (optional)").fill(sshPublicKey("e2e@cloudport"));
    await form.getByLabel("Wait for SSH (seconds)").fill("2");
    await form.getByRole("button", { name: "Launch test" }).click();

    await expect(page).toHaveURL(/\/launch-test\/runs\/\d+$/);
    const runId = Number(/\/runs\/(\d+)$/.exec(page.url())![1]);
    const timeline = page.getByRole("list", { name: "Timeline" });
    // BUILD phases, then ACTIVE, live (the page polls; no reload).
    await expect(timeline.getByText(/^BUILD/).first()).toBeVisible({ timeout: 90_000 });
    await expect(timeline.getByText("ACTIVE", { exact: true })).toBeVisible({ timeout: 120_000 });
    await expect(page.getByTestId("cleanup-state")).toHaveAttribute("data-cleanup", "done", { timeout: 150_000 });
    await expect(page.locator("[data-run-state]")).toHaveAttribute("data-run-state", "passed");
    await expect(page.getByTestId("run-result")).toContainText(/ACTIVE in .* · 203\.0\.113\.\d+ · vm\d+\.e2e\.example\.org/);
    await expect(page.getByText("Done: everything the run created is gone.")).toBeVisible();
    // The lab has no data plane: SSH is a warning, not a failure.
    await expect(page.getByText(/Unreachable from the console/).first()).toBeVisible();
    const steps = page.getByRole("table", { name: "Steps" });
    for (const label of ["Delete the server", "Release floating IP", "Delete key pair"]) {
      await expect(steps.getByRole("row").filter({ hasText: label }).getByText("passed")).toBeVisible();
    }

    // A reload shows the same stored run.
    await page.reload();
    await expect(timeline.getByText("ACTIVE", { exact: true })).toBeVisible();

    // Stored, listed and filterable.
    await page.goto(`/launch-test?provider=${providerId}&state=passed`);
    const table = page.getByRole("table", { name: "Launch tests" });
    await expect(table.getByRole("link", { name: `#${runId}` })).toBeVisible();
    const [run] = await sql<{ state: string; duration_ms: number; created_by: number | null }[]>`select state, duration_ms, created_by from launch_tests where id = ${runId}`;
    expect(run.state).toBe("passed");
    expect(run.duration_ms).toBeGreaterThan(0);
    const [audit] = await sql<{ n: number }[]>`select count(*)::int as n from audit_log where action = 'launch_test.start' and target_id = ${String(runId)}`;
    expect(audit.n).toBe(1);

    // Nothing left in the account's project.
    const servers = await admin.compute.servers.list({ allTenants: true, projectId: account.projectId });
    expect(servers.map((s) => s.name)).toEqual([]);
    expect(await admin.network.floatingIps.list({ projectId: account.projectId })).toEqual([]);
  } finally {
    try {
      await account?.remove();
    } finally {
      await admin?.close();
    }
  }
});
