import fs from "node:fs";

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
