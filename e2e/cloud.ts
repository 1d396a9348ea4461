import fs from "node:fs";
import type { Sql } from "postgres";
import { createClient, type OpenStackClient } from "../lib/openstack/client";
import { labOptions } from "../lib/openstack/testing/env";
import { encryptSecret, parseKey } from "../lib/secrets";

const LAB_OPENRC = "/var/tmp/openstack-lab/openrc";

/** OS_* of the real cloud the e2e tests use: the environment, or the lab's openrc. */
export function cloudEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  if (process.env.OS_AUTH_URL) {
    for (const [k, v] of Object.entries(process.env)) if (k.startsWith("OS_") && v) env[k] = v;
    return env;
  }
  for (const line of fs.readFileSync(LAB_OPENRC, "utf8").split("\n")) {
    const m = /^export (OS_\w+)=(.*)$/.exec(line.trim());
    if (m) env[m[1]] = m[2].replace(/^["']|["']$/g, "");
  }
  return env;
}

/** The openrc Horizon hands out: the password is read at a prompt, not written in the file. */
export function horizonStyleOpenrc(env: Record<string, string>): string {
  const lines = Object.entries(env)
    .filter(([k]) => k !== "OS_PASSWORD")
    .map(([k, v]) => `export ${k}="${v}"`);
  return [
    ...lines,
    'if [ -z "$OS_USER_DOMAIN_NAME" ]; then unset OS_USER_DOMAIN_NAME; fi',
    "unset OS_TENANT_ID",
    'echo "Please enter your OpenStack Password for project $OS_PROJECT_NAME as user $OS_USERNAME: "',
    "read -sr OS_PASSWORD_INPUT",
    "export OS_PASSWORD=$OS_PASSWORD_INPUT",
  ].join("\n");
}

/** The key the e2e server seals secrets with (playwright.config.ts). */
export const SERVER_KEY = process.env.CLOUDPORT_SECRET_KEY ? parseKey(process.env.CLOUDPORT_SECRET_KEY) : Buffer.alloc(32, 7);

/** An admin client of the cloud the e2e tests use, for their own set-up, checks and clean-up. */
export function labAdmin(): Promise<OpenStackClient> {
  return createClient(labOptions({ timeoutMs: 60_000 }));
}

/**
 * A provider of that cloud straight in the database, as the wizard would have stored it, with
 * its admin password and account secret sealed under SERVER_KEY. Returns its id.
 */
export async function insertLabProvider(
  sql: Sql,
  name: string,
  opts: { cloudConfig?: Record<string, unknown>; accountSecret?: string } = {},
): Promise<number> {
  const env = cloudEnv();
  const [provider] = await sql<{ id: number }[]>`
    insert into providers (name, auth_url, region, auth_method, admin_username, admin_project_name, user_domain_name, project_domain_name, cloud_config)
    values (${name}, ${env.OS_AUTH_URL}, ${env.OS_REGION_NAME ?? "RegionOne"}, 'password', ${env.OS_USERNAME}, ${env.OS_PROJECT_NAME},
            ${env.OS_USER_DOMAIN_NAME ?? "Default"}, ${env.OS_PROJECT_DOMAIN_NAME ?? "Default"}, ${sql.json((opts.cloudConfig ?? {}) as never)})
    returning id`;
  await sql`insert into provider_secrets (provider_id, credential_secret, account_secret)
            values (${provider.id}, ${encryptSecret(env.OS_PASSWORD, SERVER_KEY)}, ${encryptSecret(opts.accountSecret ?? "x".repeat(40), SERVER_KEY)})`;
  return provider.id;
}
