import { describe, expect, it } from "vitest";
import type { PreflightReport } from "./schemas";
import { settingsOf, type ProviderSettingsRow } from "./connection";
import { changedSettings, endpointFlags, preflightSummary, urlHost } from "./settings";

const ROW: ProviderSettingsRow = {
  name: "cloud-a",
  platform: "KVM",
  isPublic: true,
  authUrl: "https://keystone.example.org:5000/v3",
  adminUrl: null,
  region: "RegionOne",
  authMethod: "password",
  adminUsername: "admin",
  adminProjectName: "admin",
  adminProjectId: null,
  userDomainName: "Default",
  projectDomainName: "Default",
  userDomainId: null,
  projectDomainId: null,
  applicationCredentialId: null,
  networkName: "public",
  publicRouters: ["r1"],
  cloudConfig: {
    network: { topology: "External Router Topology", dns_nameservers: ["8.8.8.8"], default_security_rules: [["tcp", 22, 22]] },
    user: { admin_role_name: "admin", user_role_name: "member", domain: "default" },
    deploy: { hostname_format: "vm%(four)s.example.org" },
  },
  caBundle: null,
};

const report = (statuses: Array<"pass" | "warn" | "fail">): PreflightReport => ({
  at: "2026-01-01T00:00:00.000Z",
  ok: !statuses.includes("fail"),
  checks: statuses.map((status, i) => ({ id: String(i), label: `check ${i}`, status, detail: "" })),
  catalog: [],
});

describe("preflightSummary", () => {
  it.each([
    [null, "neutral", "never run"],
    [report(["pass", "pass"]), "success", "pass"],
    [report(["pass", "warn"]), "warning", "1 warning"],
    [report(["warn", "warn", "warn"]), "warning", "3 warnings"],
    [report(["warn", "fail"]), "danger", "failed"],
    [{ junk: true } as unknown as PreflightReport, "neutral", "never run"],
  ])("%# → %s %s", (r, tone, label) => expect(preflightSummary(r)).toEqual({ tone, label }));
});

describe("endpointFlags and urlHost", () => {
  it.each([
    ["https://keystone.example.org:5000/v3", false, false],
    ["http://keystone.example.org:5000/v3", true, false],
    ["https://10.0.0.5:8774/v2.1", false, true],
    ["http://192.168.1.1:9292", true, true],
    ["https://[2001:db8::1]:5000", false, true],
    ["not a url", false, false],
  ])("%s", (url, http, ipHost) => expect(endpointFlags(url)).toEqual({ http, ipHost }));
  it("shows host and port", () => {
    expect(urlHost("https://keystone.example.org:5000/v3")).toBe("keystone.example.org:5000");
    expect(urlHost("nope")).toBe("nope");
  });
});

describe("changedSettings", () => {
  it("names only what differs, in form order", () => {
    const before = settingsOf(ROW);
    const after = structuredClone(before);
    expect(changedSettings(before, after)).toEqual([]);
    after.deploy.name = "cloud-b";
    after.connect.region = "RegionTwo";
    after.network.securityRules[0].toPort = 23;
    after.deploy.instanceDomain = "";
    expect(changedSettings(before, after)).toEqual(["region", "securityRules", "name", "instanceDomain"]);
  });
});
