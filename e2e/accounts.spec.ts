import { readFileSync } from "node:fs";
import { createClient, type OpenStackClient } from "../lib/openstack/client";
import { encryptSecret } from "../lib/secrets";
import { cloudEnv } from "./cloud";
import { ADMIN_STATE, expect, test } from "./support";

test.use({ storageState: ADMIN_STATE });

// The key playwright.config.ts gives the e2e server, so the server can decrypt what we store.
const SERVER_KEY = Buffer.from(process.env.CLOUDPORT_SECRET_KEY ?? Buffer.alloc(32, 7).toString("base64"), "base64");
const env = cloudEnv();

/** Deletes whatever is left of accounts named `names` (only matters when the test failed half-way). */
async function removeLeftovers(os: OpenStackClient, names: string[]) {
  for (const name of names) {
    const quiet = (p: Promise<unknown>) => p.catch(() => undefined);
    for (const n of await os.network.networks.list({ name: `${name}-net` })) {
      for (const p of await os.network.ports.list({ networkId: n.id })) {
        if (p.deviceOwner.startsWith("network:router_interface")) await quiet(os.network.routers.removeInterface(p.deviceId, { portId: p.id }));
      }
      await quiet(os.network.networks.delete(n.id));
    }
    for (const p of await os.identity.projects.list({ name })) {
      for (const g of (await os.network.securityGroups.list()).filter((g) => g.projectId === p.id)) await quiet(os.network.securityGroups.delete(g.id));
      await quiet(os.identity.projects.delete(p.id));
    }
    for (const u of await os.identity.users.list({ name })) await quiet(os.identity.users.delete(u.id));
  }
}

test("an operator provisions two accounts on the lab from the UI, watches them complete, exports an openrc and removes them", async ({ page, sql }) => {
  test.setTimeout(300_000);
  const tag = `cptest-e2e${Date.now().toString(36).slice(-5)}`;
  const names = [`${tag}-a`, `${tag}-b`];
  const accountSecret = `e2e-account-secret-${tag}-0123456789abcdef`;
  const [provider] = await sql<{ id: number }[]>`
    insert into providers (name, auth_url, region, auth_method, admin_username, admin_project_name, user_domain_name,
      project_domain_name, network_name, public_routers, cloud_config)
    values (${`e2e-accounts-${tag}`}, ${env.OS_AUTH_URL}, ${env.OS_REGION_NAME ?? "RegionOne"}, 'password', ${env.OS_USERNAME},
      ${env.OS_PROJECT_NAME}, ${env.OS_USER_DOMAIN_NAME ?? "Default"}, ${env.OS_PROJECT_DOMAIN_NAME ?? "Default"}, 'public',
      ${["public_router"]}, ${sql.json({
        network: { topology: "External Router Topology", dns_nameservers: ["8.8.8.8"], default_security_rules: [["ICMP", -1, -1], ["TCP", 22, 22]] },
        user: { admin_role_name: "admin", user_role_name: "member", domain: "default" },
        deploy: { hostname_format: "%(one)s.%(two)s.%(three)s.%(four)s" },
      })})
    returning id`;
  await sql`insert into provider_secrets (provider_id, credential_secret, account_secret)
    values (${provider.id}, ${encryptSecret(env.OS_PASSWORD, SERVER_KEY)}, ${encryptSecret(accountSecret, SERVER_KEY)})`;

  try {
    await page.goto(`/providers/${provider.id}/accounts`);
    await expect(page.getByRole("heading", { name: `Accounts on e2e-accounts-${tag}`, level: 1 })).toBeVisible();
    await expect(page.getByText("No accounts yet")).toBeVisible();

    // Paste two unknown usernames: they become portal users and get accounts.
    await page.getByLabel("Usernames").fill(`${names[0]},\n${names[1]}`);
    await page.getByRole("button", { name: "Provision accounts" }).click();
    await expect(page.getByText(`New portal users: ${names[0]}, ${names[1]}.`)).toBeVisible();
    const job = page.locator("section[data-job-id]").first();
    await expect(job.getByRole("table", { name: "Per-user progress" })).toBeVisible();

    // The job is durable: after a reload the page finds it again and keeps following it.
    await page.reload();
    const progress = page.locator("section[data-job-id]").first().getByRole("table", { name: "Per-user progress" });
    for (const n of names) await expect(progress.locator(`tr[data-username="${n}"][data-status="done"]`)).toBeVisible({ timeout: 180_000 });
    await expect(page.locator("section[data-job-id]").first().locator('[data-job-state="succeeded"]')).toBeVisible();

    // The list shows both accounts active, with their ids.
    const accounts = page.getByRole("table", { name: "Accounts" });
    for (const n of names) {
      const row = accounts.locator(`tr[data-username="${n}"]`);
      await expect(row).toHaveAttribute("data-state", "active");
      await expect(row.getByText(/^172\.(1[6-9]|2\d|3[01])\.\d+\.0\/24$/)).toBeVisible();
    }

    // The openrc asks for the password; it never contains it.
    const download = page.waitForEvent("download");
    await accounts.locator(`tr[data-username="${names[0]}"]`).getByRole("button", { name: `Download openrc of ${names[0]}` }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`${names[0]}-e2e-accounts-${tag}-openrc.sh`);
    const text = readFileSync((await file.path())!, "utf8");
    expect(text).toContain(`export OS_USERNAME="${names[0]}"`);
    expect(text).toContain("read -sr OS_PASSWORD_INPUT");
    expect(text).not.toMatch(/[0-9a-f]{64}/);

    // Remove both: search, select the page, confirm.
    await page.getByLabel("Search accounts (username, project)").fill(tag);
    await page.getByRole("button", { name: "Search" }).click();
    // The search is a navigation: select only once it has landed, or the new page clears the selection.
    await expect(page).toHaveURL(new RegExp(`[?&]q=${tag}`));
    await expect(accounts.locator("tbody tr")).toHaveCount(2);
    await page.getByLabel("Select every account on this page").check();
    await page.getByRole("button", { name: "Remove selected…" }).click();
    const dialog = page.getByRole("dialog", { name: "Remove 2 accounts?" });
    await expect(dialog.getByText("the Keystone project and the Keystone user")).toBeVisible();
    await dialog.getByRole("button", { name: "Remove 2 accounts" }).click();
    await expect(page.getByText("Removal started: follow it above.")).toBeVisible();
    const removal = page.locator('section[data-job-id]').first();
    for (const n of names) await expect(removal.locator(`tr[data-username="${n}"][data-status="done"]`)).toBeVisible({ timeout: 120_000 });

    // They stay listed as removed (history), and every action is in the audit log.
    await page.goto(`/providers/${provider.id}/accounts?state=removed&q=${tag}`);
    for (const n of names) await expect(page.getByRole("table", { name: "Accounts" }).locator(`tr[data-username="${n}"]`)).toHaveAttribute("data-state", "removed");
    // Without a live account they are candidates again, in the other list.
    await page.getByRole("link", { name: "Portal users without an account" }).click();
    await page.getByLabel("Search users (username, name, email)").fill(tag);
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page.getByRole("table", { name: "Portal users without an account" }).locator("tbody tr")).toHaveCount(2);
    await page.goto("/audit?action=accounts.");
    const audit = page.getByRole("table", { name: "Audit log entries" });
    for (const action of ["accounts.provision", "accounts.export_openrc", "accounts.remove"]) await expect(audit.getByText(action, { exact: true }).first()).toBeVisible();
    await expect(audit).not.toContainText(accountSecret);
  } finally {
    const os = await createClient({
      authUrl: env.OS_AUTH_URL,
      region: env.OS_REGION_NAME,
      auth: { type: "password", username: env.OS_USERNAME, password: env.OS_PASSWORD, userDomainName: env.OS_USER_DOMAIN_NAME, projectName: env.OS_PROJECT_NAME, projectDomainName: env.OS_PROJECT_DOMAIN_NAME },
    });
    try {
      await removeLeftovers(os, names);
    } finally {
      await os.close();
    }
  }
});

test("a provider whose role is missing fails each user with the cloud's reason, touching nothing", async ({ page, sql }) => {
  const tag = `cptest-e2e${Date.now().toString(36).slice(-5)}`;
  const [provider] = await sql<{ id: number }[]>`
    insert into providers (name, auth_url, region, auth_method, admin_username, admin_project_name, network_name, public_routers, cloud_config)
    values (${`e2e-badrole-${tag}`}, ${env.OS_AUTH_URL}, ${env.OS_REGION_NAME ?? "RegionOne"}, 'password', ${env.OS_USERNAME},
      ${env.OS_PROJECT_NAME}, 'public', ${["public_router"]},
      ${sql.json({ network: { topology: "External Router Topology" }, user: { admin_role_name: "admin", user_role_name: "cptest-no-such-role", domain: "default" } })})
    returning id`;
  await sql`insert into provider_secrets (provider_id, credential_secret, account_secret)
    values (${provider.id}, ${encryptSecret(env.OS_PASSWORD, SERVER_KEY)}, ${encryptSecret(`secret-${tag}-0123456789abcdef0123`, SERVER_KEY)})`;

  await page.goto(`/providers/${provider.id}/accounts`);
  await page.getByLabel("Usernames").fill(`${tag}-x`);
  await page.getByRole("button", { name: "Provision accounts" }).click();
  const job = page.locator("section[data-job-id]").first();
  await expect(job.locator('[data-job-state="failed"]')).toBeVisible({ timeout: 60_000 });
  const row = job.locator(`tr[data-username="${tag}-x"]`);
  await expect(row).toHaveAttribute("data-status", "failed");
  await expect(row).toContainText('Keystone has no role "cptest-no-such-role"');
  await expect(job.getByRole("button", { name: "Retry the 1 failed user" })).toBeVisible();
});
