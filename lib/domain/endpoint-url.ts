// Checks on the endpoint URLs a person pastes or a file names, shared by the file reader and the form schema.

/**
 * Why an endpoint URL from a file or the form cannot be used, or null: only http/https, and a
 * port within 1–65535 (WHATWG URL parsing alone says just "Invalid URL" for both).
 */
export function urlProblem(url: string, what = "The URL"): string | null {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(\[[^\]]*\]|[^/:?#]*)(?::([^/?#]*))?/.exec(url.trim());
  if (!m) return `${what} must start with http:// or https://, e.g. https://cloud.example.org:5000/v3.`;
  const scheme = m[1].toLowerCase();
  if (scheme !== "http" && scheme !== "https") return `${what} uses ${scheme}://; only http:// and https:// are supported.`;
  if (!m[2]) return `${what} has no host name.`;
  if (m[3] !== undefined) {
    const port = /^\d+$/.test(m[3]) ? Number(m[3]) : NaN;
    if (!(port >= 1 && port <= 65535)) return `${what} has port ${m[3] || "(empty)"}, outside 1–65535.`;
  }
  return null;
}

/** Keystone v2.0 auth URLs (…/v2.0, …/v2): the v3 URL to use instead, or null. */
export function v3UrlFor(url: string): string | null {
  const m = /^(.*?)\/v2(?:\.0)?\/?$/.exec(url.trim());
  return m ? `${m[1]}/v3` : null;
}

export const KEYSTONE_V2_GONE = "Keystone v2.0 was removed in Queens; this cloud needs its v3 URL";
