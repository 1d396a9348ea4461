import { describe, expect, it } from "vitest";
import { DEFAULT_HOSTNAME_FORMAT, formatHostname, hostnameFormatProblem } from "./hostname-format";

describe("formatHostname", () => {
  it.each([
    ["vm%(four)s.example.org", "1.2.3.40", "", "vm40.example.org"],
    [DEFAULT_HOSTNAME_FORMAT, "203.0.113.101", "", "203.0.113.101"],
    ["vm-%(three)s-%(four)s.%(domain)s", "10.1.2.3", "cloud.edu", "vm-2-3.cloud.edu"],
    ["h%(one)s%%%(four)s", "9.8.7.6", "", "h9%6"],
  ])("%s with %s → %s", (format, ip, domain, expected) => {
    expect(formatHostname(format, ip, domain)).toBe(expected);
  });

  it.each([
    ["", "Enter a hostname format"],
    ["static.example.org", "at least one octet key"],
    ["%(domain)s", "at least one octet key"],
    ["vm%(five)s.org", "Unknown key %(five)s"],
    ["vm%s.org", 'A lone "%"'],
  ])("refuses %j", (format, message) => {
    expect(hostnameFormatProblem(format)).toContain(message);
    expect(() => formatHostname(format, "1.2.3.4")).toThrow(message);
  });

  it("refuses a non-IPv4 address", () => {
    expect(() => formatHostname(DEFAULT_HOSTNAME_FORMAT, "2001:db8::1")).toThrow("not an IPv4");
  });
});
