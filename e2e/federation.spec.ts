import { encryptSecret } from "../lib/secrets";
import { cloudEnv } from "./cloud";
import { ADMIN_STATE, expect, test } from "./support";

test.use({ storageState: ADMIN_STATE });

const SERVER_KEY = Buffer.from(process.env.CLOUDPORT_SECRET_KEY ?? Buffer.alloc(32, 7).toString("base64"), "base64");
const env = cloudEnv();

test("a federated provider: accounts export an OIDC clouds.yaml without a password, and launch tests ask for the account's application credential", async ({ page, sql, makeUser }) => {
  const tag = `cptest-fed${Date.now().toString(36).slice(-6)}`;
  const [provider] = await sql<{ id: number }[]>`
    insert into providers (name, auth_url, region, auth_method, admin_username, admin_project_name, user_domain_name, project_domain_name, cloud_config)
    values (${`e2e-fed-${tag}`}, ${env.OS_AUTH_URL}, ${env.OS_REGION_NAME ?? "RegionOne"}, 'password', ${env.OS_USERNAME},
      ${env.OS_PROJECT_NAME}, ${env.OS_USER_DOMAIN_NAME ?? "Default"}, ${env.OS_PROJECT_DOMAIN_NAME ?? "Default"},
      ${sql.json({ user: { admin_role_name: "admin", user_role_name: "member", domain: "default", federation: { idp: "egi.eu", protocol: "openid" } } })})
    returning id`;
  await sql`insert into provider_secrets (provider_id, credential_secret, account_secret)
    values (${provider.id}, ${encryptSecret(env.OS_PASSWORD, SERVER_KEY)}, ${encryptSecret(`acct-${tag}-0123456789abcdef0123`, SERVER_KEY)})`;
  const userId = await makeUser({ username: tag, password: "not-used-Passw0rd!" });
  await sql`insert into identities (user_id, provider_id, project_name, project_id, openstack_user_id, state)
    values (${userId}, ${provider.id}, ${tag}, ${`proj-${tag}`}, ${`user-${tag}`}, 'active')`;

  await page.goto(`/providers/${provider.id}/accounts`);
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: `Download clouds.yaml of ${tag}` }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/-clouds\.yaml$/);
  let text = "";
  for await (const chunk of await file.createReadStream()) text += chunk;
  expect(text).toContain("auth_type: v3oidcpassword");
  expect(text).toMatch(/identity_provider: "?egi\.eu"?\n/);
  expect(text).toMatch(new RegExp(`username: "?${tag}"?\n`));
  expect(text).not.toMatch(/^\s*password:/m);

  await page.goto(`/providers/${provider.id}/launch-test`);
  await expect(page.getByRole("heading", { name: "Application credentials of federated accounts" })).toBeVisible();
  await page.getByLabel("Account (username)").fill(tag);
  await page.getByLabel("Application credential ID").fill("not-an-id");
  await page.getByLabel("Secret").fill("some-secret-value");
  await page.getByRole("button", { name: "Check and save" }).click();
  await expect(page.getByText(/An application credential ID is 32 hexadecimal characters/).first()).toBeVisible();
  // A well-formed ID Keystone does not know: refused with Keystone's word, nothing stored.
  await page.getByLabel("Account (username)").fill(tag);
  await page.getByLabel("Application credential ID").fill("0123456789abcdef0123456789abcdef");
  await page.getByLabel("Secret").fill("some-secret-value");
  await page.getByRole("button", { name: "Check and save" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Keystone did not accept this application credential" })).toBeVisible({ timeout: 30_000 });
  expect(await sql`select 1 from account_app_credentials ac join identities i on i.id = ac.identity_id where i.provider_id = ${provider.id}`).toHaveLength(0);
  await expect(page.getByText("No account has a stored credential yet.")).toBeVisible();
});
