import { generateAccountSecret } from "../lib/domain/account-password";
import { insertProvider } from "../lib/launch/testing";
import { encryptSecret } from "../lib/secrets";
import { cloudEnv } from "./cloud";
import { ADMIN_STATE, expect, test } from "./support";

test.use({ storageState: ADMIN_STATE });

const KEY = process.env.CLOUDPORT_SECRET_KEY ? Buffer.from(process.env.CLOUDPORT_SECRET_KEY, "base64") : Buffer.alloc(32, 7);

function expectSecurityHeaders(h: Record<string, string>, where: string) {
  expect(h["content-security-policy"], where).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(h["content-security-policy"], where).toContain("frame-ancestors 'none'");
  expect(h["content-security-policy"], where).toContain("object-src 'none'");
  expect(h["x-content-type-options"], where).toBe("nosniff");
  expect(h["referrer-policy"], where).toBe("strict-origin-when-cross-origin");
  expect(h["x-frame-options"], where).toBe("DENY");
  // Served over plain http here (no trusted proxy): no HSTS, and X-Forwarded-Proto alone does not add it.
  expect(h["strict-transport-security"], where).toBeUndefined();
}

test("every response carries the security headers, and the console pages run under the CSP without violations", async ({ page, sql, browser }) => {
  const name = `cptest-harden-sec-${Math.random().toString(36).slice(2, 8)}`;
  const providerId = await insertProvider(sql, {
    name,
    env: cloudEnv(),
    accountSecret: generateAccountSecret(),
    key: KEY,
    encrypt: encryptSecret,
    hostnameFormat: "vm%(four)s.%(domain)s",
    domain: "e2e.example.org",
  });
  test.setTimeout(180_000);
  try {
    const violations: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" && /Content Security Policy|Content-Security-Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) => console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`));
    });

    // A page
    const res = await page.goto("/providers");
    expectSecurityHeaders(res!.headers(), "/providers");
    const nonce = /'nonce-([^']+)'/.exec(res!.headers()["content-security-policy"])![1];
    // Next put this response's nonce on its scripts, and the page hydrated (a client interaction works).
    expect(await page.locator(`script[nonce]`).count()).toBeGreaterThan(0);
    const again = await page.request.get("/providers");
    expect(/'nonce-([^']+)'/.exec(again.headers()["content-security-policy"])![1]).not.toBe(nonce);

    // The edit form last: the hydration check below types into it.
    for (const path of [`/providers/${providerId}`, `/providers/${providerId}/inventory`, "/audit", "/users", `/providers/${providerId}/edit`]) {
      const r = await page.goto(path);
      expectSecurityHeaders(r!.headers(), path);
      // "load", not "networkidle": pages that poll jobs never go idle.
      await page.waitForLoadState("load");
    }
    // Hydrated under the CSP: the edit form's live hostname check is client-side React.
    await page.getByLabel("Hostname format").fill("vm%(four)s.ok.example.org");
    await expect(page.getByText("Hostnames must be DNS names")).toHaveCount(0);
    await page.getByLabel("Hostname format").fill("vm%(four)s bad");
    await expect(page.getByText(/Hostnames must be DNS names, e\.g\. vm%\(four\)s\.cloud\.example\.org/).first()).toBeVisible();

    // An API route, spoofing X-Forwarded-Proto (no trusted proxy: still no HSTS)
    const api = await page.request.get("/api/health", { headers: { "X-Forwarded-Proto": "https" } });
    expectSecurityHeaders(api.headers(), "/api/health");

    // The login page, signed out
    const anon = await browser.newContext();
    try {
      const login = await (await anon.newPage()).goto("/login");
      expectSecurityHeaders(login!.headers(), "/login");
    } finally {
      await anon.close();
    }
    expect(violations).toEqual([]);
  } finally {
    await sql`delete from audit_log where target_type = 'provider' and target_id = ${String(providerId)}`.catch(() => {});
    await sql`delete from providers where id = ${providerId}`;
  }
});

test("the provider edit form refuses a hostname format with a space, showing a valid example", async ({ page, sql }) => {
  const name = `cptest-harden-edit-${Math.random().toString(36).slice(2, 8)}`;
  const providerId = await insertProvider(sql, { name, env: cloudEnv(), accountSecret: generateAccountSecret(), key: KEY, encrypt: encryptSecret });
  try {
    await page.goto(`/providers/${providerId}/edit`);
    await page.getByLabel("Hostname format").fill("vm%(four)s ansible_ssh_common_args='-o ProxyCommand=touch /tmp/x'");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByText(/Hostnames must be DNS names, e\.g\. vm%\(four\)s\.cloud\.example\.org/).first()).toBeVisible();
    const [row] = await sql<{ cc: { deploy: { hostname_format: string } } }[]>`select cloud_config as cc from providers where id = ${providerId}`;
    expect(row.cc.deploy.hostname_format).not.toContain("ansible_ssh_common_args");
  } finally {
    await sql`delete from providers where id = ${providerId}`;
  }
});

test("the zone download refuses an origin with a line break (400 and the reason)", async ({ page, sql }) => {
  const name = `cptest-harden-zone-${Math.random().toString(36).slice(2, 8)}`;
  const providerId = await insertProvider(sql, { name, env: cloudEnv(), accountSecret: generateAccountSecret(), key: KEY, encrypt: encryptSecret, hostnameFormat: "vm%(four)s.example.org" });
  try {
    const r = await page.request.get(`/providers/${providerId}/inventory/download?file=zone&origin=evil%0A%24INCLUDE%20%2Fetc%2Fpasswd`);
    expect(r.status()).toBe(400);
    expect(await r.text()).toMatch(/zone origin .* contains a line break or control character: enter a DNS name such as cloud\.example\.org/);
    const bad = await page.request.get(`/providers/${providerId}/inventory/download?file=tar&origin=%24ORIGIN%20evil.`);
    expect(bad.status()).toBe(400);
  } finally {
    await sql`delete from providers where id = ${providerId}`;
  }
});

test("a signed-in visit to /login?next=//evil stays on the site", async ({ page }) => {
  await page.goto("/login?next=%2F%2Fevil.example%2Fx");
  await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/$/);
});
