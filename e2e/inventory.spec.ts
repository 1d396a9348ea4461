import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { generateAccountSecret } from "../lib/domain/account-password";
import { insertProvider } from "../lib/launch/testing";
import { encryptSecret } from "../lib/secrets";
import { cloudEnv } from "./cloud";
import { ADMIN_STATE, expect, test } from "./support";

test.use({ storageState: ADMIN_STATE });

const KEY = process.env.CLOUDPORT_SECRET_KEY ? Buffer.from(process.env.CLOUDPORT_SECRET_KEY, "base64") : Buffer.alloc(32, 7);

test("an operator edits group_vars and downloads the inventory generated from the lab's floating-IP pool", async ({ page, sql }) => {
  const suffix = Math.random().toString(36).slice(2, 8);
  const name = `e2e-inv-${suffix}`;
  const providerId = await insertProvider(sql, {
    name,
    env: cloudEnv(),
    accountSecret: generateAccountSecret(),
    key: KEY,
    encrypt: encryptSecret,
    hostnameFormat: "vm%(four)s.%(domain)s",
    domain: "e2e.example.org",
  });

  await page.goto(`/providers/${providerId}/inventory`);
  await expect(page.getByRole("heading", { level: 1, name: `Ansible inventory · ${name}` })).toBeVisible();
  // The lab's pool is 203.0.113.100–250: 151 hosts, shown 20 lines at a time.
  const hosts = page.getByLabel("hosts preview");
  await expect(hosts).toContainText("[atmosphere:children]");
  await expect(hosts).toContainText(`atmosphere-${name}`);
  await expect(hosts).toContainText("vm100.e2e.example.org ansible_host=203.0.113.100 ansible_port=22");
  await expect(page.getByText("Showing the first 20 of 157 lines")).toBeVisible();
  await expect(page.getByLabel("DNS zone snippet preview")).toContainText("vm100.e2e.example.org. IN A 203.0.113.100");

  // group_vars: a bad name is refused, a good one saved and shown in the file.
  await page.getByLabel("Variable 1 name").fill("time zone");
  await page.getByLabel("Variable 1 value").fill("America/Phoenix");
  await page.getByRole("button", { name: "Save group_vars" }).click();
  await expect(page.getByText("use UPPER_SNAKE_CASE").first()).toBeVisible();
  await page.getByLabel("Variable 1 name").fill("TIMEZONE");
  await page.getByRole("button", { name: "NTP_SERVERS" }).click();
  await page.getByRole("button", { name: "Save group_vars" }).click();
  await expect(page.getByText("Saved 2 variables.")).toBeVisible();
  await expect(page.getByLabel("group_vars preview")).toContainText('TIMEZONE: !unsafe "America/Phoenix"');

  // Downloads stream the whole file.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cp-inv-"));
  try {
    const hostsDownload = page.waitForEvent("download");
    await page.getByRole("link", { name: "Download hosts" }).click();
    const file = await hostsDownload;
    expect(file.suggestedFilename()).toBe("hosts");
    const text = fs.readFileSync((await file.path())!, "utf8");
    const lines = text.trimEnd().split("\n");
    expect(lines).toHaveLength(157);
    expect(lines).toContain("[atmosphere:children]");
    expect(lines).toContain("vm100.e2e.example.org ansible_host=203.0.113.100 ansible_port=22");
    expect(lines.at(-1)).toBe("vm250.e2e.example.org ansible_host=203.0.113.250 ansible_port=22");

    const tarDownload = page.waitForEvent("download");
    await page.getByRole("link", { name: "Download all (.tar)" }).click();
    const tar = await tarDownload;
    expect(tar.suggestedFilename()).toBe(`atmosphere-${name}-inventory.tar`);
    const tarPath = path.join(dir, "inv.tar");
    await tar.saveAs(tarPath);
    execFileSync("tar", ["-xf", tarPath], { cwd: dir });
    expect(fs.readFileSync(path.join(dir, "ansible/hosts"), "utf8")).toBe(text);
    expect(fs.readFileSync(path.join(dir, `ansible/group_vars/atmosphere-${name}`), "utf8")).toContain('NTP_SERVERS: !unsafe "0.pool.ntp.org 1.pool.ntp.org"');
    expect(fs.readFileSync(path.join(dir, `dns/atmosphere-${name}.zone`), "utf8")).toContain("vm250.e2e.example.org. IN A 203.0.113.250");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const audit = await sql<{ action: string; n: number }[]>`
    select action, count(*)::int as n from audit_log where target_type = 'provider' and target_id = ${String(providerId)} and action like 'inventory.%' group by action order by action`;
  expect(audit).toEqual([
    { action: "inventory.export", n: 2 },
    { action: "inventory.group_vars.update", n: 1 },
  ]);
});
