import { beforeEach, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/dal";
import { runAction } from "@/lib/actions/safe-action";
import { insertProvider } from "@/lib/allocation/fixtures";
import { listAuditEntries } from "@/lib/db/queries/audit";
import {
  accountSegments,
  APEL_FIELDS,
  APEL_HEADER,
  DEFAULT_RULES,
  totalOf,
  type AccountingRules,
  type UsageTotals,
} from "@/lib/domain/accounting";
import { makeUser, testDb, truncateAll } from "@/test/db";
import { saveRulesDef, saveSiteDef } from "./actions";
import { insertAccountingUsers, insertFlavors, syntheticAccounting, type AccountingFixtureUser } from "./fixtures";
import { aggregateUsage, insertRuleVersion, listRuleVersions, providerSegments } from "./queries";
import { apelExport, getUsagePage, invoiceCsvExport, jsonExport, siteOf } from "./service";

vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

const d = (iso: string) => new Date(`${iso}Z`);
const NOW = d("2024-03-20T12:00");
const RANGE = { from: d("2024-02-01T00:00"), to: d("2024-04-01T00:00") };

const V1: AccountingRules = {
  ...DEFAULT_RULES,
  effectiveFrom: d("2024-01-01T00:00"),
  multipliers: [
    { suType: "GPU", factor: 8, extraSpec: { key: "resources:VGPU" } },
    { suType: "LargeMem", factor: 2, flavorPattern: "r3.*" },
  ],
  rates: { CPU: 0.01, GPU: 0.4, LargeMem: 0.02 },
  currency: "EUR",
};
// Mid-range: a rate change and different weights.
const V2: AccountingRules = {
  ...V1,
  effectiveFrom: d("2024-03-10T00:00"),
  stateWeights: { active: 1, suspended: 0.5, shutoff: 0.25, paused: 0.1 },
  otherWeight: 0.05,
  rates: { CPU: 0.015, GPU: 0.5 },
};

async function collect(gen: AsyncGenerator<string>) {
  let s = "";
  for await (const c of gen) s += c;
  return s;
}

function close(a: UsageTotals, b: UsageTotals, what: string) {
  for (const k of ["hours", "cpuHours", "activeCpuHours", "ramGbHours", "diskGbHours", "suHours", "cost", "unsizedHours"] as const) {
    expect(a[k], `${what}: ${k}`).toBeCloseTo(b[k], 6);
  }
}

describe("accounting over PostgreSQL", async () => {
  const db = await testDb();
  let providerId: number;
  let admin: SessionUser;

  beforeEach(async () => {
    await truncateAll(db);
    providerId = await insertProvider(db, "acct-cloud");
    await insertFlavors(db, providerId);
    const u = await makeUser(db, { username: "operator", isStaff: true, isSuperuser: true });
    admin = { id: u.id, username: u.username, isStaff: true, isSuperuser: true, isActive: true } as SessionUser;
  });

  it("the SQL aggregation agrees with the pure engine on random data (1,000 users)", async () => {
    const people = syntheticAccounting(1000, NOW, { perUser: 2, segments: 6, days: 60 });
    await insertAccountingUsers(db, providerId, people);
    await insertRuleVersion(db, providerId, V1, null, null);
    await insertRuleVersion(db, providerId, V2, null, null);
    const stored = await listRuleVersions(db, providerId);

    const sqlRows = await aggregateUsage(db, { providerId, range: RANGE, now: NOW, rules: stored, groupBy: ["project"] });
    const segments = await providerSegments(db, providerId, RANGE);
    const byProject = new Map<string, typeof segments>();
    for (const s of segments) byProject.set(s.projectKey, [...(byProject.get(s.projectKey) ?? []), s]);

    expect(sqlRows.length).toBe(byProject.size);
    expect(sqlRows.length).toBeGreaterThan(900);
    for (const row of sqlRows) {
      close(row, totalOf(accountSegments(byProject.get(row.projectKey!) ?? [], stored, RANGE, NOW)), row.projectKey!);
    }
    // Some of everything was exercised.
    const all = accountSegments(segments, stored, RANGE, NOW);
    expect(new Set(all.map((l) => l.suType))).toEqual(new Set(["CPU", "GPU", "LargeMem"]));
    expect(new Set(all.map((l) => l.version))).toEqual(new Set([1, 2]));
    expect(totalOf(all).unsizedHours).toBeGreaterThan(0);

    // By month, version and SU type too.
    const lines = await aggregateUsage(db, { providerId, range: RANGE, now: NOW, rules: stored, groupBy: ["month", "version", "su_type"] });
    expect(lines.length).toBe(all.length);
    for (const l of all) {
      const row = lines.find((r) => r.month === l.month && r.version === l.version && r.suType === l.suType)!;
      close(row, l, `${l.month}/${l.version}/${l.suType}`);
    }
  });

  it("pages, sorts and searches on the server", async () => {
    await insertAccountingUsers(db, providerId, syntheticAccounting(60, NOW, { days: 10 }));
    await insertRuleVersion(db, providerId, V1, null, null);
    const page1 = await getUsagePage(db, providerId, { range: RANGE, now: NOW, pageSize: 25 });
    expect(page1.total).toBe(60);
    expect(page1.rows).toHaveLength(25);
    const sus = page1.rows.map((r) => r.suHours);
    expect([...sus].sort((a, b) => b - a)).toEqual(sus);
    const page3 = await getUsagePage(db, providerId, { range: RANGE, now: NOW, pageSize: 25, page: 3 });
    expect(page3.rows).toHaveLength(10);
    expect(page3.total).toBe(60);
    const past = await getUsagePage(db, providerId, { range: RANGE, now: NOW, pageSize: 25, page: 9 });
    expect(past.rows).toHaveLength(0);
    expect(past.total).toBe(60);

    const found = await getUsagePage(db, providerId, { range: RANGE, now: NOW, search: "acct000042" });
    expect(found.rows.map((r) => r.username)).toEqual(["acct000042"]);
    expect(found.rows[0]).toMatchObject({ projectKey: "proj-acct000042", projectName: "acct000042-project" });
    // Totals of the chart add up to the whole table.
    const everyone = await aggregateUsage(db, { providerId, range: RANGE, now: NOW, rules: page1.stored, groupBy: ["project"] });
    expect(page1.totals.suHours).toBeCloseTo(everyone.reduce((s, r) => s + r.suHours, 0), 6);
    const byName = await getUsagePage(db, providerId, { range: RANGE, now: NOW, sort: "project", pageSize: 3 });
    expect(byName.rows.map((r) => r.projectName)).toEqual(["acct000000-project", "acct000001-project", "acct000002-project"]);
  });

  it("never adds costs across currencies: totals per currency when the range's versions differ", async () => {
    const people = syntheticAccounting(12, NOW, { days: 40 });
    await insertAccountingUsers(db, providerId, people);
    await insertRuleVersion(db, providerId, V1, null, null);
    await insertRuleVersion(db, providerId, { ...V2, currency: "USD" }, null, null);
    const page = await getUsagePage(db, providerId, { range: RANGE, now: NOW });
    expect(page.currencies).toEqual(["EUR", "USD"]);
    // Each currency's total is the cost of its version's period, from the engine.
    const segments = await providerSegments(db, providerId, RANGE);
    const lines = accountSegments(segments, page.stored, RANGE, NOW);
    const want = (c: string) => lines.filter((l) => l.currency === c).reduce((s, l) => s + l.cost, 0);
    expect(want("EUR")).toBeGreaterThan(0);
    expect(want("USD")).toBeGreaterThan(0);
    expect(page.costByCurrency.EUR).toBeCloseTo(want("EUR"), 6);
    expect(page.costByCurrency.USD).toBeCloseTo(want("USD"), 6);
    // The chart is still one bar part per month and SU type (March has both versions).
    const keys = page.chart.map((c) => `${c.month} ${c.suType}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(page.chart.reduce((s, c) => s + c.suHours, 0)).toBeCloseTo(page.totals.suHours, 6);

    // A range inside one version has one currency, the one of that version.
    const feb = await getUsagePage(db, providerId, { range: { from: d("2024-02-01T00:00"), to: d("2024-03-01T00:00") }, now: NOW });
    expect(feb.currencies).toEqual(["EUR"]);
    expect(feb.costByCurrency.EUR).toBeCloseTo(feb.totals.cost, 6);
  });

  it("saves rules as new dated versions only, audited, and refuses to rewrite history", async () => {
    const deps = { getUser: async () => admin, getDb: async () => db, getIp: async () => "203.0.113.5" };
    const form = {
      providerId,
      effectiveFrom: "2024-03-01",
      weightActive: "100",
      weightSuspended: "75",
      weightPaused: "0",
      weightStopped: "50",
      weightShelved: "0",
      weightOther: "0",
      currency: "usd",
      rates: "CPU=0.012\nGPU=0.5",
      multipliers: "GPU | 8 | | resources:VGPU\nA100 | 16 | g2.* | pci_passthrough:alias=a100:1",
    };
    const first = await runAction(deps, saveRulesDef, form);
    expect(first).toMatchObject({ ok: true, data: { effectiveFrom: "2024-03-01" } });
    const again = await runAction(deps, saveRulesDef, { ...form, effectiveFrom: "2024-02-15" });
    expect(again).toMatchObject({ ok: false, error: { code: "conflict" } });
    if (!again.ok) expect(again.error.message).toContain("must start after");
    const bad = await runAction(deps, saveRulesDef, { ...form, effectiveFrom: "2024-04-01", rates: "CPU: cheap", weightActive: "120" });
    expect(bad.ok).toBe(false);
    const second = await runAction(deps, saveRulesDef, { ...form, effectiveFrom: "2024-03-15", rates: "CPU=0.02" });
    expect(second.ok).toBe(true);

    const versions = await listRuleVersions(db, providerId);
    expect(versions.map((v) => [v.effectiveFrom.toISOString().slice(0, 10), v.rates.CPU, v.currency])).toEqual([
      ["2024-03-01", 0.012, "USD"],
      ["2024-03-15", 0.02, "USD"],
    ]);
    expect(versions[0].stateWeights).toMatchObject({ active: 1, suspended: 0.75, shutoff: 0.5, stopped: 0.5, shelved_offloaded: 0 });
    expect(versions[0].multipliers[1]).toEqual({ suType: "A100", factor: 16, flavorPattern: "g2.*", extraSpec: { key: "pci_passthrough:alias", value: "a100:1" } });
    const audit = await listAuditEntries(db, { action: "accounting.rules.create" });
    expect(audit.rows).toHaveLength(2);

    const notStaff = { ...deps, getUser: async () => ({ ...admin, isStaff: false, isSuperuser: false }) };
    expect(await runAction(notStaff, saveRulesDef, { ...form, effectiveFrom: "2025-01-01" })).toMatchObject({ ok: false, error: { code: "forbidden" } });

    expect((await siteOf(db, providerId))?.configured).toBe(false);
    expect(await runAction(deps, saveSiteDef, { providerId, siteName: "CP-SITE", cloudComputeService: "nova.cp.example" })).toMatchObject({ ok: true });
    expect(await siteOf(db, providerId)).toEqual({ siteName: "CP-SITE", cloudComputeService: "nova.cp.example", vo: null, projectVos: {}, configured: true });
    // The site's VO and projects accounted to another VO.
    const badVo = await runAction(deps, saveSiteDef, { providerId, siteName: "CP-SITE", cloudComputeService: "nova.cp.example", vo: "/vo/Role=NULL", projectVos: "" });
    expect(badVo).toMatchObject({ ok: false, error: { code: "invalid_input" } });
    expect(JSON.stringify(badVo)).toContain("A VO is a name such as vo.example.org");
    const badLines = await runAction(deps, saveSiteDef, { providerId, siteName: "CP-SITE", cloudComputeService: "nova.cp.example", vo: "vo.cp.example", projectVos: "ok = biomed\nbroken" });
    expect(badLines).toMatchObject({ ok: false, error: { code: "invalid_input", fieldErrors: { projectVos: [expect.stringContaining("VO line 2 should look like")] } } });
    expect((await siteOf(db, providerId))?.vo).toBeNull();
    const saved = await runAction(deps, saveSiteDef, { providerId, siteName: "CP-SITE", cloudComputeService: "nova.cp.example", vo: "vo.cp.example", projectVos: "alice-project = biomed" });
    expect(saved).toMatchObject({ ok: true, data: { message: expect.stringContaining("VO vo.cp.example, 1 project mapped") } });
    expect(await siteOf(db, providerId)).toMatchObject({ vo: "vo.cp.example", projectVos: { "alice-project": "biomed" } });
    const siteAudit = await listAuditEntries(db, { action: "accounting.site.update" });
    expect(siteAudit.rows[0].details).toMatchObject({ after: { vo: "vo.cp.example", projectVos: { "alice-project": "biomed" } } });
    // Cleared again: no VO.
    expect(await runAction(deps, saveSiteDef, { providerId, siteName: "CP-SITE", cloudComputeService: "nova.cp.example", vo: "", projectVos: "" })).toMatchObject({ ok: true });
    expect(await siteOf(db, providerId)).toMatchObject({ vo: null, projectVos: {} });
  });

  it("exports APEL, invoice CSV and JSON in batches that add up to the page's totals", async () => {
    const people: AccountingFixtureUser[] = syntheticAccounting(23, NOW, { perUser: 2, days: 40 });
    // A formula in a project name must not reach a spreadsheet as one.
    people[0].username = "=cmd|' /C calc'!A0";
    people[1].instances[0].endDate = d("2024-03-05T00:00");
    people[1].instances[0].segments = [{ status: "ACTIVE", vcpus: 2, ramMb: 4096, diskGb: 40, flavorId: "f-medium", flavorName: "m1.medium", start: d("2024-03-01T00:00"), end: d("2024-03-05T00:00") }];
    await insertAccountingUsers(db, providerId, people);
    await insertRuleVersion(db, providerId, V1, null, null);
    await insertRuleVersion(db, providerId, V2, null, null);
    const page = await getUsagePage(db, providerId, { range: RANGE, now: NOW });
    const site = { siteName: "CP-SITE", cloudComputeService: "nova.cp.example" };

    const progress: number[] = [];
    const apel = await collect(apelExport(db, { providerId, range: RANGE, now: NOW, site, batchSize: 7, onProgress: (n) => progress.push(n) }));
    expect(apel.startsWith(`${APEL_HEADER}\n`)).toBe(true);
    const records = apel.slice(APEL_HEADER.length + 1).split("%%\n").filter(Boolean);
    // One record per VM and calendar month it had time in (APEL keys records on VMUUID + month).
    const months = [
      [d("2024-02-01T00:00"), d("2024-03-01T00:00")],
      [d("2024-03-01T00:00"), new Date(Math.min(RANGE.to.getTime(), NOW.getTime()))],
    ];
    const recordCount = people.reduce(
      (s, p) =>
        s +
        p.instances.reduce(
          (n, i) => n + months.filter(([a, b]) => i.segments.some((g) => g.start < b && (g.end ?? NOW) > a)).length,
          0,
        ),
      0,
    );
    expect(recordCount).toBeGreaterThan(people.length);
    expect(records).toHaveLength(recordCount);
    expect(progress.at(-1)).toBe(recordCount);
    expect(progress.length).toBeGreaterThan(3);
    const parsed = records.map((r) => Object.fromEntries(r.trimEnd().split("\n").map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 2)])));
    expect(Object.keys(parsed[0])).toEqual([...APEL_FIELDS]);
    const measuredMonth = (r: Record<string, string>) =>
      new Date((Number(r.StartTime) + Number(r.SuspendDuration) + Number(r.WallDuration)) * 1000).toISOString().slice(0, 7);
    expect(new Set(parsed.map((r) => `${r.VMUUID} ${measuredMonth(r)}`)).size).toBe(parsed.length);
    expect(parsed.filter((r) => r.VMUUID === people[1].instances[0].serverId)).toHaveLength(1);
    const gone = parsed.find((r) => r.VMUUID === people[1].instances[0].serverId)!;
    expect(gone).toMatchObject({ Status: "completed", CpuCount: "2", Memory: "4096", Disk: "40", WallDuration: String(4 * 86400), SiteName: "CP-SITE", PublicIPCount: "1", LocalGroupId: people[1].projectId });
    expect(gone.EndTime).toBe(String(Date.parse("2024-03-05T00:00:00Z") / 1000));

    const csv = await collect(invoiceCsvExport(db, { providerId, range: RANGE, now: NOW, batchSize: 4 }));
    const lines = csv.trimEnd().split("\n");
    expect(lines[0]).toBe("project,project_id,user,period_start,period_end,su_type,su_hours,rate,currency,cost");
    const costCol = lines.slice(1).map((l) => Number(l.split(",").at(-1)));
    expect(costCol.reduce((a, b) => a + b, 0)).toBeCloseTo(page.totals.cost, 0);
    expect(csv).toContain(`\n'=cmd|' /C calc'!A0-project,proj-`);
    expect(csv).toContain(`,'=cmd|' /C calc'!A0,2024-`);
    expect(csv).not.toMatch(/(^|,)=cmd/m);
    expect(csv).toContain("2024-02-01,2024-03-09");
    expect(csv).toContain("2024-03-10,2024-03-31");

    const json = JSON.parse(await collect(jsonExport(db, { providerId, providerName: "acct-cloud", range: RANGE, now: NOW, batchSize: 5 })));
    expect(json.projects).toHaveLength(page.total);
    const su = json.projects.reduce((s: number, p: { totals: { suHours: number } }) => s + p.totals.suHours, 0);
    expect(su).toBeCloseTo(page.totals.suHours, 3);
    expect(json.rules.map((r: { effectiveFrom: string }) => r.effectiveFrom)).toEqual(["1970-01-01T00:00:00.000Z", "2024-01-01T00:00:00.000Z", "2024-03-10T00:00:00.000Z"]);
    expect(JSON.stringify(json)).not.toMatch(/password|secret/i);
  });
});
