import net from "node:net";
import { Client, escapeFilter, SizeLimitExceededError } from "ldapts";
import { ldapUsernameProblem } from "@/lib/domain/ldap-username";

/** An LDAP directory as the source of accounts (the bind password is the unsealed secret). */
export type LdapDirectory = {
  url: string;
  bindDn: string;
  bindPassword: string;
  baseDn: string;
  /** Which entries are groups, e.g. "(objectClass=groupOfNames)"; the group's cn is added. */
  groupFilter: string;
  /** The member attribute that holds the username, e.g. "uid". */
  usernameAttribute: string;
  /** PEM CA bundle for ldaps:// or StartTLS; the system CAs when unset. Verification is always on. */
  caBundle?: string | null;
  timeoutMs?: number;
};

export type GroupMembers = {
  /** Usernames fit for Keystone, sorted, without duplicates. */
  usernames: string[];
  /** Members whose username cannot be used, with why (never provisioned). */
  rejected: Array<{ dn: string; username: string | null; reason: string }>;
};

export class LdapError extends Error {}

const isLoopback = (host: string) => host === "localhost" || (net.isIP(host) !== 0 && (host.startsWith("127.") || host === "::1"));

const UNTRUSTED = new Set(["SELF_SIGNED_CERT_IN_CHAIN", "DEPTH_ZERO_SELF_SIGNED_CERT", "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "UNABLE_TO_GET_ISSUER_CERT", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "CERT_SIGNATURE_FAILURE"]);

/** A TLS failure in words an operator can act on, or null for anything else. */
function tlsProblem(error: unknown, hasCaBundle: boolean): string | null {
  const code = (error as { code?: string })?.code ?? "";
  if (UNTRUSTED.has(code)) {
    return hasCaBundle
      ? "the server's certificate is not signed by the CA bundle saved for this directory: paste the CA that issued it (PEM)."
      : "the server's certificate is not signed by a CA this machine trusts: paste the directory's CA certificate (PEM) in the CA bundle.";
  }
  if (code === "CERT_HAS_EXPIRED") return "the server's certificate has expired: renew it on the directory server.";
  if (code === "CERT_NOT_YET_VALID") return "the server's certificate is not valid yet: check the clocks of the directory server and of this machine.";
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") return "the server's certificate is not for this host name: use the name the certificate was issued for in the URL.";
  return null;
}

/**
 * Opens a bound client. ldaps:// verifies the server's certificate; ldap:// to anything but
 * loopback upgrades with StartTLS (verified) before the password is sent.
 */
async function connect(dir: LdapDirectory): Promise<Client> {
  const url = new URL(dir.url);
  if (url.protocol !== "ldap:" && url.protocol !== "ldaps:") throw new LdapError("The directory URL must start with ldap:// or ldaps://.");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const tlsOptions = { rejectUnauthorized: true, minVersion: "TLSv1.2" as const, servername: net.isIP(host) ? undefined : host, ...(dir.caBundle ? { ca: dir.caBundle } : {}) };
  const client = new Client({ url: dir.url, timeout: dir.timeoutMs ?? 10_000, connectTimeout: dir.timeoutMs ?? 10_000, ...(url.protocol === "ldaps:" ? { tlsOptions } : {}) });
  try {
    if (url.protocol === "ldap:" && !isLoopback(host)) await client.startTLS(tlsOptions);
    await client.bind(dir.bindDn, dir.bindPassword);
  } catch (error) {
    await client.unbind().catch(() => {});
    const tls = tlsProblem(error, Boolean(dir.caBundle));
    throw new LdapError(`Could not connect and bind to ${url.host}: ${tls ?? (error as Error).message}`);
  }
  return client;
}

const first = (v: unknown): string | null => (Array.isArray(v) ? first(v[0]) : typeof v === "string" ? v : Buffer.isBuffer(v) ? v.toString("utf8") : null);
const all = (v: unknown): string[] => (Array.isArray(v) ? v.flatMap(all) : first(v) !== null ? [first(v)!] : []);

/**
 * The members of group `cn` under the base DN. The group name is escaped into the filter, so
 * it cannot add filter syntax. Members come from `member` / `uniqueMember` (DNs, each read for
 * its username attribute) or `memberUid` (usernames). Every username is checked before use.
 */
export async function groupMembers(dir: LdapDirectory, group: string): Promise<GroupMembers> {
  if (!/^\(.*\)$/s.test(dir.groupFilter.trim())) throw new LdapError("The group filter must be one LDAP filter in parentheses, e.g. (objectClass=groupOfNames).");
  if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(dir.usernameAttribute)) throw new LdapError("The username attribute must be an attribute name such as uid.");
  const client = await connect(dir);
  try {
    const filter = `(&${dir.groupFilter.trim()}${escapeFilter`(cn=${group})`})`;
    const { searchEntries } = await client.search(dir.baseDn, { scope: "sub", filter, attributes: ["cn", "member", "uniqueMember", "memberUid"], sizeLimit: 2 });
    if (searchEntries.length === 0) throw new LdapError(`No group named "${group}" under ${dir.baseDn}.`);
    if (searchEntries.length > 1) throw new LdapError(`More than one group is named "${group}" under ${dir.baseDn}: make the group filter or base DN narrower.`);
    const entry = searchEntries[0];
    const found = new Map<string, string>();
    const rejected: GroupMembers["rejected"] = [];
    const take = (dn: string, username: string | null) => {
      const problem = username === null ? "has no username attribute" : ldapUsernameProblem(username);
      if (problem || username === null) rejected.push({ dn, username, reason: problem ?? "has no username attribute" });
      else found.set(username, dn);
    };
    for (const uid of all(entry.memberUid)) take(`memberUid=${uid}`, uid);
    for (const dn of [...all(entry.member), ...all(entry.uniqueMember)]) {
      const { searchEntries: people } = await client
        .search(dn, { scope: "base", filter: "(objectClass=*)", attributes: [dir.usernameAttribute] })
        .catch(() => ({ searchEntries: [] as Array<Record<string, unknown>> }));
      if (!people.length) {
        rejected.push({ dn, username: null, reason: "not found in the directory" });
        continue;
      }
      take(dn, first(people[0][dir.usernameAttribute]));
    }
    return { usernames: [...found.keys()].sort(), rejected };
  } finally {
    await client.unbind().catch(() => {});
  }
}

export type DirectoryCheck = { groups: number; members: number; sample: string[] };

/** Binds and counts the groups the filter matches under the base DN and their members ("Test connection"). */
export async function checkDirectory(dir: LdapDirectory): Promise<DirectoryCheck> {
  if (!/^\(.*\)$/s.test(dir.groupFilter.trim())) throw new LdapError("The group filter must be one LDAP filter in parentheses, e.g. (objectClass=groupOfNames).");
  const client = await connect(dir);
  try {
    const { searchEntries } = await client
      .search(dir.baseDn, { scope: "sub", filter: dir.groupFilter.trim(), attributes: ["cn", "member", "uniqueMember", "memberUid"], sizeLimit: 1000 })
      .catch((error: Error) => {
        if (error instanceof SizeLimitExceededError) throw new LdapError(`Bound, but more than 1000 groups under ${dir.baseDn} match ${dir.groupFilter}: narrow the base DN or the group filter.`);
        throw new LdapError(`Bound, but searching ${dir.baseDn} failed: ${error.message}`);
      });
    const members = searchEntries.reduce((n, e) => n + all(e.member).length + all(e.uniqueMember).length + all(e.memberUid).length, 0);
    return { groups: searchEntries.length, members, sample: searchEntries.slice(0, 10).map((e) => first(e.cn) ?? String(e.dn)) };
  } finally {
    await client.unbind().catch(() => {});
  }
}
