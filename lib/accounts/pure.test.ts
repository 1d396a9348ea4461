import { describe, expect, it } from "vitest";
import { parseOpenrc } from "@/lib/openstack/testing/env";
import { deriveAccountPassword } from "@/lib/domain/account-password";
import { buildOpenrc, openrcFileName } from "./openrc";
import { parseUsernameList } from "./usernames";

const SECRET = "0123456789abcdef0123456789abcdef";

describe("parseUsernameList", () => {
  it("splits on commas, new lines, spaces and semicolons, keeps order, drops duplicates", () => {
    expect(parseUsernameList("cmart, alice\nbob;; carol\r\n  Alice ,cmart\n")).toEqual({
      usernames: ["cmart", "alice", "bob", "carol"],
      invalid: [],
    });
  });
  it("refuses names Keystone should not get", () => {
    expect(parseUsernameList("ok.user, -dash, bad/slash, émile, x@lab.org")).toEqual({
      usernames: ["ok.user", "x@lab.org"],
      invalid: ["-dash", "bad/slash", "émile"],
    });
    expect(parseUsernameList("  \n, ")).toEqual({ usernames: [], invalid: [] });
    expect(parseUsernameList("a".repeat(65)).invalid).toHaveLength(1);
  });
});

describe("buildOpenrc", () => {
  const input = { authUrl: "https://cloud.example.org:5000/v3", region: "RegionOne", username: "cmart", projectName: "cmart", projectId: "090a144b", domain: "Default", providerName: "lab" };
  it("has what the CLI needs and prompts for the password", () => {
    const text = buildOpenrc(input);
    expect(parseOpenrc(text)).toMatchObject({
      OS_AUTH_URL: input.authUrl,
      OS_PROJECT_ID: "090a144b",
      OS_PROJECT_NAME: "cmart",
      OS_USER_DOMAIN_NAME: "Default",
      OS_PROJECT_DOMAIN_NAME: "Default",
      OS_USERNAME: "cmart",
      OS_REGION_NAME: "RegionOne",
      OS_INTERFACE: "public",
      OS_IDENTITY_API_VERSION: "3",
    });
    expect(text).toContain("read -sr OS_PASSWORD_INPUT\nexport OS_PASSWORD=$OS_PASSWORD_INPUT");
    expect(text).not.toContain(deriveAccountPassword("cmart", SECRET));
  });
  it("uses domain ids for the default domain and quotes shell characters", () => {
    const text = buildOpenrc({ ...input, domain: "default", projectId: null, projectName: 'we"ird$`x' });
    expect(text).toContain('export OS_USER_DOMAIN_ID="default"');
    expect(text).not.toContain("OS_PROJECT_ID");
    expect(text).toContain('export OS_PROJECT_NAME="we\\"ird\\$\\`x"');
  });
  it("names the file safely", () => {
    expect(openrcFileName("cmart", "My Cloud")).toBe("cmart-My-Cloud-openrc.sh");
  });
});
