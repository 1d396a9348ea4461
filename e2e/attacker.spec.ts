// Issue 12: the attacker walk. A staff member (not a superuser) tries, in the browser, what
// the old main let them do (§1 credential binding, §3 injection into generated files, §5
// sessions and power over other staff), and is refused each time.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { encryptSecret } from "../lib/secrets";
import { cloudEnv } from "./cloud";
import { expect, signIn, test } from "./support";

// The key playwright.config.ts gives the e2e server, so the server can decrypt what we store.
const SERVER_KEY = Buffer.from(process.env.CLOUDPORT_SECRET_KEY ?? Buffer.alloc(32, 7).toString("base64"), "base64");
const env = cloudEnv();
const STAFF = { username: "e2e-attacker-staff", password: "Attacker-Staff-Pass-1" };

type Sql = Parameters<Parameters<typeof test>[2]>[0]["sql"];

/** A provider on the lab with its sealed password, as the wizard would store it. */
async function insertAttackedProvider(sql: Sql, tag: string): Promise<{ id: number }> {
  const [provider] = await sql<{ id: number }[]>`
    insert into providers (name, auth_url, region, auth_method, admin_username, admin_project_name, user_domain_name,
      project_domain_name, network_name, public_routers, cloud_config)
    values (${tag}, ${env.OS_AUTH_URL}, ${env.OS_REGION_NAME ?? "RegionOne"}, 'password', ${env.OS_USERNAME},
      ${env.OS_PROJECT_NAME}, ${env.OS_USER_DOMAIN_NAME ?? "Default"}, ${env.OS_PROJECT_DOMAIN_NAME ?? "Default"}, 'public',
      ${["public_router"]}, ${sql.json({
        network: { topology: "External Router Topology", dns_nameservers: ["8.8.8.8"], default_security_rules: [["TCP", 22, 22]] },
        user: { admin_role_name: "admin", user_role_name: "member", domain: "default" },
        deploy: { hostname_format: "vm%(four)s.lab.example.org" },
      })})
    returning id`;
  await sql`insert into provider_secrets (provider_id, credential_secret, account_secret)
    values (${provider.id}, ${encryptSecret(env.OS_PASSWORD, SERVER_KEY)}, ${encryptSecret(`secret-${tag}-0123456789abcdef0123`, SERVER_KEY)})`;
  return provider;
}

test.describe("attacker walk: a staff user who is not a superuser", () => {
  test("§1: pointing a provider at their own host with the password left blank is refused, and nothing secret arrives there", async ({
    page,
    sql,
    makeUser,
  }) => {
    // The attacker's "Keystone": records every request (headers and bodies).
    const seen: string[] = [];
    const evil = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString("utf8")));
      req.on("end", () => {
        seen.push(`${req.method} ${req.url}\n${JSON.stringify(req.headers)}\n${body}`);
        res.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => evil.listen(0, "127.0.0.1", resolve));
    const evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}/v3`;

    const provider = await insertAttackedProvider(sql, `cptest-trust-e2e${Date.now().toString(36).slice(-5)}`);

    try {
      await makeUser({ ...STAFF, isStaff: true });
      await signIn(page, STAFF.username, STAFF.password);
      await expect(page).toHaveURL(/:\d+\/$/);
      await page.goto(`/providers/${provider.id}/edit`);
      await page.getByLabel("Auth URL (Keystone)").fill(evilUrl);
      await page.getByRole("button", { name: "Save changes" }).click();

      await expect(page.getByText("Enter the password again to change the connection.").first()).toBeVisible();
      // Nothing at all reached the attacker's host, least of all the stored password.
      await page.waitForTimeout(500);
      expect(seen).toEqual([]);
      // The stored connection is unchanged, and the attempt is in the audit log with what changed.
      const [row] = await sql<{ auth_url: string }[]>`select auth_url from providers where id = ${provider.id}`;
      expect(row.auth_url).toBe(env.OS_AUTH_URL);
      const audits = await sql<{ actor_username: string; details: { changed: { authUrl: { to: string } }; outcome: string } }[]>`
        select actor_username, details from audit_log where action = 'provider.connection_change_attempt' and target_id = ${String(provider.id)}`;
      expect(audits).toHaveLength(1);
      expect(audits[0].actor_username).toBe(STAFF.username);
      expect(audits[0].details.changed.authUrl.to).toBe(evilUrl);
      expect(audits[0].details.outcome).toMatch(/refused/);
      expect(JSON.stringify(audits[0].details)).not.toContain(env.OS_PASSWORD);
    } finally {
      await new Promise<void>((resolve) => evil.close(() => resolve()));
      await sql`delete from providers where id = ${provider.id}`.catch(() => {});
    }
  });

  // §3: a hostname format with an Ansible variable is refused by the edit form with a valid
  // example, and a zone origin with a line break is refused by the download.
  test("§3: text that would run on the operator's Ansible controller or rewrite the zone file is refused", async ({ page, sql, makeUser }) => {
    const provider = await insertAttackedProvider(sql, `cptest-atk3-${Date.now().toString(36).slice(-5)}`);
    try {
      await makeUser({ ...STAFF, username: `${STAFF.username}-3`, isStaff: true });
      await signIn(page, `${STAFF.username}-3`, STAFF.password);
      await expect(page).toHaveURL(/:\d+\/$/);
      await page.goto(`/providers/${provider.id}/edit`);
      await page.getByLabel("Hostname format").fill("vm%(four)s ansible_ssh_common_args='-o ProxyCommand=touch /tmp/pwned'");
      await page.getByRole("button", { name: "Save changes" }).click();
      await expect(page.getByText(/Hostnames must be DNS names, e\.g\. vm%\(four\)s\.cloud\.example\.org/).first()).toBeVisible();
      const [row] = await sql<{ cc: { deploy: { hostname_format: string } } }[]>`select cloud_config as cc from providers where id = ${provider.id}`;
      expect(row.cc.deploy.hostname_format).toBe("vm%(four)s.lab.example.org");
      const zone = await page.request.get(`/providers/${provider.id}/inventory/download?file=zone&origin=evil%0A%24INCLUDE%20%2Fetc%2Fshadow`);
      expect(zone.status()).toBe(400);
      // The refusal quotes what was sent; no zone file (no $ORIGIN line) comes back.
      expect(await zone.text()).toMatch(/^The zone origin .* contains a line break or control character/);
      expect(await zone.text()).not.toMatch(/^\$ORIGIN/m);
    } finally {
      await sql`delete from providers where id = ${provider.id}`.catch(() => {});
    }
  });

  // §5: staff cannot change another staff member, and a copied session dies with "sign out everywhere".
  test("§5: no power over other staff, and a stolen session cookie stops working", async ({ page, browser, makeUser }) => {
    const me = `${STAFF.username}-5`;
    await makeUser({ ...STAFF, username: me, isStaff: true });
    const colleague = await makeUser({ username: "e2e-attacker-colleague", password: "Colleague-Pass-1", isStaff: true });
    await signIn(page, me, STAFF.password);
    await expect(page).toHaveURL(/:\d+\/$/);
    await page.goto(`/users/${colleague}`);
    await expect(page.getByRole("heading", { name: /e2e-attacker-colleague/ }).first()).toBeVisible();
    await expect(page.getByRole("button", { name: /^Deactivate user/ })).toHaveCount(0);

    // The attacker copies the cookie into a browser of their own; it works until the owner ends every session.
    const stolen = await browser.newContext({ storageState: await page.context().storageState() });
    try {
      const thief = await stolen.newPage();
      await thief.goto("/audit");
      await expect(thief).toHaveURL(/\/audit/);
      await page.getByRole("button", { name: new RegExp(`Account menu for ${me}`) }).click();
      await page.getByRole("menuitem", { name: "Sign out everywhere" }).click();
      await expect(page).toHaveURL(/\/login/);
      await thief.goto("/audit");
      await expect(thief).toHaveURL(/\/login/);
    } finally {
      await stolen.close();
    }
  });
});
