import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { hashPassword } from "@/lib/auth/password";
import { env as readEnv, type Env } from "@/lib/env";
import { dataDir, type Db } from "./client";
import { createAuditEntry } from "./queries/audit";
import { createUser, getUserByUsername } from "./queries/users";
import { users } from "./schema";

export const INITIAL_ADMIN_FILE = "initial-admin-password.txt";

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
    const file = path.join(dataDir(), INITIAL_ADMIN_FILE);
    fs.mkdirSync(dataDir(), { recursive: true });
    fs.writeFileSync(file, `username: ${username}\npassword: ${password}\n`, { mode: 0o600 });
    log(
      `\n[cloudport] created the initial superuser\n  username: ${username}\n  password: ${password}\n` +
        `  (also written to ${file}; change it after your first login)\n`,
    );
  }
  return { created: true, username };
}
