import { defineConfig } from "@playwright/test";
import { OIDC_CLIENT, OIDC_STAFF_GROUP, OIDC_SUPERUSER_GROUP } from "./e2e/oidc-users";

const PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_DATABASE_URL = process.env.E2E_DATABASE_URL ?? "postgres://postgres@127.0.0.1:54329/cloudport_e2e";
// The test OpenID provider (scripts/oidc-test-provider.ts), HTTPS with a throw-away CA.
export const OIDC_PORT = Number(process.env.E2E_OIDC_PORT ?? PORT + 1000);
export const OIDC_ISSUER = `https://127.0.0.1:${OIDC_PORT}`;
const OIDC_CERT_DIR = `.data/e2e-${PORT}/oidc-ca`;
export const E2E_ADMIN = { username: "admin", password: process.env.E2E_ADMIN_PASSWORD ?? "E2e-Admin-Password-1" };

export default defineConfig({
  testDir: "e2e",
  // Per port, so parallel runs never share (and delete) each other's artifacts.
  outputDir: `test-results/${PORT}`,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [["list"], ["json"]] : [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts/ },
    { name: "chromium", testMatch: /.*\.spec\.ts/, dependencies: ["setup"] },
  ],
  // Started in this order, each ready before the next: the app trusts the provider's CA.
  webServer: [
    {
      command: "npx tsx scripts/oidc-test-provider.ts",
      url: `${OIDC_ISSUER}/.well-known/openid-configuration`,
      ignoreHTTPSErrors: true,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      env: {
        OIDC_TEST_PORT: String(OIDC_PORT),
        OIDC_TEST_CERT_DIR: OIDC_CERT_DIR,
        // Next reports a 127.0.0.1 request's host as "localhost" to the token exchange, so
        // the SSO spec browses the app at localhost and the redirect URI says so too.
        OIDC_TEST_REDIRECT_URI: `http://localhost:${PORT}/api/auth/callback/oidc`,
      },
    },
    {
      // A fresh database each run, then the production build (npm run build first).
      command: `bash scripts/e2e-server.sh ${PORT}`,
      url: `http://127.0.0.1:${PORT}/api/health`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      env: {
        DATABASE_URL: E2E_DATABASE_URL,
        AUTH_SECRET: process.env.AUTH_SECRET ?? "e2e-auth-secret-not-for-production-0123456789",
        CLOUDPORT_SECRET_KEY: process.env.CLOUDPORT_SECRET_KEY ?? Buffer.alloc(32, 7).toString("base64"),
        CLOUDPORT_ADMIN_USERNAME: E2E_ADMIN.username,
        CLOUDPORT_ADMIN_PASSWORD: E2E_ADMIN.password,
        CLOUDPORT_DATA_DIR: `.data/e2e-${PORT}`,
        AUTH_OIDC_ISSUER: OIDC_ISSUER,
        AUTH_OIDC_ID: OIDC_CLIENT.id,
        AUTH_OIDC_SECRET: OIDC_CLIENT.secret,
        AUTH_OIDC_NAME: "Test IdP",
        CLOUDPORT_OIDC_STAFF_GROUPS: OIDC_STAFF_GROUP,
        CLOUDPORT_OIDC_SUPERUSER_GROUPS: OIDC_SUPERUSER_GROUP,
        // e2e-server.sh adds this CA to any NODE_EXTRA_CA_CERTS already set.
        E2E_EXTRA_CA: `${OIDC_CERT_DIR}/ca.pem`,
      },
    },
  ],
});
