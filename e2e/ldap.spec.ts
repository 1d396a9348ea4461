import { execFileSync } from "node:child_process";
import { E2E_ADMIN, expect, signIn, test } from "./support";

// Saving a directory needs a superuser signed in within the last 10 minutes: sign in here rather
// than reuse the setup's session, which may be older by the time this spec runs.
test.use({ storageState: { cookies: [], origins: [] } });

// Debian's slapd from scripts/ldap.sh (test-all.sh starts it), with scripts/ldap/fixture.ldif.
// Its URL, bind DN and (per machine) root password, as `scripts/ldap.sh env` prints them.
const ldapEnv = Object.fromEntries(
  execFileSync("bash", ["scripts/ldap.sh", "env"], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
);
const LDAP_URL = ldapEnv.LDAP_TEST_URL;
const BIND_DN = ldapEnv.LDAP_TEST_BIND_DN;
const BIND_PASSWORD = ldapEnv.LDAP_TEST_BIND_PASSWORD;

test("LDAP: add a directory, test it, preview a group on a provider's Accounts page and provision its members", async ({ page, sql }) => {
  const tag = `e2e-ldap-${Date.now().toString(36).slice(-6)}`;
  // A provider whose cloud is unreachable: the provisioning job is queued (and fails there), the
  // portal side is what this test is about. The lab-backed provisioning has its own tests.
  const [provider] = await sql<{ id: number }[]>`
    insert into providers (name, auth_url, region, auth_method, admin_username, admin_project_name, user_domain_name, project_domain_name, cloud_config)
    values (${tag}, 'http://127.0.0.1:9/v3', 'RegionOne', 'password', 'admin', 'admin', 'Default', 'Default',
      ${sql.json({ user: { admin_role_name: "admin", user_role_name: "member", domain: "default" } })})
    returning id`;

  await signIn(page, E2E_ADMIN.username, E2E_ADMIN.password);
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
  await page.goto("/settings/ldap");
  const form = page.getByRole("form", { name: "New directory" });
  await form.getByLabel("Name", { exact: true }).fill(tag);
  await form.getByLabel("Directory URL").fill(LDAP_URL);
  await form.getByLabel("Bind DN").fill(BIND_DN);
  await form.getByLabel("Bind password").fill(BIND_PASSWORD);
  await form.getByLabel("Base DN").fill("ou=groups,dc=cloudport,dc=test");
  await form.getByLabel("Group filter").fill("(objectClass=groupOfNames)");
  await form.getByLabel("Username attribute").fill("uid");
  await form.getByRole("button", { name: "Test connection" }).click();
  await expect(form.getByText(/^Connected: \d+ groups? with \d+ members?/)).toBeVisible({ timeout: 20_000 });
  await form.getByRole("button", { name: "Add directory" }).click();
  await expect(page.getByText(`Directory "${tag}" saved.`)).toBeVisible();
  // The bind password is never sent back to the browser.
  expect(await page.content()).not.toContain(BIND_PASSWORD);
  const [dir] = await sql<{ bind_password: string }[]>`select * from ldap_directories where name = ${tag}`;
  expect(JSON.stringify(dir)).not.toContain(BIND_PASSWORD);

  await page.goto(`/providers/${provider.id}/accounts`);
  await expect(page.getByRole("heading", { name: "Provision members of an LDAP group" })).toBeVisible();
  await page.getByLabel("Directory", { exact: true }).selectOption({ label: tag });
  await page.getByLabel("Group name (cn)").fill("atmo-user");
  await page.getByRole("button", { name: "Preview" }).click();
  const members = page.getByRole("table", { name: "Group members" });
  await expect(members.getByText("alice", { exact: true })).toBeVisible({ timeout: 20_000 });
  await expect(members.getByText("bob", { exact: true })).toBeVisible();
  await expect(page.getByRole("table", { name: "Members that cannot be used" }).getByText("bad/ name", { exact: true })).toBeVisible();

  await page.getByRole("button", { name: /^Provision \d+ members?$/ }).click();
  await expect(page.getByRole("status").filter({ hasText: /queued|Provisioning|provision/i }).first()).toBeVisible({ timeout: 20_000 });
  const accounts = await sql<{ username: string }[]>`
    select u.username from identities i join users u on u.id = i.user_id where i.provider_id = ${provider.id} order by u.username`;
  const jobs = await sql<{ kind: string }[]>`select kind from jobs where provider_id = ${provider.id}`;
  expect(jobs.map((j) => j.kind)).toContain("accounts.provision");
  const users = await sql<{ username: string; password_hash: string | null }[]>`select username, password_hash from users where username in ('alice', 'bob')`;
  expect(users.map((u) => u.username).sort()).toEqual(["alice", "bob"]);
  expect(users.every((u) => u.password_hash === null)).toBe(true);
  expect(accounts.length).toBeLessThanOrEqual(2);
  const audit = await sql<{ action: string }[]>`select action from audit_log where action like 'ldap.%'`;
  expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["ldap.directory_created", "ldap.directory_tested", "ldap.group_provision"]));
});
