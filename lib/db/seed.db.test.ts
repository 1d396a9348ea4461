import fs from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
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
});
