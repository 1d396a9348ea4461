import { describe, expect, it } from "vitest";
import {
  accountingSlices,
  accountSegments,
  APEL_FIELDS,
  APEL_HEADER,
  apelRecord,
  apelRecordText,
  apelMonthlyRecords,
  apelValue,
  formatProjectVos,
  fqanOf,
  parseProjectVos,
  voOf,
  VO_PATTERN,
  classifyFlavor,
  csvCell,
  DEFAULT_RULES,
  effectiveVersions,
  parseDayRange,
  rulesProblems,
  stateWeight,
  totalOf,
  type AccountingRules,
  type AccountingSegment,
  type ApelInstance,
} from "./accounting";
import { computeAllocation, type AllocationStrategy } from "./allocation";

const d = (iso: string) => new Date(iso.endsWith("Z") ? iso : `${iso}Z`);
const NOW = d("2024-04-15T00:00");
const MARCH = { from: d("2024-03-01T00:00"), to: d("2024-04-01T00:00") };

function seg(status: string, vcpus: number, start: string, end: string | null, more: Partial<AccountingSegment> = {}): AccountingSegment {
  return { status, vcpus, ramMb: vcpus * 2048, diskGb: 20, flavorId: `f${vcpus}`, flavorName: `m1.v${vcpus}`, start: d(start), end: end ? d(end) : null, ...more };
}
const rules = (p: Partial<AccountingRules> = {}): AccountingRules => ({ ...DEFAULT_RULES, effectiveFrom: d("2020-01-01T00:00"), rates: { CPU: 0.01 }, ...p });

describe("state weights", () => {
  it.each([
    ["ACTIVE", 1],
    ["active", 1],
    ["SUSPENDED", 0.75],
    ["SHUTOFF", 0.5],
    ["STOPPED", 0.5],
    ["SHELVED", 0],
    ["SHELVED_OFFLOADED", 0],
    ["ERROR", 0],
    ["BUILD", 0],
    ["PAUSED", 0],
  ])("%s weighs %d by default", (status, w) => expect(stateWeight(DEFAULT_RULES, status)).toBe(w));

  it("uses otherWeight for unlisted states", () => expect(stateWeight({ stateWeights: { active: 1 }, otherWeight: 0.2 }, "ERROR")).toBe(0.2));
});

describe("flavor multipliers", () => {
  const ms = [
    { suType: "GPU", factor: 8, extraSpec: { key: "resources:VGPU" } },
    { suType: "GPU-A100", factor: 16, extraSpec: { key: "pci_passthrough:alias", value: "a100:1" } },
    { suType: "LargeMem", factor: 2, flavorPattern: "r3.*" },
  ];
  it.each([
    [{ flavorName: "g3.small", extraSpecs: { "resources:VGPU": "1" } }, "GPU", 8],
    [{ flavorName: "g3.large", extraSpecs: { "pci_passthrough:alias": "A100:1" } }, "GPU-A100", 16],
    [{ flavorName: "g3.other", extraSpecs: { "pci_passthrough:alias": "v100:1" } }, "CPU", 1],
    [{ flavorName: "R3.XL", extraSpecs: {} }, "LargeMem", 2],
    [{ flavorName: "m3.r3.xl", extraSpecs: {} }, "CPU", 1],
    [{ flavorName: null, extraSpecs: null }, "CPU", 1],
  ])("%o → %s × %d", (flavor, suType, factor) => expect(classifyFlavor(ms, flavor)).toEqual({ suType, factor }));
});

describe("slices", () => {
  it("cuts at month boundaries and version starts", () => {
    const versions = effectiveVersions([rules(), rules({ effectiveFrom: d("2024-03-16T00:00"), rates: { CPU: 0.02 } })]);
    const slices = accountingSlices(versions, { from: d("2024-02-20T00:00"), to: d("2024-04-10T00:00") });
    expect(slices.map((s) => [s.start.toISOString(), s.end.toISOString(), s.version, s.month])).toEqual([
      ["2024-02-20T00:00:00.000Z", "2024-03-01T00:00:00.000Z", 1, "2024-02"],
      ["2024-03-01T00:00:00.000Z", "2024-03-16T00:00:00.000Z", 1, "2024-03"],
      ["2024-03-16T00:00:00.000Z", "2024-04-01T00:00:00.000Z", 2, "2024-03"],
      ["2024-04-01T00:00:00.000Z", "2024-04-10T00:00:00.000Z", 2, "2024-04"],
    ]);
  });
  it("puts the defaults (no rate) before the first stored version", () => {
    const v = effectiveVersions([rules({ effectiveFrom: d("2024-03-10T00:00") })]);
    expect(v).toHaveLength(2);
    expect(v[0].rates).toEqual({});
    expect(accountSegments([seg("ACTIVE", 1, "2024-03-09T00:00", "2024-03-11T00:00")], v.slice(1), MARCH, NOW).map((l) => [l.version, l.suHours, l.cost])).toEqual([
      [0, 24, 0],
      [1, 24, 0.24],
    ]);
  });
});

describe("accountSegments", () => {
  type Case = { name: string; segments: AccountingSegment[]; versions?: AccountingRules[]; range?: { from: Date; to: Date }; expect: Array<Record<string, unknown>> };
  const cases: Case[] = [
    {
      name: "range clipping: only the part inside the range counts",
      segments: [seg("ACTIVE", 2, "2024-02-28T00:00", "2024-03-02T00:00"), seg("ACTIVE", 2, "2024-03-31T00:00", "2024-04-02T00:00")],
      expect: [{ month: "2024-03", suType: "CPU", hours: 48, cpuHours: 96, activeCpuHours: 96, suHours: 96, cost: 0.96 }],
    },
    {
      name: "month boundaries: one line per month",
      segments: [seg("ACTIVE", 1, "2024-02-29T12:00", "2024-03-01T12:00")],
      range: { from: d("2024-02-01T00:00"), to: d("2024-04-01T00:00") },
      expect: [
        { month: "2024-02", hours: 12, suHours: 12 },
        { month: "2024-03", hours: 12, suHours: 12 },
      ],
    },
    {
      name: "resize mid-period: each segment with its own size",
      segments: [seg("ACTIVE", 1, "2024-03-01T00:00", "2024-03-02T00:00"), seg("ACTIVE", 4, "2024-03-02T00:00", "2024-03-03T00:00", { diskGb: 80 })],
      expect: [{ hours: 48, cpuHours: 24 + 96, ramGbHours: 24 * 2 + 24 * 8, diskGbHours: 24 * 20 + 24 * 80, suHours: 120 }],
    },
    {
      name: "state weights: active 100 %, suspended 75 %, shutoff 50 %, shelved 0 %; CPU-hours unweighted",
      segments: [
        seg("ACTIVE", 2, "2024-03-01T00:00", "2024-03-01T10:00"),
        seg("SUSPENDED", 2, "2024-03-01T10:00", "2024-03-01T20:00"),
        seg("SHUTOFF", 2, "2024-03-01T20:00", "2024-03-02T06:00"),
        seg("SHELVED_OFFLOADED", 2, "2024-03-02T06:00", "2024-03-02T16:00"),
      ],
      expect: [{ hours: 40, cpuHours: 80, activeCpuHours: 20, suHours: 20 + 15 + 10 + 0 }],
    },
    {
      name: "rate change mid-month: two lines, each with its rate",
      segments: [seg("ACTIVE", 1, "2024-03-10T00:00", "2024-03-20T00:00")],
      versions: [rules(), rules({ effectiveFrom: d("2024-03-15T00:00"), rates: { CPU: 0.05 } })],
      expect: [
        { month: "2024-03", version: 1, rate: 0.01, suHours: 120, cost: 1.2 },
        { month: "2024-03", version: 2, rate: 0.05, suHours: 120, cost: 6 },
      ],
    },
    {
      name: "weights change with the version too",
      segments: [seg("SHUTOFF", 1, "2024-03-10T00:00", "2024-03-20T00:00")],
      versions: [rules(), rules({ effectiveFrom: d("2024-03-15T00:00"), stateWeights: { ...DEFAULT_RULES.stateWeights, shutoff: 0 } })],
      expect: [
        { version: 1, suHours: 60 },
        { version: 2, suHours: 0, cpuHours: 120 },
      ],
    },
    {
      name: "a server with no flavor data counts 0 and is flagged as unsized hours",
      segments: [seg("ACTIVE", 0, "2024-03-01T00:00", "2024-03-02T00:00", { ramMb: 0, diskGb: 0, flavorId: null, flavorName: null })],
      expect: [{ hours: 24, unsizedHours: 24, cpuHours: 0, suHours: 0, cost: 0 }],
    },
    {
      name: "an open segment runs to now, never past it",
      segments: [seg("ACTIVE", 1, "2024-04-14T00:00", null)],
      range: { from: d("2024-04-01T00:00"), to: d("2024-05-01T00:00") },
      expect: [{ month: "2024-04", hours: 24 }],
    },
    {
      name: "GPU multiplier gives its own SU type and rate",
      segments: [seg("ACTIVE", 4, "2024-03-01T00:00", "2024-03-01T10:00", { extraSpecs: { "resources:VGPU": "1" } })],
      versions: [rules({ multipliers: [{ suType: "GPU", factor: 8, extraSpec: { key: "resources:VGPU" } }], rates: { CPU: 0.01, GPU: 0.5 } })],
      expect: [{ suType: "GPU", suHours: 320, rate: 0.5, cost: 160, cpuHours: 40 }],
    },
  ];
  it.each(cases)("$name", (c) => {
    const lines = accountSegments(c.segments, c.versions ?? [rules()], c.range ?? MARCH, NOW);
    expect(lines).toHaveLength(c.expect.length);
    c.expect.forEach((want, i) => {
      for (const [k, v] of Object.entries(want)) {
        if (typeof v === "number") expect((lines[i] as unknown as Record<string, number>)[k], `${k} of line ${i}`).toBeCloseTo(v, 9);
        else expect((lines[i] as unknown as Record<string, unknown>)[k]).toBe(v);
      }
    });
  });
});

describe("accounting and the allocation engine agree", () => {
  const STRATEGY: AllocationStrategy = {
    countingBehavior: "1 Month - Calendar Window",
    refreshBehaviors: ["First of the Month"],
    rulesBehaviors: ["Ignore non-active status", "Multiply by Size CPU"],
    threshold: 168,
  };
  const now = d("2024-03-20T06:30");
  const segments = [
    seg("BUILD", 2, "2024-02-27T00:00", "2024-02-27T00:05"),
    seg("ACTIVE", 2, "2024-02-27T00:05", "2024-03-03T07:00"),
    seg("SHUTOFF", 2, "2024-03-03T07:00", "2024-03-05T00:00"),
    seg("ACTIVE", 8, "2024-03-05T00:00", "2024-03-07T13:20"),
    seg("SUSPENDED", 8, "2024-03-07T13:20", "2024-03-10T00:00"),
    seg("active", 8, "2024-03-10T00:00", null),
  ];
  const range = { from: d("2024-03-01T00:00"), to: d("2024-04-01T00:00") };
  const allocation = computeAllocation({ strategy: STRATEGY, joinedAt: d("2023-01-01T00:00"), segments, now });

  it("allocation usage (ACTIVE × vCPUs) = accounting's active CPU-hours", () => {
    const t = totalOf(accountSegments(segments, [rules()], range, now));
    expect(t.activeCpuHours).toBeCloseTo(allocation.usage, 9);
    // With the default weights SUs also charge the SHUTOFF and SUSPENDED time, so they are more.
    expect(t.suHours).toBeGreaterThan(allocation.usage);
    expect(t.suHours).toBeCloseTo(allocation.usage + 2 * 41 * 0.5 + 8 * (2 * 24 + 10 + 40 / 60) * 0.75, 6);
  });
  it("with only ACTIVE weighted (100 %) and no multipliers, SUs = allocation usage", () => {
    const activeOnly = rules({ stateWeights: { active: 1 }, otherWeight: 0 });
    const t = totalOf(accountSegments(segments, [activeOnly], range, now));
    expect(t.suHours).toBeCloseTo(allocation.usage, 9);
  });
});

describe("rules validation", () => {
  it("names each problem", () => {
    const problems = rulesProblems({
      stateWeights: { active: 1.5 },
      otherWeight: 0,
      multipliers: [{ suType: "", factor: -1 }],
      rates: { CPU: -2 },
      currency: "dollars",
    });
    expect(problems).toEqual([
      "The weight of active must be between 0 % and 100 %.",
      "Multiplier 1 needs an SU type name.",
      "Multiplier 1 needs a factor of 0 or more.",
      "Multiplier 1 needs a flavor name pattern or an extra spec key.",
      "The rate of CPU SUs must be 0 or more.",
      "The currency must be a three-letter code such as USD or EUR.",
    ]);
    expect(rulesProblems(DEFAULT_RULES)).toEqual([]);
  });
});

describe("day ranges", () => {
  it.each([
    ["2024-03-01", "2024-03-31", "2024-03-01T00:00:00.000Z", "2024-04-01T00:00:00.000Z"],
    ["2024-02-29", "2024-02-29", "2024-02-29T00:00:00.000Z", "2024-03-01T00:00:00.000Z"],
  ])("%s..%s", (a, b, from, to) => {
    const r = parseDayRange(a, b, NOW)!;
    expect([r.from.toISOString(), r.to.toISOString()]).toEqual([from, to]);
  });
  it.each([
    ["2023-02-29", "2023-03-01"],
    ["2024-03-10", "2024-03-01"],
    ["x", "2024-03-01"],
  ])("refuses %s..%s", (a, b) => expect(parseDayRange(a, b, NOW)).toBeNull());
  it("defaults to this month", () => expect(parseDayRange(undefined, undefined, NOW)?.from.toISOString()).toBe("2024-04-01T00:00:00.000Z"));
});

describe("APEL records", () => {
  const vm: ApelInstance = {
    serverId: "6f1b9a4e-0000-4000-8000-000000000001",
    name: "vm\n%%\nVMUUID: injected",
    projectId: "p1",
    projectName: "alice-project",
    openstackUserId: "u1",
    username: "alice",
    imageId: "img-1",
    publicIpCount: 1,
    endDate: null,
  };
  const site = { siteName: "TEST-SITE", cloudComputeService: "nova.example.org" };
  const segs = [
    seg("ACTIVE", 2, "2024-03-01T00:00", "2024-03-01T01:00"),
    seg("SHUTOFF", 2, "2024-03-01T01:00", "2024-03-01T02:00"),
    seg("ACTIVE", 4, "2024-03-01T02:00", null, { ramMb: 8192, diskGb: 40 }),
  ];

  it("is cumulative to the range end, with the last size and a status", () => {
    const r = apelRecord(vm, segs, site, d("2024-03-01T03:00"), NOW)!;
    expect(r).toMatchObject({
      VMUUID: vm.serverId,
      SiteName: "TEST-SITE",
      CloudComputeService: "nova.example.org",
      Status: "started",
      StartTime: Date.parse("2024-03-01T00:00:00Z") / 1000,
      EndTime: null,
      WallDuration: 7200,
      SuspendDuration: 3600,
      CpuDuration: 3600 * 2 + 3600 * 4,
      CpuCount: 4,
      Memory: 8192,
      Disk: 40,
      CloudType: "OpenStack",
    });
  });
  it("is suspended while shut off, completed once gone", () => {
    expect(apelRecord(vm, segs.slice(0, 2), site, d("2024-03-01T01:30"), NOW)?.Status).toBe("suspended");
    const gone = apelRecord({ ...vm, endDate: d("2024-03-01T05:00") }, [seg("ACTIVE", 2, "2024-03-01T00:00", "2024-03-01T05:00")], site, d("2024-04-01T00:00"), NOW)!;
    expect(gone).toMatchObject({ Status: "completed", EndTime: Date.parse("2024-03-01T05:00:00Z") / 1000, WallDuration: 5 * 3600 });
  });
  it("writes every field in order, one line each, and nothing can break out of a line", () => {
    const text = apelRecordText(apelRecord(vm, segs, site, d("2024-03-01T03:00"), NOW)!);
    const lines = text.trimEnd().split("\n");
    expect(lines).toHaveLength(APEL_FIELDS.length + 1);
    expect(lines.map((l) => l.split(":")[0])).toEqual([...APEL_FIELDS, "%%"]);
    expect(lines).toContain("MachineName: vm % VMUUID: injected");
    // APEL splits the message on "%%" before anything else: only the record ends may carry it.
    expect(text.split("%%")).toHaveLength(2);
    expect(lines).toContain("NetworkType: None");
    expect(APEL_HEADER).toBe("APEL-cloud-message: v0.4");
    expect(apelValue("")).toBe("None");
  });
  it.each([
    ["a %% b", "a % b"],
    ["50%%%", "50%"],
    ["%\n%", "% %"],
    ["x\u0085y\u2028z\u2029w\u000bv", "x y z w v"],
    ["%%", "%"],
    ["\n", "None"],
    ["Müller 100 %", "Müller 100 %"],
  ])("neutralises %j to %j, with no double percent sign and no line break", (input, want) => {
    expect(apelValue(input)).toBe(want);
    expect(apelValue(input)).not.toMatch(/%%|[\r\n\u0085\u2028\u2029]/);
  });
  it("accounts to the site's VO, or the project's own, in cASO's FQAN form; no VO gives None, never the project name", () => {
    expect(apelRecord(vm, segs, site, d("2024-03-01T03:00"), NOW)!.FQAN).toBeNull();
    expect(apelRecordText(apelRecord(vm, segs, site, d("2024-03-01T03:00"), NOW)!)).toContain("\nFQAN: None\n");
    const withVo = { ...site, vo: "vo.example.org" };
    expect(apelRecord(vm, segs, withVo, d("2024-03-01T03:00"), NOW)!.FQAN).toBe("/vo.example.org/Role=NULL/Capability=NULL");
    expect(apelRecord(vm, segs, { ...withVo, projectVos: { "alice-project": "biomed" } }, d("2024-03-01T03:00"), NOW)!.FQAN).toBe("/biomed/Role=NULL/Capability=NULL");
    expect(apelRecord(vm, segs, { ...withVo, projectVos: { p1: "by-id", "alice-project": "by-name" } }, d("2024-03-01T03:00"), NOW)!.FQAN).toBe("/by-id/Role=NULL/Capability=NULL");
    expect(apelRecord(vm, segs, { ...withVo, projectVos: { other: "biomed" } }, d("2024-03-01T03:00"), NOW)!.FQAN).toBe("/vo.example.org/Role=NULL/Capability=NULL");
  });
  it("has no record for a VM that had not started by the range end", () => {
    expect(apelRecord(vm, segs, site, d("2024-02-01T00:00"), NOW)).toBeNull();
  });
});

describe("CSV cells", () => {
  it.each([
    ["=HYPERLINK(\"x\")", `"'=HYPERLINK(""x"")"`],
    ["+1", "'+1"],
    ["-2", "'-2"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["a,b", '"a,b"'],
    ["plain", "plain"],
  ])("%s → %s", (v, want) => expect(csvCell(v)).toBe(want));
  it("writes numbers as numbers, even negative", () => expect(csvCell(-1.5)).toBe("-1.5"));
});

describe("project VO lines", () => {
  it("reads project = vo lines, by name or id", () => {
    expect(parseProjectVos("alice-project = biomed\n\n  6f1b9a4e0000 = vo.example.org  \n")).toEqual({
      projectVos: { "alice-project": "biomed", "6f1b9a4e0000": "vo.example.org" },
      problems: [],
    });
    expect(formatProjectVos({ a: "b", c: "d" })).toBe("a = b\nc = d");
    const odd = parseProjectVos("__proto__ = biomed");
    expect(Object.keys(odd.projectVos)).toEqual(["__proto__"]);
    expect(voOf({ vo: "v", projectVos: odd.projectVos }, null, "__proto__")).toBe("biomed");
  });
  it.each([
    ["no-equals", "VO line 1 should look like"],
    ["= biomed", "VO line 1 should look like"],
    ["p =", "VO line 1 should look like"],
    ["p = bio med", "VO line 1: A VO is a name such as"],
    ["p = /biomed/Role=NULL", "VO line 1: A VO is a name such as"],
    ["p = a\np = b", "The VO of p is given twice."],
  ])("refuses %j with a sentence", (text, problem) => {
    const r = parseProjectVos(text);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toContain(problem);
  });
  it.each([
    ["vo.example.org", true],
    ["fedcloud.egi.eu", true],
    ["ops", true],
    ["a/b", false],
    ["", false],
    ["-x", false],
    ["vo %% x", false],
  ])("VO %j valid: %s", (vo, ok) => expect(VO_PATTERN.test(vo)).toBe(ok));
  it("looks a project up by id, then name, then falls back to the site's VO", () => {
    expect(voOf({ vo: "site-vo", projectVos: { p: "x" } }, "p", "name")).toBe("x");
    expect(voOf({ vo: "site-vo", projectVos: { name: "y" } }, "p", "name")).toBe("y");
    expect(voOf({ vo: "site-vo", projectVos: {} }, null, null)).toBe("site-vo");
    expect(voOf({ vo: null }, "p", "n")).toBeNull();
    expect(voOf({ vo: "v", projectVos: {} }, "toString", "constructor")).toBe("v");
    expect(fqanOf(null)).toBeNull();
  });
});

describe("APEL records per month", () => {
  const vm: ApelInstance = {
    serverId: "vm-1",
    name: "vm",
    projectId: "p1",
    projectName: "p",
    openstackUserId: "u1",
    username: "alice",
    imageId: null,
    publicIpCount: 0,
    endDate: null,
  };
  const site = { siteName: "S", cloudComputeService: "nova" };
  // Records end one second before a month boundary (measured at the boundary, APEL would count
  // them for the next month): hence the "- 1" of every month that is not cut short.
  const H = 3600;
  const DAY = 24 * H;
  const epoch = (iso: string) => Date.parse(`${iso}Z`) / 1000;
  // Measurement month as APEL computes it: StartTime + SuspendDuration + WallDuration.
  const measured = (r: { StartTime: unknown; SuspendDuration: unknown; WallDuration: unknown }) =>
    new Date((Number(r.StartTime) + Number(r.SuspendDuration) + Number(r.WallDuration)) * 1000).toISOString().slice(0, 7);

  type Row = [
    name: string,
    segments: AccountingSegment[],
    endDate: string | null,
    range: [string, string],
    want: Array<{ month: string; Status: string; WallDuration: number; SuspendDuration?: number; CpuCount?: number; CpuDuration?: number }>,
  ];
  const rows: Row[] = [
    [
      "a VM running over three months gives three cumulative records",
      [seg("ACTIVE", 2, "2024-01-15T00:00", null)],
      null,
      ["2024-01-01T00:00", "2024-04-01T00:00"],
      [
        { month: "2024-01", Status: "started", WallDuration: 17 * DAY - 1, CpuDuration: 2 * (17 * DAY - 1) },
        { month: "2024-02", Status: "started", WallDuration: (17 + 29) * DAY - 1 },
        { month: "2024-03", Status: "started", WallDuration: (17 + 29 + 31) * DAY - 1 },
      ],
    ],
    [
      "a range starting mid-VM is still cumulative from the VM's start; the last month ends at the range end",
      [seg("ACTIVE", 1, "2024-01-15T00:00", null)],
      null,
      ["2024-02-10T00:00", "2024-03-05T00:00"],
      [
        { month: "2024-02", Status: "started", WallDuration: (17 + 29) * DAY - 1 },
        { month: "2024-03", Status: "started", WallDuration: (17 + 29 + 4) * DAY },
      ],
    ],
    [
      "a VM deleted in February has no March record, and is completed in February",
      [seg("ACTIVE", 1, "2024-01-31T00:00", "2024-02-02T00:00")],
      "2024-02-02T00:00",
      ["2024-01-01T00:00", "2024-04-01T00:00"],
      [
        { month: "2024-01", Status: "started", WallDuration: DAY - 1 },
        { month: "2024-02", Status: "completed", WallDuration: 2 * DAY },
      ],
    ],
    [
      "a resize in February: January's record keeps the old size",
      [seg("ACTIVE", 2, "2024-01-31T00:00", "2024-02-01T12:00"), seg("ACTIVE", 8, "2024-02-01T12:00", "2024-02-02T00:00"), seg("SHUTOFF", 8, "2024-02-02T00:00", null)],
      null,
      ["2024-01-01T00:00", "2024-03-01T00:00"],
      [
        { month: "2024-01", Status: "started", WallDuration: DAY - 1, CpuCount: 2, CpuDuration: 2 * (DAY - 1) },
        { month: "2024-02", Status: "suspended", WallDuration: 2 * DAY, SuspendDuration: 28 * DAY - 1, CpuCount: 8, CpuDuration: 2 * 1.5 * DAY + 8 * 12 * H },
      ],
    ],
    [
      "a VM started in March has no January or February record",
      [seg("ACTIVE", 1, "2024-03-31T23:00", null)],
      null,
      ["2024-01-01T00:00", "2024-04-01T00:00"],
      [{ month: "2024-03", Status: "started", WallDuration: H - 1 }],
    ],
    [
      "the month of now ends at now",
      [seg("ACTIVE", 1, "2024-03-31T00:00", null)],
      null,
      ["2024-03-01T00:00", "2024-05-01T00:00"],
      [
        { month: "2024-03", Status: "started", WallDuration: DAY - 1 },
        { month: "2024-04", Status: "started", WallDuration: 15 * DAY },
      ],
    ],
  ];
  it.each(rows)("%s", (_name, segments, endDate, [from, to], want) => {
    const records = apelMonthlyRecords({ ...vm, endDate: endDate ? d(endDate) : null }, segments, site, { from: d(from), to: d(to) }, d(to), NOW);
    expect(records.map((r, i) => ({ month: measured(r), ...Object.fromEntries(Object.keys(want[i] ?? {}).filter((k) => k !== "month").map((k) => [k, r[k as keyof typeof r]])) }))).toEqual(want);
    for (const r of records) expect(r.StartTime).toBe(epoch(segments[0].start.toISOString().slice(0, 16)));
    // One record per VM and month: APEL's key.
    expect(new Set(records.map(measured)).size).toBe(records.length);
  });
});
