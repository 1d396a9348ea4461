import fs from "node:fs";
import path from "node:path";
import os from "node:os";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { verifyPassword } from "@/lib/auth/password";
import { testDb, truncateAll } from "@/test/db";
import { dataDir } from "./client";
import { getUserByUsername } from "./queries/users";
import { ensureInitialAdmin, INITIAL_ADMIN_FILE } from "./seed";

describe("ensureInitialAdmin", async () => {
  const db = await testDb();
  const file = path.join(dataDir(), INITIAL_ADMIN_FILE);
  beforeEach(async () => {
    await truncateAll(db);
    fs.rmSync(file, { force: true });
  });

  it("creates admin with a random password, prints it once and writes it to the data dir", async () => {
    const lines: string[] = [];
    expect(await ensureInitialAdmin(db, {}, (l) => lines.push(l))).toEqual({ created: true, username: "admin" });
    const password = /password: (\S+)/.exec(fs.readFileSync(file, "utf8"))?.[1];
    expect(password).toBeDefined();
    expect(lines.join("\n")).toContain(password!);
    const admin = await getUserByUsername(db, "admin");
    expect(admin).toMatchObject({ isStaff: true, isSuperuser: true, isActive: true });
    expect(await verifyPassword(password!, admin!.passwordHash)).toBe(true);

    // A second start finds the superuser and does nothing, printing nothing.
    expect(await ensureInitialAdmin(db, {}, (l) => lines.push(l))).toEqual({ created: false });
    expect(lines).toHaveLength(1);
  });

  it("takes the username and password from the environment without writing a file", async () => {
    const lines: string[] = [];
    await ensureInitialAdmin(db, { CLOUDPORT_ADMIN_USERNAME: "ops", CLOUDPORT_ADMIN_PASSWORD: "Env-Password-1" }, (l) =>
      lines.push(l),
    );
    const ops = await getUserByUsername(db, "ops");
    expect(await verifyPassword("Env-Password-1", ops!.passwordHash)).toBe(true);
    expect(lines.join("\n")).not.toContain("Env-Password-1");
    expect(fs.existsSync(file)).toBe(false);
  });

  describe("in a fresh CLOUDPORT_DATA_DIR", () => {
    let tmp: string;
    let data: string;
    beforeEach(() => {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cptest-harden-seed-"));
      data = path.join(tmp, "nested", "data");
      vi.stubEnv("CLOUDPORT_DATA_DIR", data);
    });
    afterEach(() => {
      vi.unstubAllEnvs();
      fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("creates the data directory 0700 and the password file 0600", async () => {
      await ensureInitialAdmin(db, {}, () => {});
      expect(fs.statSync(data).mode & 0o777).toBe(0o700);
      expect(fs.statSync(path.join(data, INITIAL_ADMIN_FILE)).mode & 0o777).toBe(0o600);
    });

    it("tightens a data directory of ours that others can read", async () => {
      fs.mkdirSync(data, { recursive: true, mode: 0o755 });
      fs.chmodSync(data, 0o755);
      await ensureInitialAdmin(db, {}, () => {});
      expect(fs.statSync(data).mode & 0o777).toBe(0o700);
    });

    it("never overwrites a file that is already there, and says the password is only printed", async () => {
      fs.mkdirSync(data, { recursive: true, mode: 0o700 });
      const file = path.join(data, INITIAL_ADMIN_FILE);
      fs.writeFileSync(file, "planted\n", { mode: 0o644 });
      const lines: string[] = [];
      expect(await ensureInitialAdmin(db, {}, (l) => lines.push(l))).toMatchObject({ created: true });
      expect(fs.readFileSync(file, "utf8")).toBe("planted\n");
      expect(lines.join("\n")).toMatch(/already exists and was left alone/);
      expect(lines.join("\n")).toMatch(/password: \S+/);
    });

    it("does not follow a link planted at the file's path", async () => {
      fs.mkdirSync(data, { recursive: true, mode: 0o700 });
      const target = path.join(tmp, "target.txt");
      fs.writeFileSync(target, "victim\n");
      fs.symlinkSync(target, path.join(data, INITIAL_ADMIN_FILE));
      await ensureInitialAdmin(db, {}, () => {});
      expect(fs.readFileSync(target, "utf8")).toBe("victim\n");
    });
  });
});
