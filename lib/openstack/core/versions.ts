import { OpenStackResponseError } from "./errors";

/** One entry of a version document, in the common subset of every service's shape. */
export interface VersionEntry {
  id: string;
  status: string;
  /** Highest microversion (Nova/Cinder `version`, Placement `max_version`); null when none. */
  max: string | null;
  min: string | null;
  selfHref: string | null;
}

/**
 * Reads a version document: a single `{"version":…}`, a list `{"versions":[…]}`, or
 * Keystone's `{"versions":{"values":[…]}}`.
 */
export function versionEntries(body: unknown): VersionEntry[] {
  const doc = (body ?? {}) as Record<string, unknown>;
  let raw: unknown[] = [];
  if (doc.version && typeof doc.version === "object") raw = [doc.version];
  else if (Array.isArray(doc.versions)) raw = doc.versions;
  else if (doc.versions && Array.isArray((doc.versions as { values?: unknown }).values)) {
    raw = (doc.versions as { values: unknown[] }).values;
  }
  return raw.flatMap((item) => {
    const v = (item ?? {}) as Record<string, unknown>;
    if (typeof v.id !== "string") return [];
    const links = Array.isArray(v.links) ? (v.links as Array<Record<string, unknown>>) : [];
    const self = links.find((l) => l.rel === "self");
    const max = str(v.version) ?? str(v.max_version);
    return [
      {
        id: v.id,
        status: typeof v.status === "string" ? v.status : "",
        max,
        min: str(v.min_version),
        selfHref: typeof self?.href === "string" && self.href ? self.href : null,
      },
    ];
  });
}

/** The entry of a major version (`v2.1` → 2), preferring the CURRENT/stable one. */
export function pickVersion(entries: VersionEntry[], major: number): VersionEntry | null {
  const ofMajor = entries.filter((e) => new RegExp(`^v${major}(\\.|$)`).test(e.id));
  const rank = (e: VersionEntry) => (/^(current|stable)$/i.test(e.status) ? 0 : 1);
  return [...ofMajor].sort((a, b) => rank(a) - rank(b) || compareVersions(b.id.slice(1), a.id.slice(1)))[0] ?? null;
}

/** Compares dotted versions numerically ("2.10" > "2.9"). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * The highest microversion both sides support: min(client max, server max). Null when the
 * server has no microversions (legacy endpoints), which means "send no header".
 */
export function negotiateMicroversion(server: VersionEntry | null, clientMax: string, service: string): string | null {
  if (!server?.max) return null;
  const chosen = compareVersions(clientMax, server.max) <= 0 ? clientMax : server.max;
  if (server.min && compareVersions(chosen, server.min) < 0) {
    throw new OpenStackResponseError(
      `${service} supports microversions ${server.min}–${server.max}; this client needs at most ${clientMax}`,
    );
  }
  return chosen;
}

function str(value: unknown): string | null {
  return typeof value === "string" && value ? value : null;
}
