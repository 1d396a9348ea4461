import { describe, expect, it } from "vitest";
import { checkMappingDomain, federationId, FederationIdError, isFederationId, readFederation } from "./federation";

const account = { id: "default", name: "Default" };
const user = (extra: Record<string, unknown> = {}) => ({ user: { name: "{0}", ...extra } });
const rule = (...local: unknown[]) => ({ local, remote: [{ type: "OIDC-preferred_username" }] });

describe("Keystone federation ids", () => {
  it.each([
    ["egi.eu", true],
    ["openid", true],
    ["cptest-federation-idp_1", true],
    ["a".repeat(64), true],
    ["a".repeat(65), false],
    ["", false],
    ["..", false],
    ["-leading", false],
    ["with/slash", false],
    ["with space", false],
    ["q?x=1", false],
    ["line\nbreak", false],
    ["%2e%2e", false],
  ])("%j valid: %s", (id, ok) => {
    expect(isFederationId(id)).toBe(ok);
    if (ok) expect(federationId(id, "The id")).toBe(id);
    else expect(() => federationId(id, "The id")).toThrow(FederationIdError);
  });

  it("reads a stored setting only when both ids validate", () => {
    expect(readFederation({ idp: "egi.eu", protocol: "openid" })).toEqual({ idp: "egi.eu", protocol: "openid" });
    expect(readFederation({ idp: "egi.eu" })).toBeUndefined();
    expect(readFederation({ idp: "../users", protocol: "openid" })).toBeUndefined();
    expect(readFederation("egi.eu")).toBeUndefined();
    expect(readFederation(undefined)).toBeUndefined();
  });
});

describe("checkMappingDomain", () => {
  it.each<[string, unknown[], string | null, boolean, RegExp | null]>([
    ["user.domain by id", [rule(user({ domain: { id: "default" } }))], null, true, null],
    ["user.domain by name", [rule(user({ domain: { name: "Default" } }))], null, true, null],
    ["sibling domain entry", [rule(user(), { domain: { id: "default" } })], null, true, null],
    ["falls back to the idp's domain", [rule(user())], "default", true, null],
    ["idp's domain is another", [rule(user())], "abc", false, /domain id "abc"/],
    ["user.domain wins over the idp's", [rule(user({ domain: { id: "other" } }))], "default", false, /domain id "other"/],
    ["no domain anywhere", [rule(user())], null, false, /names no domain/],
    ["a wrong name", [rule(user({ domain: { name: "Federated" } }))], null, false, /domain "Federated"/],
    ["local users refused", [rule(user({ type: "local", domain: { id: "default" } }))], null, false, /type "local"/],
    ["no user rule", [rule({ group: { id: "g" } })], "default", false, /no rule that makes a user/],
    ["not a list", "nope" as unknown as unknown[], "default", false, /no rule/],
    [
      "one good rule and one bad",
      [rule(user({ domain: { id: "default" } })), rule(user({ domain: { id: "x" } }))],
      null,
      false,
      /Rule 2/,
    ],
  ])("%s", (_name, rules, idpDomain, ok, message) => {
    const result = checkMappingDomain(rules, account, idpDomain);
    expect(result.ok).toBe(ok);
    if (!result.ok) expect(result.problems.join(" ")).toMatch(message!);
  });
});
