import { describe, expect, it } from "vitest";
import { chooseSubnetCidr, cidrsOverlap, parseCidr } from "./subnet-choice";

const all24s = () => Array.from({ length: 4096 }, (_, i) => `172.${16 + Math.floor(i / 256)}.${i % 256}.0/24`);

describe("chooseSubnetCidr", () => {
  it.each<[string, string[], string | null]>([
    ["an empty cloud gets the first /24", [], "172.16.0.0/24"],
    ["skips a taken /24", ["172.16.0.0/24"], "172.16.1.0/24"],
    ["skips several, out of order", ["172.16.2.0/24", "172.16.0.0/24", "172.16.1.0/24"], "172.16.3.0/24"],
    ["fills a gap", ["172.16.0.0/24", "172.16.2.0/24"], "172.16.1.0/24"],
    ["a smaller subnet blocks its /24", ["172.16.0.128/25"], "172.16.1.0/24"],
    ["a /32 blocks its /24", ["172.16.0.77/32"], "172.16.1.0/24"],
    ["a larger subnet blocks every /24 in it", ["172.16.0.0/16"], "172.17.0.0/24"],
    ["a /23 blocks two", ["172.16.0.0/23"], "172.16.2.0/24"],
    ["host bits are masked", ["172.16.0.5/24"], "172.16.1.0/24"],
    ["subnets outside the pool do not matter", ["10.0.0.0/8", "192.168.0.0/16", "203.0.113.0/24", "172.32.0.0/24"], "172.16.0.0/24"],
    ["a range ending just below the pool", ["172.15.254.0/23"], "172.16.0.0/24"],
    ["IPv6 and junk are ignored", ["fd00::/64", "2001:db8::/32", "not-a-cidr", "172.16.0.0/33", ""], "172.16.0.0/24"],
    ["a supernet of the pool exhausts it", ["172.0.0.0/8"], null],
    ["the pool itself exhausts it", ["172.16.0.0/12"], null],
    ["0.0.0.0/0 exhausts it", ["0.0.0.0/0"], null],
    ["every /24 taken: exhausted", all24s(), null],
    ["all but the last: the last", all24s().slice(0, -1), "172.31.255.0/24"],
    ["all but one in the middle", all24s().filter((c) => c !== "172.20.7.0/24"), "172.20.7.0/24"],
  ])("%s", (_label, taken, expected) => {
    expect(chooseSubnetCidr(taken)).toBe(expected);
  });

  it("chooses a fresh CIDR each time the previous choice is added", () => {
    const taken: string[] = ["172.16.1.0/24"];
    const chosen = Array.from({ length: 5 }, () => {
      const c = chooseSubnetCidr(taken)!;
      taken.push(c);
      return c;
    });
    expect(chosen).toEqual(["172.16.0.0/24", "172.16.2.0/24", "172.16.3.0/24", "172.16.4.0/24", "172.16.5.0/24"]);
    expect(new Set(taken).size).toBe(taken.length);
  });

  it("returns the preferred CIDR when it is free, aligned and in the pool", () => {
    expect(chooseSubnetCidr([], { preferred: "172.20.5.0/24" })).toBe("172.20.5.0/24");
    expect(chooseSubnetCidr(["172.20.5.0/24"], { preferred: "172.20.5.0/24" })).toBe("172.16.0.0/24");
    expect(chooseSubnetCidr(["172.20.0.0/16"], { preferred: "172.20.5.0/24" })).toBe("172.16.0.0/24");
    expect(chooseSubnetCidr([], { preferred: "10.1.2.0/24" })).toBe("172.16.0.0/24");
    expect(chooseSubnetCidr([], { preferred: "172.20.0.0/23" })).toBe("172.16.0.0/24");
    expect(chooseSubnetCidr([], { preferred: "garbage" })).toBe("172.16.0.0/24");
  });

  it("works with another pool and prefix", () => {
    expect(chooseSubnetCidr(["10.0.0.0/26"], { pool: "10.0.0.0/24", prefix: 26 })).toBe("10.0.0.64/26");
    expect(chooseSubnetCidr(["10.0.0.0/24"], { pool: "10.0.0.0/24", prefix: 26 })).toBeNull();
    expect(() => chooseSubnetCidr([], { pool: "10.0.0.0/24", prefix: 16 })).toThrow(/does not fit/);
    expect(() => chooseSubnetCidr([], { pool: "nope" })).toThrow(/not an IPv4 CIDR/);
  });

  it("is fast with thousands of subnets", () => {
    const taken = all24s().filter((_, i) => i % 2 === 0);
    const t = performance.now();
    for (let i = 0; i < 10; i++) chooseSubnetCidr(taken);
    // About 5 ms per call on a laptop; the bound only catches a quadratic regression.
    expect(performance.now() - t).toBeLessThan(1_000);
  });
});

describe("CIDR helpers", () => {
  it("parses and masks", () => {
    expect(parseCidr("172.16.0.5/24")).toEqual({ start: parseCidr("172.16.0.0/24")!.start, size: 256 });
    expect(parseCidr("fd00::/8")).toBeNull();
    expect(parseCidr("1.2.3.4")).toBeNull();
  });
  it("tells overlaps", () => {
    expect(cidrsOverlap("172.16.0.0/12", "172.31.255.0/24")).toBe(true);
    expect(cidrsOverlap("172.16.0.0/24", "172.16.1.0/24")).toBe(false);
    expect(cidrsOverlap("172.16.0.128/25", "172.16.0.0/24")).toBe(true);
  });
});
