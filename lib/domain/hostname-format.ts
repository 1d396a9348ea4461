import { DNS_NAME_RULE, HOSTNAME_EXAMPLE, dnsNameProblem, quoteForMessage } from "./dns-name";

/**
 * Atmosphere's hostname_format is a Python %-style string: %(one)s … %(four)s are the octets
 * of the instance's public IPv4 and %(domain)s a configured domain.
 */
export const DEFAULT_HOSTNAME_FORMAT = "%(one)s.%(two)s.%(three)s.%(four)s";
const OCTET_KEYS = ["one", "two", "three", "four"] as const;
const KEYS = new Set<string>([...OCTET_KEYS, "domain"]);
const TOKEN = /%\((\w+)\)s|%%|%/g;
/** Stands in for %(domain)s when a format is checked without its domain. */
const SAMPLE_DOMAIN = "example.org";

function render(format: string, values: Record<string, string>): string {
  return format.replace(TOKEN, (tok, key: string | undefined) => (tok === "%%" ? "%" : values[key!]));
}

/** What is wrong with the value of %(domain)s, or null (blank is allowed). */
export function hostnameDomainProblem(domain: string): string | null {
  if (!domain) return null;
  const problem = dnsNameProblem(domain);
  return problem ? `The domain ${quoteForMessage(domain)} is not a DNS name: ${problem}. Use a name like cloud.example.org.` : null;
}

/**
 * Returns what is wrong with a format, or null when it is usable: its keys, and that every name
 * it can produce is a DNS name. With `domain` the names are checked with that value of
 * %(domain)s (blank included); without, with a sample domain.
 */
export function hostnameFormatProblem(format: string, domain?: string): string | null {
  if (!format.trim()) return "Enter a hostname format.";
  let octets = 0;
  for (const m of format.matchAll(TOKEN)) {
    if (m[0] === "%%") continue;
    if (m[0] === "%") return `A lone "%" at position ${m.index! + 1}: write %(one)s … %(four)s or %(domain)s, or %% for a literal %.`;
    if (!KEYS.has(m[1])) return `Unknown key %(${m[1]})s: use one, two, three, four or domain.`;
    if (m[1] !== "domain") octets++;
  }
  if (octets === 0) return `The format must use at least one octet key, e.g. ${HOSTNAME_EXAMPLE}, or every instance gets the same name.`;
  if (domain !== undefined) {
    const domainProblem = hostnameDomainProblem(domain);
    if (domainProblem) return domainProblem;
  }
  // Octets only ever put 1–3 digits where their key is, so the longest rendering (255 for
  // every octet) is a DNS name exactly when every rendering is.
  const sample = render(format, { one: "255", two: "255", three: "255", four: "255", domain: domain ?? SAMPLE_DOMAIN });
  const problem = dnsNameProblem(sample);
  if (problem) return `${DNS_NAME_RULE}. This format gives names like ${quoteForMessage(sample, 60)}: ${problem}.`;
  return null;
}

/** A checked format as a function of the IPv4 address; throws when the format or domain is unusable. */
export function compileHostnameFormat(format: string, domain = ""): (ip: string) => string {
  const problem = hostnameFormatProblem(format, domain);
  if (problem) throw new Error(problem);
  return (ip) => {
    const octets = ip.split(".");
    if (octets.length !== 4 || !octets.every((o) => /^\d{1,3}$/.test(o))) throw new Error(`${ip} is not an IPv4 address.`);
    return render(format, { one: octets[0], two: octets[1], three: octets[2], four: octets[3], domain });
  };
}

/** Applies a hostname format to an IPv4 address; throws when the result would not be a DNS name. */
export function formatHostname(format: string, ip: string, domain = ""): string {
  return compileHostnameFormat(format, domain)(ip);
}
