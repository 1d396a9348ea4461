import { describe, expect, it } from "vitest";
import { ipToNumber, numberToIp, poolAddresses, poolSample, poolSize } from "./ipv4";

describe("ipv4", () => {
  it("round-trips addresses", () => {
    for (const ip of ["0.0.0.0", "1.2.3.4", "203.0.113.250", "255.255.255.255"]) expect(numberToIp(ipToNumber(ip))).toBe(ip);
    expect(() => ipToNumber("1.2.3.256")).toThrow(/not an IPv4/);
    expect(() => ipToNumber("1.2.3")).toThrow(/not an IPv4/);
  });
  it("samples first, middle and last over several pools, skipping IPv6", () => {
    const pools = [
      { start: "203.0.113.100", end: "203.0.113.102" },
      { start: "2001:db8::10", end: "2001:db8::20" },
      { start: "198.51.100.1", end: "198.51.100.2" },
    ];
    expect(poolSize(pools)).toBe(5);
    expect([...poolAddresses(pools)]).toEqual(["203.0.113.100", "203.0.113.101", "203.0.113.102", "198.51.100.1", "198.51.100.2"]);
    expect(poolSample(pools)).toEqual(["203.0.113.100", "203.0.113.102", "198.51.100.2"]);
    expect(poolSample([{ start: "10.0.0.5", end: "10.0.0.5" }])).toEqual(["10.0.0.5"]);
    expect(poolSample([])).toEqual([]);
  });
  it("crosses octet boundaries", () => {
    expect([...poolAddresses([{ start: "10.0.0.254", end: "10.0.1.1" }])]).toEqual(["10.0.0.254", "10.0.0.255", "10.0.1.0", "10.0.1.1"]);
  });
});
