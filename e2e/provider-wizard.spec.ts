import { cloudEnv, horizonStyleOpenrc } from "./cloud";
import { ADMIN_STATE, expect, test } from "./support";

test.use({ storageState: ADMIN_STATE });

const env = cloudEnv();

test.describe("provider wizard", () => {
  test("an operator pastes the openrc, enters the password, walks every step and creates the provider", async ({ page }) => {
    test.setTimeout(180_000);
    const name = `e2e-cloud-${Date.now().toString(36)}`;
    await page.goto("/providers");
    await page.getByRole("link", { name: "Add provider" }).first().click();
    await page.getByRole("button", { name: "Start the wizard" }).click();

    // 1. Connect
    await expect(page).toHaveURL(/\/providers\/new\/[0-9a-f-]+\/connect$/);
    await page.getByLabel("Paste an openrc, a clouds.yaml or the add_new_provider JSON").fill(horizonStyleOpenrc(env));
    await page.getByRole("button", { name: "Read it" }).click();
    await expect(page.getByText("The file reads the password from a prompt: enter it below.")).toBeVisible();
    await expect(page.getByLabel("Auth URL (Keystone)")).toHaveValue(env.OS_AUTH_URL);
    await expect(page.getByLabel("Username", { exact: true })).toHaveValue(env.OS_USERNAME);
    await expect(page.getByLabel("Region")).toHaveValue(env.OS_REGION_NAME ?? "RegionOne");
    await expect(page.getByLabel("Password", { exact: true })).toHaveValue("");
    await page.getByLabel("Password", { exact: true }).fill(env.OS_PASSWORD);
    await page.getByRole("button", { name: "Save and verify" }).click();

    // 2. Verify: runs by itself; the lab passes with warnings (plain HTTP, bare IPs).
    await expect(page).toHaveURL(/\/verify$/);
    const checks = page.getByRole("list", { name: "Preflight checks" });
    await expect(checks).toBeVisible({ timeout: 60_000 });
    await expect(checks.locator('[data-status="fail"]')).toHaveCount(0);
    await expect(checks.getByText("Token issued")).toBeVisible();
    await expect(checks.getByText("Admin role held")).toBeVisible();
    await expect(checks.getByText(/plain HTTP/).first()).toBeVisible();

    // The draft survives a reload: the report is still there.
    await page.reload();
    await expect(checks.getByText("Token issued")).toBeVisible();
    await page.getByRole("link", { name: "Continue" }).click();

    // 3. Network
    await expect(page).toHaveURL(/\/network$/);
    await page.getByRole("radio", { name: /^External Router Topology/ }).check();
    const routers = page.getByRole("group", { name: "Public routers" });
    await routers.getByRole("checkbox").first().check();
    await expect(page.getByRole("table", { name: "Security rules" }).locator("tbody tr")).toHaveCount(14);
    // A bad DNS server is refused with a message saying what to fix.
    await page.getByLabel("DNS name servers").fill("8.8.8.8\nnot-an-ip");
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.getByText("DNS name servers must be IPv4 addresses").first()).toBeVisible();
    await page.getByLabel("DNS name servers").fill("8.8.8.8, 8.8.4.4");
    await routers.getByRole("checkbox").first().check();
    await page.getByRole("button", { name: "Continue" }).click();

    // 4. Accounts
    await expect(page).toHaveURL(/\/accounts$/);
    await expect(page.getByLabel("Admin role")).toHaveValue("admin");
    await page.getByLabel("Account secret (at least 32 characters)").fill("too-short");
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.getByText("at least 32 characters").first()).toBeVisible();
    // The message reads as words, never as a field key.
    await expect(page.getByText("Check the form: the account secret must be at least 32 characters.")).toBeVisible();
    await expect(page.getByText(/accountSecret/)).toHaveCount(0);
    await page.getByRole("button", { name: "Generate" }).click();
    await expect(page.getByLabel("Account secret (at least 32 characters)")).toHaveValue(/^[A-Za-z0-9_-]{48}$/);
    await page.getByRole("button", { name: "Continue" }).click();

    // 5. Deploy: live hostname preview over the floating-IP pool.
    await expect(page).toHaveURL(/\/deploy$/);
    await page.getByLabel("Hostname format").fill("static.example.org");
    await expect(page.getByText("at least one octet key").first()).toBeVisible();
    await page.getByLabel("Hostname format").fill("vm%(four)s.%(domain)s");
    await page.getByLabel("Domain for %(domain)s (optional)").fill("lab.example.org");
    const preview = page.getByRole("table", { name: "Hostname preview" });
    await expect(preview.locator("tr").first()).toContainText(/vm\d+\.lab\.example\.org/);
    await page.getByLabel("Provider name").fill(name);
    await page.getByRole("button", { name: "Continue" }).click();

    // Back never loses data.
    await expect(page).toHaveURL(/\/review$/);
    await page.getByRole("link", { name: "Back" }).click();
    await expect(page.getByLabel("Provider name")).toHaveValue(name);
    await expect(page.getByLabel("Hostname format")).toHaveValue("vm%(four)s.%(domain)s");
    await page.getByRole("button", { name: "Continue" }).click();

    // 6. Review
    await expect(page.getByRole("heading", { name: "Admin information" })).toBeVisible();
    await expect(page.getByText("••••••••")).toBeVisible();
    await expect(page.getByText(env.OS_PASSWORD, { exact: true })).toHaveCount(0);
    await page.getByRole("button", { name: "Create provider" }).click();

    await expect(page).toHaveURL(/\/providers\/\d+$/);
    await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
    // The provider page keeps the preflight report and the catalog from the wizard.
    const stored = page.getByRole("list", { name: "Preflight checks" });
    await expect(stored.getByText("Admin role held")).toBeVisible();
    await expect(stored.locator('[data-status="fail"]')).toHaveCount(0);
    await expect(page.getByRole("table", { name: "Service catalog" }).getByText("compute").first()).toBeVisible();
    await page.goto("/providers");
    await expect(page.getByRole("link", { name })).toBeVisible();
    await page.goto("/audit?action=provider.create");
    await expect(page.getByRole("table", { name: "Audit log entries" }).getByText("provider.create")).toBeVisible();
  });

  test("a wrong password stops the wizard at Verify with Keystone's message", async ({ page }) => {
    await page.goto("/providers/new");
    await page.getByRole("button", { name: "Start the wizard" }).click();
    await page.getByLabel("Auth URL (Keystone)").fill(env.OS_AUTH_URL);
    await page.getByLabel("Username", { exact: true }).fill(env.OS_USERNAME);
    await page.getByLabel("Password", { exact: true }).fill("wrong-password");
    await page.getByLabel("Project (tenant)").fill(env.OS_PROJECT_NAME);
    await page.getByRole("button", { name: "Save and verify" }).click();
    const checks = page.getByRole("list", { name: "Preflight checks" });
    await expect(checks.locator('[data-status="fail"]')).toHaveCount(1, { timeout: 60_000 });
    await expect(checks.getByText(/Keystone said 401/)).toBeVisible();
    await expect(page.getByRole("button", { name: "Continue" })).toBeDisabled();
  });
});

test.describe("provider wizard on real clouds", () => {
  test("a region not in the catalog and the seed's :35357 admin URL are fixed from the catalog", async ({ page }) => {
    test.setTimeout(240_000);
    const region = env.OS_REGION_NAME ?? "RegionOne";
    await page.goto("/providers/new");
    await page.getByRole("button", { name: "Start the wizard" }).click();
    await page.getByLabel("Auth URL (Keystone)").fill(env.OS_AUTH_URL);
    await page.getByLabel("Admin URL (optional)").fill("https://127.0.0.1:35357");
    await page.getByLabel("Region").fill("cptest-wizard-Nowhere");
    await page.getByLabel("Username", { exact: true }).fill(env.OS_USERNAME);
    await page.getByLabel("Password", { exact: true }).fill(env.OS_PASSWORD);
    await page.getByLabel("Project (tenant)").fill(env.OS_PROJECT_NAME);
    await expect(page.getByLabel("Admin role")).toHaveValue("admin");
    await page.getByRole("button", { name: "Save and verify" }).click();

    // The region is checked against the token's catalog, which lists the ones to choose from.
    const checks = page.getByRole("list", { name: "Preflight checks" });
    await expect(checks.getByText(/Region "cptest-wizard-Nowhere" is not in this cloud's catalog; its regions are: .*RegionOne/)).toBeVisible({
      timeout: 60_000,
    });
    await page.getByRole("link", { name: `Use region ${region}` }).click();

    // Back on Connect the region is a select of the catalog's regions; the password is kept.
    await expect(page).toHaveURL(/\/connect\?region=/);
    await expect(page.getByText(`The region is set to ${region}, from the catalog.`)).toBeVisible();
    const select = page.getByRole("combobox", { name: "Region" });
    await expect(select).toHaveValue(region);
    await expect(select.locator("option", { hasText: "RegionOne" })).toHaveCount(1);
    await page.getByRole("button", { name: "Save and verify" }).click();

    // Nothing listens on :35357: the report says why and offers the catalog's admin endpoint.
    await expect(page).toHaveURL(/\/verify$/);
    const adminUrl = checks.locator("li", { hasText: "Admin URL" });
    await expect(adminUrl).toContainText("since Queens the admin API is the public endpoint", { timeout: 60_000 });
    await expect(adminUrl).toContainText("The catalog's identity admin endpoint is");
    await expect(adminUrl).not.toContainText(/certificate/i);
    await page.getByRole("link", { name: /^Use .* as the admin URL$/ }).click();
    await expect(page.getByLabel("Admin URL (optional)")).toHaveValue(/^http:\/\/127\.0\.0\.1:5000\/v3\/?$/);
    await page.getByRole("button", { name: "Save and verify" }).click();
    await expect(checks.getByText("Token issued")).toBeVisible({ timeout: 60_000 });
    await expect(checks.locator('[data-status="fail"]')).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Continue" })).toBeVisible();
  });
});

test.describe("provider JSON", () => {
  test("an operator imports the add_new_provider JSON (with # comments) and exports it back", async ({ page }) => {
    test.setTimeout(180_000);
    const name = `e2e-json-${Date.now().toString(36)}`;
    const secret = "0123456789abcdef0123456789abcdef-e2e";
    // The seed's example shape, with its trailing # comments, filled with the real cloud's values.
    const json = `{
  "admin": { "username": "${env.OS_USERNAME}", "password": "${env.OS_PASSWORD}", "tenant": "${env.OS_PROJECT_NAME}" },
  "credential": {
    "auth_url": "${env.OS_AUTH_URL}",
    "public_routers": "public_router",
    "network_name": "public",
    "region_name": "${env.OS_REGION_NAME ?? "RegionOne"}",
    "ex_force_auth_version": "3.x_password"
  },
  "provider": { "name": "${name}", "platform": "Xen", "public": false },
  "cloud_config": {
    "network": { "dns_nameservers": ["9.9.9.9"], "topology": "External Router Topology" },
    "user": {
      "admin_role_name": "admin",  # Matches the admin role in OpenStack
      "user_role_name": "member",  # Matches the member role
      "domain": "default",
      "secret": "${secret}"  # salts the OpenStack passwords
    },
    "deploy": { "hostname_format": "vm%(four)s.json.example.org" }  # Match DNS
  }
}`;
    await page.goto("/providers/new");
    await page.getByRole("button", { name: "Start the wizard" }).click();
    await page.getByLabel("Paste an openrc, a clouds.yaml or the add_new_provider JSON").fill(json);
    await page.getByRole("button", { name: "Read it" }).click();
    await expect(page.getByText("Read the add_new_provider JSON")).toBeVisible();
    await expect(page.getByLabel("Password", { exact: true })).toHaveValue(env.OS_PASSWORD);
    await page.getByRole("button", { name: "Save and verify" }).click();
    await expect(page.getByRole("list", { name: "Preflight checks" }).getByText("Token issued")).toBeVisible({ timeout: 60_000 });
    await page.getByRole("link", { name: "Continue" }).click();

    // Every later step comes pre-filled from the JSON.
    await expect(page.getByLabel("DNS name servers")).toHaveValue("9.9.9.9");
    await expect(page.getByRole("checkbox", { name: /public_router/ })).toBeChecked();
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.getByLabel("User role")).toHaveValue("member");
    await expect(page.getByText("An account secret is stored")).toBeVisible();
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.getByLabel("Provider name")).toHaveValue(name);
    await expect(page.getByLabel("Platform")).toHaveValue("Xen");
    await expect(page.getByLabel("Hostname format")).toHaveValue("vm%(four)s.json.example.org");
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("button", { name: "Create provider" }).click();
    await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();

    // The plain export leaves the secrets out and keeps everything else.
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Download add_new_provider JSON" }).click();
    const file = await (await download).path();
    const exported = JSON.parse(await (await import("node:fs/promises")).readFile(file, "utf8"));
    expect(exported.provider).toEqual({ name, platform: "Xen", public: false });
    expect(exported.credential).toMatchObject({ auth_url: env.OS_AUTH_URL, public_routers: "public_router", network_name: "public" });
    expect(exported.admin).toMatchObject({ username: env.OS_USERNAME, tenant: env.OS_PROJECT_NAME });
    expect(exported.admin.password).toBeUndefined();
    expect(exported.cloud_config.user).toEqual({ admin_role_name: "admin", user_role_name: "member", domain: "default" });
    expect(exported.cloud_config.network.dns_nameservers).toEqual(["9.9.9.9"]);
    expect(exported.cloud_config.network.default_security_rules).toHaveLength(14);
    expect(exported.cloud_config.deploy.hostname_format).toBe("vm%(four)s.json.example.org");
    expect(JSON.stringify(exported)).not.toContain(secret);
  });
});
