import { env as readEnv } from "./env";

const proxiesEnv = () => ({ CLOUDPORT_TRUSTED_PROXIES: readEnv().CLOUDPORT_TRUSTED_PROXIES });

// The security headers of every response (set in proxy.ts; next.config.ts repeats the static
// ones for files the proxy does not see). Pure, so the policy is unit-tested.

/** Headers that do not depend on the request. */
export const STATIC_SECURITY_HEADERS: Record<string, string> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "X-Frame-Options": "DENY",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
};

export const HSTS = "max-age=63072000; includeSubDomains";

/**
 * The Content-Security-Policy: scripts only with this response's nonce (Next puts it on its own
 * scripts when it sees the policy on the request) and what they load ('strict-dynamic'); no
 * framing; forms post only here. Styles allow inline `style=` attributes (charts, widths).
 */
export function contentSecurityPolicy(nonce: string, opts: { dev?: boolean; https?: boolean } = {}): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(opts.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/**
 * Whether the browser reached us over https: the request URL says so, or X-Forwarded-Proto
 * does and a proxy in front is trusted (CLOUDPORT_TRUSTED_PROXIES set; without it the header
 * is anyone's to send and is ignored).
 */
export function servedOverHttps(url: string, forwardedProto: string | null, env: Record<string, string | undefined> = proxiesEnv()): boolean {
  // Next builds the request URL's scheme from X-Forwarded-Proto when a client sends one, so an
  // https URL only counts when no such header came with it (or a trusted proxy sent it).
  const trusted = Boolean(env.CLOUDPORT_TRUSTED_PROXIES?.trim());
  if (url.startsWith("https:") && (forwardedProto === null || trusted)) return true;
  if (!trusted) return false;
  // The proxy nearest to us appends last.
  const last = forwardedProto?.split(",").at(-1)?.trim().toLowerCase();
  return last === "https";
}

/** Every security header of a response to this request. */
export function securityHeaders(nonce: string, req: { url: string; forwardedProto: string | null }, env: Record<string, string | undefined> = proxiesEnv()): Record<string, string> {
  const https = servedOverHttps(req.url, req.forwardedProto, env);
  return {
    ...STATIC_SECURITY_HEADERS,
    "Content-Security-Policy": contentSecurityPolicy(nonce, { dev: env.NODE_ENV === "development", https }),
    ...(https ? { "Strict-Transport-Security": HSTS } : {}),
  };
}

/** A fresh, unguessable nonce (128 bits, base64). */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
