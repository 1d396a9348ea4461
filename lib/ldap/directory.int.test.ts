import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { groupMembers, type LdapDirectory } from "./directory";

// Against Debian's slapd started by `bash scripts/ldap.sh start` (fixture scripts/ldap/fixture.ldif).
const ldapEnv = Object.fromEntries(
  execFileSync("bash", ["scripts/ldap.sh", "env"], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
);
const dir: LdapDirectory = {
  url: ldapEnv.LDAP_TEST_URL,
  bindDn: ldapEnv.LDAP_TEST_BIND_DN,
  bindPassword: ldapEnv.LDAP_TEST_BIND_PASSWORD,
  baseDn: ldapEnv.LDAP_TEST_BASE_DN,
  groupFilter: "(objectClass=groupOfNames)",
  usernameAttribute: "uid",
};

describe("groupMembers (slapd)", () => {
  it("lists a group's members by username and refuses names Keystone must not get", async () => {
    const members = await groupMembers(dir, "atmo-user");
    expect(members.usernames).toEqual(["alice", "bob"]);
    expect(members.rejected).toEqual([{ dn: "uid=bad/ name,ou=people,dc=cloudport,dc=test", username: "bad/ name", reason: expect.stringContaining("only letters") }]);
    expect((await groupMembers(dir, "atmo-staff")).usernames).toEqual(["carol"]);
  });

  it("escapes the group name: filter syntax in it matches only a group of that literal name", async () => {
    // Unescaped, "*" would match every group and ")(" would inject a clause.
    await expect(groupMembers(dir, "*")).rejects.toThrow('No group named "*"');
    await expect(groupMembers(dir, "atmo-user)(cn=*")).rejects.toThrow("No group named");
    expect((await groupMembers(dir, "weird)(cn=*")).usernames).toEqual(["carol"]);
  });

  it("says so for an unknown group, a wrong password, and a bad filter", async () => {
    await expect(groupMembers(dir, "nobody-here")).rejects.toThrow('No group named "nobody-here"');
    const wrong = groupMembers({ ...dir, bindPassword: "wrong" }, "atmo-user");
    await expect(wrong).rejects.toThrow(/Could not connect and bind/);
    await expect(wrong).rejects.not.toThrow(/wrong/);
    await expect(groupMembers({ ...dir, groupFilter: "objectClass=*" }, "atmo-user")).rejects.toThrow("one LDAP filter in parentheses");
    await expect(groupMembers({ ...dir, usernameAttribute: "uid)(x" }, "atmo-user")).rejects.toThrow("attribute name");
  });
});

// The TLS twin (ldaps://, a throw-away CA) that `bash scripts/ldap.sh start` starts beside it.
describe("groupMembers over ldaps:// (slapd's TLS twin)", () => {
  const tls: LdapDirectory = { ...dir, url: ldapEnv.LDAP_TEST_TLS_URL };
  const goodCa = readFileSync(ldapEnv.LDAP_TEST_CA_FILE, "utf8");

  it("reads the group when the CA bundle holds the CA that issued the server's certificate", async () => {
    expect((await groupMembers({ ...tls, caBundle: goodCa }, "atmo-user")).usernames).toEqual(["alice", "bob"]);
  });

  it("refuses another CA, and the system CAs, with what to fix (never with verification off)", async () => {
    const other = mkdtempSync(path.join(tmpdir(), "cptest-other-ca-"));
    try {
      execFileSync("bash", ["scripts/test-ca.sh", other]);
      const wrongCa = readFileSync(path.join(other, "ca.pem"), "utf8");
      await expect(groupMembers({ ...tls, caBundle: wrongCa }, "atmo-user")).rejects.toThrow(
        `Could not connect and bind to ${new URL(tls.url).host}: the server's certificate is not signed by the CA bundle saved for this directory: paste the CA that issued it (PEM).`,
      );
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
    await expect(groupMembers({ ...tls, caBundle: null }, "atmo-user")).rejects.toThrow("not signed by a CA this machine trusts: paste the directory's CA certificate (PEM) in the CA bundle.");
  });
});


// The same twin on plain ldap:// at this machine's own address (not loopback, so Cloudport
// upgrades with StartTLS), where slapd refuses every operation before the upgrade (ssf=128):
// a bind that works there went through TLS, verified against the CA bundle.
describe("groupMembers over ldap:// with StartTLS (slapd's TLS twin)", () => {
  const startTls: LdapDirectory = { ...dir, url: ldapEnv.LDAP_TEST_STARTTLS_URL };
  const goodCa = readFileSync(ldapEnv.LDAP_TEST_CA_FILE, "utf8");

  it("upgrades before binding and reads the group with the CA bundle; without it, says what to fix", async () => {
    expect(ldapEnv.LDAP_TEST_STARTTLS_URL, "scripts/ldap.sh found no address of this machine besides loopback").toMatch(/^ldap:\/\/[^/]+:\d+$/);
    expect((await groupMembers({ ...startTls, caBundle: goodCa }, "atmo-user")).usernames).toEqual(["alice", "bob"]);
    await expect(groupMembers({ ...startTls, caBundle: null }, "atmo-user")).rejects.toThrow(
      `Could not connect and bind to ${new URL(startTls.url).host}: the server's certificate is not signed by a CA this machine trusts`,
    );
  });
});
