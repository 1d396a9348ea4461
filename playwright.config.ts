import { defineConfig } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_DATABASE_URL = process.env.E2E_DATABASE_URL ?? "postgres://postgres@127.0.0.1:54329/cloudport_e2e";
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
  webServer: {
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
    },
  },
});
