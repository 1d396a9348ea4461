import { dnsNameProblem, quoteForMessage, singleLine, UnsafeTextError } from "@/lib/domain/dns-name";
import { compileHostnameFormat, hostnameFormatProblem } from "@/lib/domain/hostname-format";
import { ipToNumber, numberToIp, type Pool } from "@/lib/domain/ipv4";
import { plural } from "@/lib/domain/format";

// The atmosphere-ansible files and the DNS records of a provider, as generators of lines: a /16
// pool is 65,536 lines, so callers stream them (download) or take the first few (preview)
// instead of building the text. Pure: no I/O, safe in client components and tests.

export type InventorySource = {
  providerId: number;
  providerName: string;
  /** cloud_config.deploy.hostname_format */
  hostnameFormat: string;
  /** cloud_config.deploy.domain, the value of %(domain)s */
  domain?: string;
  /** The external network the pools belong to, for the header comment. */
  networkName?: string;
  /** Floating-IP allocation pools of the external network; IPv6 pools are skipped. */
  pools: Pool[];
};

/** The inventory group of a provider, `atmosphere-<name>`, with the name made safe for Ansible. */
export function inventoryGroupName(providerName: string): string {
  const slug = providerName
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return `atmosphere-${slug || "cloud"}`;
}

/** Every IPv4 address of the pools, in pool order (each end is computed once, unlike a naive loop). */
export function* poolIps(pools: Pool[]): Generator<string> {
  for (const p of pools) {
    if (p.start.includes(":")) continue;
    const end = ipToNumber(p.end);
    for (let n = ipToNumber(p.start); n <= end; n++) yield numberToIp(n);
  }
}

/** How many IPv4 addresses the pools hold. */
export function poolCount(pools: Pool[]): number {
  let n = 0;
  for (const p of pools) if (!p.start.includes(":")) n += Math.max(0, ipToNumber(p.end) - ipToNumber(p.start) + 1);
  return n;
}

/** `first–last` of each IPv4 pool, for headers and the page. */
export function describePools(pools: Pool[]): string {
  const v4 = pools.filter((p) => !p.start.includes(":"));
  return v4.length ? v4.map((p) => (p.start === p.end ? p.start : `${p.start}–${p.end}`)).join(", ") : "no IPv4 pool";
}

export { dnsNameProblem, UnsafeTextError };

/**
 * What keeps the provider's files from being generated, or null: a hostname format or domain
 * that gives names which are not DNS names, a zone origin that is not one, or a provider or
 * network name with a line break (it is written into the header comments).
 */
export function inventoryProblem(src: InventorySource, opts: { origin?: string } = {}): string | null {
  const format = hostnameFormatProblem(src.hostnameFormat, src.domain ?? "");
  if (format) return `The provider's hostname format cannot be used: ${format}`;
  if (opts.origin !== undefined) {
    const origin = originProblem(opts.origin);
    if (origin) return origin;
  }
  try {
    singleLine(src.providerName, "The provider name");
    if (src.networkName) singleLine(src.networkName, "The external network name");
  } catch (error) {
    return (error as Error).message;
  }
  return null;
}

/** Throws UnsafeTextError when inventoryProblem finds something: a generator never writes unchecked text. */
function checkSource(src: InventorySource, opts: { origin?: string } = {}): (ip: string) => string {
  const problem = inventoryProblem(src, opts);
  if (problem) throw new UnsafeTextError(problem);
  return compileHostnameFormat(src.hostnameFormat, src.domain ?? "");
}

function checkFormat(format: string): void {
  const problem = hostnameFormatProblem(format);
  if (problem) throw new UnsafeTextError(`The provider's hostname format cannot be used: ${problem}`);
}

/** How many addresses the inventory page walks at most (collisions, zone line count): a /8 pool is 16M. */
export const PAGE_WALK_LIMIT = 1 << 16;

/**
 * Addresses whose hostname repeats an earlier one's, e.g. vm%(four)s over pools that span several
 * /24s. Counts on the numeric projection of the octets the format uses, so memory stays one
 * number per distinct hostname rather than one string per address. Looks at the first `limit`
 * addresses only (`partial` says it stopped), so a /8 pool costs the page no more than a /16.
 */
export function hostnameCollisions(
  format: string,
  pools: Pool[],
  maxExamples = 3,
  limit = Number.POSITIVE_INFINITY,
): { count: number; examples: string[]; scanned: number; partial: boolean } {
  checkFormat(format);
  const used = [/%\(one\)s/, /%\(two\)s/, /%\(three\)s/, /%\(four\)s/].map((re) => re.test(format));
  const seen = new Map<number, string>();
  const examples: string[] = [];
  let count = 0;
  let scanned = 0;
  for (const p of pools) {
    if (p.start.includes(":")) continue;
    const end = ipToNumber(p.end);
    for (let n = ipToNumber(p.start); n <= end; n++) {
      if (scanned === limit) return { count, examples, scanned, partial: true };
      scanned++;
      let key = 0;
      for (let i = 0; i < 4; i++) key = key * 256 + (used[i] ? Math.floor(n / 256 ** (3 - i)) % 256 : 0);
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, numberToIp(n));
      } else {
        count++;
        if (examples.length < maxExamples) examples.push(`${numberToIp(n)} and ${first}`);
      }
    }
  }
  return { count, examples, scanned, partial: false };
}

/**
 * The atmosphere-ansible `hosts` file: `[atmosphere:children]` naming the provider's group, and
 * the group with one `<hostname> ansible_host=<ip> ansible_port=22` line per floating IP.
 */
export function* hostsFileLines(src: InventorySource): Generator<string> {
  const hostname = checkSource(src);
  const group = inventoryGroupName(src.providerName);
  yield `# atmosphere-ansible hosts for provider ${src.providerId} (${src.providerName}), generated by Cloudport`;
  yield `# hostname_format ${src.hostnameFormat} over ${plural(poolCount(src.pools), "floating IP")}${src.networkName ? ` of network ${src.networkName}` : ""}: ${describePools(src.pools)}`;
  yield "[atmosphere:children]";
  yield group;
  yield "";
  yield `[${group}]`;
  for (const ip of poolIps(src.pools)) {
    yield `${hostname(ip)} ansible_host=${ip} ansible_port=22`;
  }
}

/** Lines of the hosts file: the fixed header plus one per address. */
export function hostsFileLineCount(src: Pick<InventorySource, "pools">): number {
  return 6 + poolCount(src.pools);
}

export type GroupVars = Record<string, string>;

/** The group_vars file's name: Ansible applies group_vars/<group> to the group of that name. */
export function groupVarsFileName(providerName: string): string {
  return inventoryGroupName(providerName);
}

/**
 * The provider's group_vars file as YAML lines. Values are written as double-quoted strings
 * (JSON's escapes are valid YAML), so "yes", "022" or "8:00" stay strings, and tagged `!unsafe`:
 * Ansible then never templates them, so a staff-edited value such as
 * `{{ lookup('pipe', 'id') }}` stays text instead of running on the Ansible controller.
 */
export function* groupVarsLines(src: Pick<InventorySource, "providerId" | "providerName">, vars: GroupVars): Generator<string> {
  singleLine(src.providerName, "The provider name");
  yield `# group_vars/${groupVarsFileName(src.providerName)} for provider ${src.providerId} (${src.providerName}), generated by Cloudport`;
  yield "---";
  const keys = Object.keys(vars).sort();
  if (keys.length === 0) {
    yield "{}";
    return;
  }
  // JSON.stringify escapes line breaks inside the value; the key must be a plain name.
  for (const k of keys) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new UnsafeTextError(`The group variable name ${quoteForMessage(k)} cannot be written: use UPPER_SNAKE_CASE.`);
    yield `${k}: !unsafe ${JSON.stringify(vars[k])}`;
  }
}

const IPV4_NAME = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * What is wrong with a zone origin as typed (?origin= of the zone download), or null: it must be
 * a DNS name, and nothing but surrounding spaces is trimmed (a line break is refused, not cut).
 */
export function originProblem(origin: string | undefined | null): string | null {
  if (origin === undefined || origin === null || !origin.trim()) return null;
  if (/[\u0000-\u001f\u007f\u0085\u2028\u2029]/.test(origin)) return `The zone origin ${quoteForMessage(origin)} contains a line break or control character: enter a DNS name such as cloud.example.org.`;
  const problem = dnsNameProblem(origin.trim().replace(/\.+$/, ""));
  return problem ? `The zone origin ${quoteForMessage(origin)} is not a DNS name (${problem}): enter one such as cloud.example.org.` : null;
}

/** Normalises a zone origin ("example.org" or "example.org.") to its absolute form, or undefined when blank. */
export function normalizeOrigin(origin: string | undefined | null): string | undefined {
  const o = origin?.trim().toLowerCase().replace(/\.+$/, "");
  return o ? `${o}.` : undefined;
}

/**
 * The owner name of a hostname in a zone file. Names inside the origin are written relative to
 * it (`vm40`, or `@` for the origin itself); other dotted names absolute (`vm40.example.org.`);
 * a name without a dot stays relative, so it lands in whatever zone the snippet is pasted into.
 */
export function zoneOwnerName(hostname: string, origin?: string): string {
  const abs = hostname.endsWith(".") ? hostname : `${hostname}.`;
  if (origin) {
    const o = normalizeOrigin(origin)!;
    const lower = abs.toLowerCase();
    if (lower === o) return "@";
    if (lower.endsWith(`.${o}`)) return abs.slice(0, abs.length - o.length - 1);
  }
  return hostname.includes(".") ? abs : hostname;
}

/**
 * A zone-file snippet with one `A` record per floating IP (`vm40.example.org. IN A 1.2.3.40`).
 * With an origin, a `$ORIGIN` line comes first and names inside it are relative. Hostnames that
 * are the address itself (the default format) become one comment; a format, domain or origin that
 * is not a DNS name throws UnsafeTextError before the first line.
 */
export function* zoneFileLines(src: InventorySource, opts: { origin?: string; maxAddresses?: number } = {}): Generator<string> {
  const hostname = checkSource(src, opts);
  const origin = normalizeOrigin(opts.origin);
  // Names that are addresses yield no line, so a preview's "first 20 lines" alone would not
  // bound the walk: the page passes maxAddresses too.
  let left = opts.maxAddresses ?? Number.POSITIVE_INFINITY;
  yield `; A records for the floating IPs of provider ${src.providerId} (${src.providerName}), generated by Cloudport`;
  yield `; hostname_format ${src.hostnameFormat} over ${plural(poolCount(src.pools), "address", "addresses")}: ${describePools(src.pools)}`;
  if (origin) yield `$ORIGIN ${origin}`;
  let ipNames = 0;
  for (const ip of poolIps(src.pools)) {
    if (left-- <= 0) return;
    const name = hostname(ip);
    if (IPV4_NAME.test(name)) {
      // Only said once: with the default format every name is its address.
      if (ipNames++ === 0) yield "; the hostname format gives the IP address itself: no A records are needed for such names";
      continue;
    }
    yield `${zoneOwnerName(name, origin)} IN A ${ip}`;
  }
}

/**
 * Lines of the zone snippet without writing them: exact up to `limit` addresses; beyond, every
 * address counts as one record unless the first name is an address (then one comment in all).
 */
export function zoneFileLineCount(src: InventorySource, opts: { origin?: string } = {}, limit = PAGE_WALK_LIMIT): number {
  const total = poolCount(src.pools);
  if (total <= limit) return countLines(zoneFileLines(src, opts));
  const header = normalizeOrigin(opts.origin) ? 3 : 2;
  const first = poolIps(src.pools).next().value as string;
  return IPV4_NAME.test(compileHostnameFormat(src.hostnameFormat, src.domain ?? "")(first)) ? header + 1 : header + total;
}

/** The first `n` items of an iterable, and whether there were more; stops the generator early. */
export function takeLines(lines: Iterable<string>, n: number): { lines: string[]; more: boolean } {
  const out: string[] = [];
  const it = lines[Symbol.iterator]();
  for (;;) {
    const r = it.next();
    if (r.done) return { lines: out, more: false };
    if (out.length === n) {
      it.return?.();
      return { lines: out, more: true };
    }
    out.push(r.value);
  }
}

/** Counts the items of an iterable without keeping them. */
export function countLines(lines: Iterable<string>): number {
  let n = 0;
  for (const _ of lines) n++;
  return n;
}
