import { describe, expect, it } from "vitest";

import {
  classTotals,
  fitsOnHost,
  flavorNeeds,
  fullIn,
  growthPerDay,
  oversubscription,
  sortClasses,
  sumQuotas,
  usableOf,
  whatStillFits,
  type ClassInventory,
  type HostCapacity,
} from "./capacity";

const inv = (total: number, o: Partial<ClassInventory> = {}): ClassInventory => ({
  total,
  reserved: 0,
  minUnit: 1,
  maxUnit: total,
  stepSize: 1,
  allocationRatio: 1,
  ...o,
});

const host = (uuid: string, inventories: Record<string, ClassInventory>, usages: Record<string, number> = {}): HostCapacity => ({
  uuid,
  name: uuid,
  inventories,
  usages,
  aggregates: [],
  traits: [],
});

describe("usableOf", () => {
  it.each([
    ["plain", inv(8), 8],
    ["ratio 16", inv(8, { allocationRatio: 16 }), 128],
    ["reserved before the ratio", inv(8, { reserved: 2, allocationRatio: 4 }), 24],
    ["fractional ratio floors", inv(10, { allocationRatio: 1.5, reserved: 1 }), 13],
    ["reserved above total", inv(4, { reserved: 8 }), 0],
    ["zero capacity class", inv(0, { maxUnit: 0 }), 0],
  ])("%s", (_name, i, expected) => expect(usableOf(i)).toBe(expected));
});

describe("fitsOnHost", () => {
  const h = host(
    "a",
    {
      VCPU: inv(16, { allocationRatio: 4, reserved: 0, maxUnit: 16 }), // 64 usable
      MEMORY_MB: inv(65536, { reserved: 512, allocationRatio: 1.5, maxUnit: 65536 }), // 97536 usable
      DISK_GB: inv(1000, { reserved: 100, maxUnit: 1000 }), // 900 usable
    },
    { VCPU: 10, MEMORY_MB: 8192, DISK_GB: 500 },
  );
  it.each([
    ["limited by vCPU", { VCPU: 8, MEMORY_MB: 1024, DISK_GB: 10 }, 6], // 54 / 8
    ["limited by memory", { VCPU: 1, MEMORY_MB: 16384 }, 5], // (97536 − 8192) / 16384 = 5.45
    ["limited by disk", { VCPU: 1, MEMORY_MB: 512, DISK_GB: 80 }, 5], // 400 / 80
    ["above max_unit fits nowhere though room is left", { VCPU: 17, MEMORY_MB: 512 }, 0],
    ["a class the host lacks", { VCPU: 1, CUSTOM_GPU: 1 }, 0],
    ["flavor with 0 disk ignores disk", { VCPU: 1, MEMORY_MB: 1024, DISK_GB: 0 }, 54],
    ["asks for nothing", {}, Number.POSITIVE_INFINITY],
  ])("%s", (_name, needs, expected) => expect(fitsOnHost(h, needs)).toBe(expected));

  it("honours min_unit and step_size", () => {
    const g = host("g", { CUSTOM_HUGEPAGE: inv(64, { minUnit: 4, stepSize: 4, maxUnit: 32 }) });
    expect(fitsOnHost(g, { CUSTOM_HUGEPAGE: 2 })).toBe(0);
    expect(fitsOnHost(g, { CUSTOM_HUGEPAGE: 6 })).toBe(0);
    expect(fitsOnHost(g, { CUSTOM_HUGEPAGE: 8 })).toBe(8);
  });

  it("over-used hosts (ratio lowered after the fact) fit nothing, never a negative count", () => {
    expect(fitsOnHost(host("o", { VCPU: inv(8) }, { VCPU: 20 }), { VCPU: 1 })).toBe(0);
  });

  it("a zero-capacity class fits nothing", () => {
    expect(fitsOnHost(host("z", { VCPU: inv(0, { maxUnit: 0 }) }), { VCPU: 1 })).toBe(0);
  });
});

describe("whatStillFits", () => {
  // Fragmented: 12 free vCPUs in total, but at most 4 on any host.
  const fragmented = [
    host("h1", { VCPU: inv(8), MEMORY_MB: inv(32768) }, { VCPU: 4, MEMORY_MB: 8192 }),
    host("h2", { VCPU: inv(8), MEMORY_MB: inv(32768) }, { VCPU: 4, MEMORY_MB: 8192 }),
    host("h3", { VCPU: inv(8), MEMORY_MB: inv(32768) }, { VCPU: 4, MEMORY_MB: 30720 }),
  ];
  const flavors = [
    flavorNeeds({ flavorId: "s", name: "small", vcpus: 1, ramMb: 2048, diskGb: 0 }),
    flavorNeeds({ flavorId: "m", name: "medium", vcpus: 4, ramMb: 8192, diskGb: 0 }),
    flavorNeeds({ flavorId: "l", name: "large", vcpus: 6, ramMb: 8192, diskGb: 0 }),
  ];

  it("sums per host and never across hosts", () => {
    const r = whatStillFits(fragmented, flavors);
    expect(r.flavors.map((f) => [f.name, f.fits, f.perHost])).toEqual([
      ["large", 0, {}],
      ["medium", 2, { h1: 1, h2: 1 }],
      ["small", 9, { h1: 4, h2: 4, h3: 1 }],
    ]);
    expect(r.largestFitting?.name).toBe("medium");
  });

  it("nothing fits: no largest flavor", () => {
    const r = whatStillFits([host("x", { VCPU: inv(2) }, { VCPU: 2 })], flavors);
    expect(r.largestFitting).toBeNull();
    expect(r.flavors.every((f) => f.fits === 0)).toBe(true);
  });

  it("no hosts: nothing fits", () => {
    expect(whatStillFits([], flavors).flavors.map((f) => f.fits)).toEqual([0, 0, 0]);
  });
});

describe("flavorNeeds", () => {
  it.each([
    ["root + ephemeral + swap", { vcpus: 2, ramMb: 4096, diskGb: 20, ephemeralGb: 10, swapMb: 1536 }, { VCPU: 2, MEMORY_MB: 4096, DISK_GB: 32 }],
    ["0 disk (boot from volume) asks no disk", { vcpus: 1, ramMb: 512, diskGb: 0 }, { VCPU: 1, MEMORY_MB: 512 }],
    [
      "resources: extra specs add and remove classes",
      { vcpus: 4, ramMb: 512, diskGb: 1, extraSpecs: { "resources:CUSTOM_GPU": "1", "resources:VCPU": "0", "hw:cpu_policy": "dedicated" } },
      { MEMORY_MB: 512, DISK_GB: 1, CUSTOM_GPU: 1 },
    ],
  ])("%s", (_name, f, expected) => expect(flavorNeeds({ flavorId: "f", name: "f", ...f }).resources).toEqual(expected));
});

describe("classTotals", () => {
  it("sums total, reserved, usable, used, free; standard classes first", () => {
    const t = classTotals([
      host("a", { CUSTOM_X: inv(2), VCPU: inv(8, { allocationRatio: 2 }), MEMORY_MB: inv(1024, { reserved: 24 }) }, { VCPU: 20, MEMORY_MB: 500 }),
      host("b", { VCPU: inv(4) }, { VCPU: 1 }),
    ]);
    expect(t.map((c) => c.resourceClass)).toEqual(["VCPU", "MEMORY_MB", "CUSTOM_X"]);
    expect(t[0]).toEqual({ resourceClass: "VCPU", total: 12, reserved: 0, usable: 20, used: 21, free: 3, hosts: 2, fraction: 21 / 20 });
    expect(t[1]).toMatchObject({ usable: 1000, used: 500, free: 500, fraction: 0.5 });
    expect(t[2]).toMatchObject({ used: 0, fraction: 0 });
  });

  it("sortClasses", () => expect(sortClasses(["B", "DISK_GB", "A", "VCPU"])).toEqual(["VCPU", "DISK_GB", "A", "B"]));
});

describe("quota against capacity", () => {
  it("sums granted quotas, counts unlimited apart, and divides by usable", () => {
    const g = sumQuotas([{ cores: 20, ramMb: 51200 }, { cores: -1, ramMb: 10240 }, { cores: 44 }]);
    expect(g).toEqual([
      { resourceClass: "VCPU", granted: 64, unlimited: 1 },
      { resourceClass: "MEMORY_MB", granted: 61440, unlimited: 0 },
    ]);
    const o = oversubscription(g, [{ resourceClass: "VCPU", usable: 32 }]);
    expect(o[0]).toMatchObject({ ratio: 2, usable: 32 });
    expect(o[1]).toMatchObject({ ratio: null, usable: 0 });
  });
});

describe("trend", () => {
  const now = new Date("2026-12-01T00:00:00Z");
  const day = (d: number) => new Date(now.getTime() - d * 86_400_000);

  it("linear growth: full in (usable − used) / slope days", () => {
    const pts = [10, 8, 6, 4, 2, 0].map((d, i) => ({ at: day(d), used: 10 + i * 4, usable: 100 }));
    expect(growthPerDay(pts)).toBeCloseTo(2);
    expect(fullIn(pts, now)).toMatchObject({ kind: "days", days: 35 }); // last used 30, 70 free at 2 a day;
  });

  it.each([
    ["flat", [5, 5, 5]],
    ["shrinking", [9, 6, 3]],
  ])("%s is not growing", (_n, used) => {
    const pts = used.map((u, i) => ({ at: day(10 - i), used: u, usable: 100 }));
    expect(fullIn(pts, now).kind).toBe("not-growing");
  });

  it("ignores points older than the window, and says full when full", () => {
    const pts = [
      { at: day(60), used: 0, usable: 100 },
      { at: day(2), used: 50, usable: 100 },
      { at: day(1), used: 50, usable: 100 },
    ];
    expect(fullIn(pts, now).kind).toBe("not-growing");
    expect(fullIn([{ at: day(1), used: 100, usable: 100 }], now).kind).toBe("full");
    expect(fullIn([{ at: day(1), used: 1, usable: 100 }], now).kind).toBe("unknown");
    expect(fullIn([], now).kind).toBe("unknown");
  });
});
