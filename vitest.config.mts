import path from "node:path";
import { defineConfig } from "vitest/config";

const root = import.meta.dirname;
const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:54329/cloudport_test";
const shared = {
  resolve: {
    alias: {
      "@": root,
      // `server-only` throws outside the React server bundle; tests are server code already.
      "server-only": path.join(root, "test/server-only-stub.ts"),
    },
  },
};

export default defineConfig({
  ...shared,
  test: {
    projects: [
      {
        ...shared,
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "components/**/*.test.ts", "app/**/*.test.ts", "scripts/**/*.test.ts"],
          exclude: ["**/*.db.test.ts", "**/*.int.test.ts", "e2e/**", "node_modules/**"],
          environment: "node",
        },
      },
      {
        ...shared,
        test: {
          name: "db",
          include: ["lib/**/*.db.test.ts"],
          environment: "node",
          globalSetup: ["test/db-global-setup.ts"],
          env: { DATABASE_URL: TEST_DATABASE_URL, CLOUDPORT_DATA_DIR: path.join(root, ".data/test") },
          // One database, truncated between tests: files must not interleave.
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        ...shared,
        test: {
          name: "integration",
          include: ["lib/**/*.int.test.ts"],
          environment: "node",
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
