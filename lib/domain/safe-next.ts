// Where to send someone after they sign in: the `next` of /login?next=…, which anyone can put in
// a link. Only a path on this site is followed; anything that a browser could read as another
// origin (`//evil`, `/\evil`, `https://evil`, `/%2F%2Fevil`, `javascript:`, a tab or newline
// that the URL parser drops) falls back to "/".

const BASE = "http://cloudport.invalid";
const CONTROL = /[\u0000-\u001f\u007f]/;

function plainPath(v: string): boolean {
  return v.startsWith("/") && !v.startsWith("//") && !v.includes("\\") && !CONTROL.test(v);
}

/** A same-site path (with its query and fragment) to go to after sign-in, or "/". */
export function safeNextPath(value: unknown, fallback = "/"): string {
  if (typeof value !== "string" || !value || value.length > 2048) return fallback;
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return fallback;
  }
  if (!plainPath(value) || !plainPath(decoded)) return fallback;
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  const out = url.pathname + url.search + url.hash;
  return plainPath(out) ? out : fallback;
}
