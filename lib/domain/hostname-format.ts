/**
 * Atmosphere's hostname_format is a Python %-style string: %(one)s … %(four)s are the octets
 * of the instance's public IPv4 and %(domain)s a configured domain.
 */
export const DEFAULT_HOSTNAME_FORMAT = "%(one)s.%(two)s.%(three)s.%(four)s";
const OCTET_KEYS = ["one", "two", "three", "four"] as const;
const KEYS = new Set<string>([...OCTET_KEYS, "domain"]);
const TOKEN = /%\((\w+)\)s|%%|%/g;

/** Returns what is wrong with a format, or null when it is usable. */
export function hostnameFormatProblem(format: string): string | null {
  if (!format.trim()) return "Enter a hostname format.";
  let octets = 0;
  for (const m of format.matchAll(TOKEN)) {
    if (m[0] === "%%") continue;
    if (m[0] === "%") return `A lone "%" at position ${m.index! + 1}: write %(one)s … %(four)s or %(domain)s, or %% for a literal %.`;
    if (!KEYS.has(m[1])) return `Unknown key %(${m[1]})s: use one, two, three, four or domain.`;
    if (m[1] !== "domain") octets++;
  }
  if (octets === 0) return "The format must use at least one octet key, e.g. vm%(four)s.example.org, or every instance gets the same name.";
  return null;
}

/** Applies a hostname format to an IPv4 address. */
export function formatHostname(format: string, ip: string, domain = ""): string {
  const problem = hostnameFormatProblem(format);
  if (problem) throw new Error(problem);
  const octets = ip.split(".");
  if (octets.length !== 4) throw new Error(`${ip} is not an IPv4 address.`);
  const values: Record<string, string> = { one: octets[0], two: octets[1], three: octets[2], four: octets[3], domain };
  return format.replace(TOKEN, (tok, key: string | undefined) => (tok === "%%" ? "%" : values[key!]));
}
