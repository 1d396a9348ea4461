import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { hashPassword } from "@/lib/auth/password";
import { env as readEnv, type Env } from "@/lib/env";
import { dataDir, ensureDataDir, type Db } from "./client";
import { createAuditEntry } from "./queries/audit";
import { createUser, getUserByUsername } from "./queries/users";
import { users } from "./schema";

export const INITIAL_ADMIN_FILE = "initial-admin-password.txt";

/** Creates `file` with mode 0600 only if nothing is at that path; false when something is. */
function writeExclusive(file: string, text: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | (fs.constants.O_NOFOLLOW ?? 0), 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  try {
    fs.writeSync(fd, text);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

/**
 * Creates the first superuser when there is none: from CLOUDPORT_ADMIN_USERNAME/PASSWORD,
 * or `admin` with a random password printed once and written to .data/.
 */
export async function ensureInitialAdmin(
  db: Db,
  env: Pick<Env, "CLOUDPORT_ADMIN_USERNAME" | "CLOUDPORT_ADMIN_PASSWORD"> = readEnv(),
  log: (line: string) => void = console.log,
): Promise<{ created: boolean; username?: string }> {
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.isSuperuser, true)).limit(1);
  if (existing) return { created: false };

  const username = env.CLOUDPORT_ADMIN_USERNAME?.trim() || "admin";
  const fromEnv = Boolean(env.CLOUDPORT_ADMIN_PASSWORD);
  const password = env.CLOUDPORT_ADMIN_PASSWORD || crypto.randomBytes(18).toString("base64url");
  if (await getUserByUsername(db, username)) {
    log(`[cloudport] no superuser exists and the username "${username}" is taken; set CLOUDPORT_ADMIN_USERNAME.`);
    return { created: false };
  }
  const user = await createUser(db, {
    username,
    displayName: "Cloudport administrator",
    passwordHash: await hashPassword(password),
    isStaff: true,
    isSuperuser: true,
  });
  await createAuditEntry(db, { id: null, username: "system" }, { action: "user.seed_admin", targetType: "user", targetId: user.id, details: { username } });

  if (fromEnv) {
    log(`[cloudport] created the initial superuser "${username}" with the password from CLOUDPORT_ADMIN_PASSWORD.`);
  } else {
    const file = path.join(ensureDataDir(), INITIAL_ADMIN_FILE);
    // O_CREAT|O_EXCL, 0600: never overwrites a file (or follows a link) someone put there first.
    const written = writeExclusive(file, `username: ${username}\npassword: ${password}\n`);
    log(
      `\n[cloudport] created the initial superuser\n  username: ${username}\n  password: ${password}\n` +
        (written
          ? `  (also written to ${file}; change it after your first login)\n`
          : `  (${file} already exists and was left alone: the password is only shown here; change it after your first login)\n`),
    );
  }
  return { created: true, username };
}
