import type postgres from "postgres";
import { ADMIN_STATE, expect, test } from "./support";

test.use({ storageState: ADMIN_STATE });

type Sql = ReturnType<typeof postgres>;
type Seg = { status: string; vcpus: number; ramMb: number; diskGb: number; start: Date; end: Date | null };

const HOUR = 3_600_000;
const day = (d: Date) => d.toISOString().slice(0, 10);

async function seedProject(sql: Sql, providerId: number, username: string, serverId: string, segments: Seg[]) {
  const [u] = await sql<{ id: number }[]>`insert into users (username) values (${username}) returning id`;
  const [i] = await sql<{ id: number }[]>`
    insert into identities (user_id, provider_id, project_name, project_id, openstack_user_id, state)
    values (${u.id}, ${providerId}, ${`${username}-project`}, ${`pid-${username}`}, ${`uid-${username}`}, 'active') returning id`;
  const [n] = await sql<{ id: number }[]>`
    insert into instances (provider_id, identity_id, server_id, name, project_id, status, image_id, addresses)
    values (${providerId}, ${i.id}, ${serverId}, ${`${username}-vm`}, ${`pid-${username}`}, ${segments.at(-1)!.status}, 'img-e2e',
            ${sql.json({ fixed: ["10.0.0.9"], floating: ["203.0.113.9"], networks: {} })}) returning id`;
  for (const s of segments) {
    await sql`
      insert into instance_status_history (instance_id, status, vcpus, ram_mb, disk_gb, flavor_id, flavor_name, start_date, end_date)
      values (${n.id}, ${s.status}, ${s.vcpus}, ${s.ramMb}, ${s.diskGb}, 'f-e2e', 'm1.e2e', ${s.start}, ${s.end})`;
  }
}

const number = (text: string) => Number(text.replace(/[^0-9.\-]/g, ""));

test("an operator reads a provider's usage for a range, searches, adds a rules version and downloads the APEL records", async ({ page, sql }) => {
  test.setTimeout(120_000);
  const tag = Date.now().toString(36);
  const name = `cptest-accounting-${tag}`;
  const [p] = await sql<{ id: number }[]>`insert into providers (name, auth_url) values (${name}, ${`https://${name}.example.org:5000/v3`}) returning id`;
  await sql`insert into accounting_rules (provider_id, effective_from, state_weights, other_weight, multipliers, rates, currency)
    values (${p.id}, '2020-01-01T00:00:00Z', ${sql.json({ active: 1, suspended: 0.75, shutoff: 0.5, stopped: 0.5, shelved: 0, shelved_offloaded: 0 })}, 0,
            ${sql.json([])}, ${sql.json({ CPU: 0.5 })}, 'EUR')`;

  const now = new Date();
  const lastMonthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const lastMonthEnd = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0));
  const at10th = new Date(lastMonthStart.getTime() + 9 * 24 * HOUR);
  const alpha = `alpha-${tag}`;
  const beta = `beta-${tag}`;
  const gamma = `gamma-${tag}`;
  const alphaServer = `6a1f0000-0000-4000-8000-${tag.padStart(12, "0").slice(-12)}`;
  // Last month: alpha 2 vCPU ACTIVE 10 h (20 SUs); beta 4 vCPU SUSPENDED 10 h (40 CPU-h, 30 SUs).
  await seedProject(sql, p.id, alpha, alphaServer, [{ status: "ACTIVE", vcpus: 2, ramMb: 4096, diskGb: 20, start: at10th, end: new Date(at10th.getTime() + 10 * HOUR) }]);
  await seedProject(sql, p.id, beta, `beta-srv-${tag}`, [{ status: "SUSPENDED", vcpus: 4, ramMb: 8192, diskGb: 40, start: at10th, end: new Date(at10th.getTime() + 10 * HOUR) }]);
  // This month: gamma running since the 1st.
  await seedProject(sql, p.id, gamma, `gamma-srv-${tag}`, [
    { status: "ACTIVE", vcpus: 1, ramMb: 2048, diskGb: 10, start: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)), end: null },
  ]);

  await page.goto(`/providers/${p.id}`);
  await page.getByRole("navigation", { name: "Provider sections" }).getByRole("link", { name: "Usage" }).click();
  await expect(page).toHaveURL(new RegExp(`/providers/${p.id}/usage$`));
  await expect(page.getByRole("heading", { name: `Usage: ${name}` })).toBeVisible();

  // This month by default: only gamma.
  const table = page.getByRole("table", { name: `Usage by project on ${name}` });
  await expect(table.getByRole("row")).toHaveCount(2);
  await expect(table.getByRole("row").nth(1)).toContainText(`${gamma}-project`);
  await expect(page.getByTestId("current-rules")).toContainText("CPU 0.5 EUR/SU");

  // Last month: alpha and beta, beta first by SUs.
  await page.getByLabel("From", { exact: true }).fill(day(lastMonthStart));
  await page.getByLabel("To", { exact: true }).fill(day(lastMonthEnd));
  await page.getByRole("button", { name: "Show", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`from=${day(lastMonthStart)}`));
  await expect(table.getByRole("row")).toHaveCount(3);
  const betaRow = table.getByRole("row").nth(1);
  await expect(betaRow).toContainText(`${beta}-project`);
  const cells = betaRow.getByRole("cell");
  await expect(cells.nth(2)).toHaveText("40"); // CPU-hours (every state)
  await expect(cells.nth(3)).toHaveText("80"); // RAM GB-hours
  await expect(cells.nth(5)).toHaveText("30"); // SUs: 75 % while suspended
  await expect(cells.nth(6)).toHaveText("15"); // cost at 0.5 EUR/SU
  await expect(table.getByRole("row").nth(2).getByRole("cell").nth(5)).toHaveText("20");
  const totals = page.getByTestId("usage-totals");
  await expect(totals).toContainText("SUs50");
  await expect(page.getByRole("img", { name: /SUs by month and SU type/ })).toBeVisible();

  // Search keeps the range.
  await page.getByLabel("Project or user", { exact: true }).fill(alpha);
  await page.getByRole("button", { name: "Show", exact: true }).click();
  await expect(table.getByRole("row")).toHaveCount(2);
  await expect(table.getByRole("row").nth(1)).toContainText(alpha);
  expect(number(await totals.getByText(/^SUs/).locator("..").innerText())).toBe(20);

  // The APEL download: header, then a record for alpha's VM.
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "APEL records" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`${name}-${day(lastMonthStart)}-${day(lastMonthEnd)}.apel.txt`);
  const stream = await file.createReadStream();
  let text = "";
  for await (const chunk of stream) text += chunk;
  const [header, ...rest] = text.split("\n");
  expect(header).toBe("APEL-cloud-message: v0.4");
  const records = rest.join("\n").split("%%\n").filter(Boolean);
  expect(records).toHaveLength(2);
  const alphaRecord = records.find((r) => r.includes(`VMUUID: ${alphaServer}\n`))!;
  expect(alphaRecord).toContain(`SiteName: ${name}\n`);
  expect(alphaRecord).toContain("CpuCount: 2\n");
  expect(alphaRecord).toContain("Status: started\n");
  expect(alphaRecord).toContain(`WallDuration: ${10 * 3600}\n`);
  expect(alphaRecord).toContain(`LocalGroupId: pid-${alpha}\n`);
  expect(alphaRecord).toContain("PublicIPCount: 1\n");
  // A format that is not one (an object property's name included) is a 400 with what to ask for.
  for (const format of ["xml", "constructor", "toString"]) {
    const bad = await page.request.get(`/providers/${p.id}/usage/export?format=${format}`);
    expect(bad.status()).toBe(400);
    expect((await bad.text()).trim()).toBe("Ask for format=apel, csv or json.");
  }

  // A new rules version from tomorrow; history is listed, the old one ends today.
  await page.goto(`/providers/${p.id}/usage`);
  await page.getByLabel(/^Rates/).fill("CPU=0.75");
  await page.getByRole("button", { name: "Add rules version" }).click();
  const tomorrow = day(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1)));
  await expect(page.getByText(`New rules for ${name} apply from ${tomorrow} (00:00 UTC).`)).toBeVisible();
  await page.reload();
  await expect(page.getByRole("table", { name: "Rules versions" }).getByRole("row")).toHaveCount(3);

  const audit = await sql<{ action: string; n: number }[]>`
    select action, count(*)::int as n from audit_log where target_type = 'provider' and target_id = ${String(p.id)} group by action order by action`;
  expect(audit).toEqual([
    { action: "accounting.export", n: 1 },
    { action: "accounting.rules.create", n: 1 },
  ]);
});
