import { describe, expect, it } from "vitest";
import { DNS_NAME_RULE, dnsNameProblem, singleLine, UnsafeTextError } from "./dns-name";
import { DEFAULT_HOSTNAME_FORMAT, formatHostname, hostnameDomainProblem, hostnameFormatProblem } from "./hostname-format";

describe("formatHostname", () => {
  it.each([
    ["vm%(four)s.example.org", "1.2.3.40", "", "vm40.example.org"],
    [DEFAULT_HOSTNAME_FORMAT, "203.0.113.101", "", "203.0.113.101"],
    ["vm-%(three)s-%(four)s.%(domain)s", "10.1.2.3", "cloud.edu", "vm-2-3.cloud.edu"],
    ["vm%(four)s.%(domain)s", "10.1.2.3", "", "vm3."],
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

describe("hostname formats that are not DNS names (injection into generated files)", () => {
  it.each([
    ["space + Ansible variable", "vm%(four)s ansible_ssh_common_args='-o ProxyCommand=touch /tmp/pwned'"],
    ["newline + Ansible host line", "vm%(four)s.example.org\nevil ansible_host=6.6.6.6"],
    ["carriage return", "vm%(four)s.example.org\r"],
    ["$ORIGIN directive", "vm%(four)s\n$ORIGIN evil.example."],
    ["$INCLUDE directive", "$INCLUDE /etc/passwd %(four)s"],
    ["semicolon (zone comment / shell separator)", "vm%(four)s;rm -rf ~"],
    ["literal %%", "h%(one)s%%%(four)s"],
    ["underscore", "vm_%(four)s.example.org"],
    ["label over 63 characters", `${"a".repeat(61)}%(four)s.example.org`],
    ["name over 253 characters", `vm%(four)s.${Array.from({ length: 5 }, () => "a".repeat(60)).join(".")}`],
    ["leading dash", "-vm%(four)s.example.org"],
    ["empty label", "vm%(four)s..example.org"],
  ])("%s is refused with the DNS rule and an example", (_, format) => {
    const problem = hostnameFormatProblem(format);
    expect(problem).toContain("Hostnames must be DNS names, e.g. vm%(four)s.cloud.example.org");
    expect(() => formatHostname(format, "1.2.3.4")).toThrow(DNS_NAME_RULE);
  });

  it("checks the longest names an octet can give (255), not just one address", () => {
    // 60 + "1" fits 63; 60 + "255" does not.
    const format = `${"a".repeat(61)}%(four)s.example.org`;
    expect(() => formatHostname(format, "10.0.0.1")).toThrow(/longer than 63/);
  });

  it.each([
    ["a space", "cloud example.org"],
    ["a newline", "cloud.example.org\n$ORIGIN evil."],
    ["an Ansible variable", "x ansible_become_pass=1"],
    ["a semicolon", "cloud;example.org"],
  ])("refuses a %%(domain)s value with %s", (_, domain) => {
    expect(hostnameDomainProblem(domain)).toMatch(/is not a DNS name/);
    expect(hostnameFormatProblem("vm%(four)s.%(domain)s", domain)).toMatch(/is not a DNS name/);
    expect(() => formatHostname("vm%(four)s.%(domain)s", "1.2.3.4", domain)).toThrow(/is not a DNS name/);
  });

  it("checks the domain even when the format does not use it", () => {
    expect(hostnameFormatProblem("vm%(four)s.example.org", "a b")).toMatch(/is not a DNS name/);
    expect(hostnameFormatProblem("vm%(four)s.example.org", "")).toBeNull();
  });
});

describe("dnsNameProblem / singleLine", () => {
  it.each([
    ["vm1.example.org", null],
    ["vm1.example.org.", null],
    ["203.0.113.7", null],
    ["-vm.example.org", /label "-vm"/],
    [`${"a".repeat(64)}.org`, /longer than 63/],
    [`${"a.".repeat(127)}a`, /longer than 253/],
    ["vm 1.org", /not 1–63 letters/],
    ["vm1.org\nx", /"org\\nx"/],
  ])("%j → %s", (name, expected) => {
    const problem = dnsNameProblem(name);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });

  it.each(["a\nb", "a\rb", "a\u2028b", "a\u0000b", "a\u001bb"])("singleLine refuses %j", (v) => {
    expect(() => singleLine(v, "The name")).toThrow(UnsafeTextError);
    expect(() => singleLine(v, "The name")).toThrow(/line break or control character/);
  });

  it("singleLine keeps ordinary text", () => expect(singleLine("My Cloud (test) ; x", "The name")).toBe("My Cloud (test) ; x"));
});
