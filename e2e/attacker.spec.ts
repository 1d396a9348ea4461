// Issue 12: the attacker walk. A staff member (not a superuser) tries, in the browser, what
// today's main let them do, and is refused each time. §1 is filled here; the lead fills §3 and
// §5 after merging `harden` and `auth`.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { encryptSecret } from "../lib/secrets";
import { cloudEnv } from "./cloud";
import { expect, signIn, test } from "./support";

// The key playwright.config.ts gives the e2e server, so the server can decrypt what we store.
const SERVER_KEY = Buffer.from(process.env.CLOUDPORT_SECRET_KEY ?? Buffer.alloc(32, 7).toString("base64"), "base64");
const env = cloudEnv();
const STAFF = { username: "e2e-attacker-staff", password: "Attacker-Staff-Pass-1" };

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

    const tag = `cptest-trust-e2e${Date.now().toString(36).slice(-5)}`;
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

    try {
      await makeUser({ ...STAFF, isStaff: true });
      await signIn(page, STAFF.username, STAFF.password);
      await expect(page).toHaveURL(/\/providers$/);
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

  // TODO(lead) §3 (teammate `harden`): a hostname format / instance domain with spaces, newlines or
  // `ansible_ssh_common_args=…` is refused by the edit form with a valid example, and
  // /providers/<id>/inventory/download?origin=… with CR/LF or a bad name is refused.
  test.fixme("§3: generated files cannot be injected (filled in by the lead after merging harden)", async () => {});

  // TODO(lead) §5 (teammate `auth`): after a password change in one browser context the other is
  // signed out on its next request; staff cannot deactivate another staff member; changing a
  // provider's connection needs a sign-in ≤ 10 min old (requireFreshSignInForConnectionChange in
  // lib/providers/manage.ts is the placeholder to wire to requireFreshAuth).
  test.fixme("§5: sessions end when they should (filled in by the lead after merging auth)", async () => {});
});
