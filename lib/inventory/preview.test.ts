import { describe, expect, it } from "vitest";
import { PAGE_WALK_LIMIT } from "./generate";
import { inventoryPreview } from "./preview";

// A /8 pool is 16,777,216 addresses: the page must not walk them. These run in well under a
// second because every walk is bounded (first lines, at most PAGE_WALK_LIMIT addresses); a
// page that walked the whole pool would take minutes and hold millions of map entries.
const slash8 = { providerId: 9, providerName: "big", networkName: "public", pools: [{ start: "10.0.0.0", end: "10.255.255.255" }] };

describe("inventoryPreview with a /8 pool", () => {
  it("shows the first lines of hosts and counts the rest without generating them", () => {
    const p = inventoryPreview({ ...slash8, hostnameFormat: "vm-%(two)s-%(three)s-%(four)s.example.org" }, {}, { lines: 20 });
    expect(p.problem).toBeNull();
    expect(p.addresses).toBe(16_777_216);
    expect(p.hosts!.lines).toHaveLength(20);
    expect(p.hosts!.lines.at(-1)).toBe("vm-0-0-13.example.org ansible_host=10.0.0.13 ansible_port=22");
    expect(p.hosts!.total).toBe(16_777_216 + 6);
    expect(p.zone!.lines).toHaveLength(20);
    expect(p.zone!.total).toBe(16_777_216 + 2);
  });

  it("stops the collision scan at the limit and says so", () => {
    const p = inventoryPreview({ ...slash8, hostnameFormat: "vm%(four)s.example.org" }, {}, { lines: 20 });
    expect(p.collisions.partial).toBe(true);
    expect(p.collisions.scanned).toBe(PAGE_WALK_LIMIT);
    expect(p.collisions.count).toBe(PAGE_WALK_LIMIT - 256);
  });

  it("counts the default format's zone (names are addresses) as its header and one comment", () => {
    const p = inventoryPreview({ ...slash8, hostnameFormat: "%(one)s.%(two)s.%(three)s.%(four)s" }, {}, { origin: "example.org" });
    expect(p.zone!.total).toBe(4);
    expect(p.zone!.lines).toHaveLength(4);
  });

  it("gives the reason instead of any file when the format is not a DNS name", () => {
    const p = inventoryPreview({ ...slash8, hostnameFormat: "vm%(four)s ansible_ssh_common_args=x" }, { A: "1" });
    expect(p.problem).toMatch(/Hostnames must be DNS names/);
    expect(p.hosts).toBeNull();
    expect(p.zone).toBeNull();
    expect(p.groupVars.lines).toContain('A: !unsafe "1"');
  });
});
