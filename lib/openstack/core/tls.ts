import net from "node:net";
import tls from "node:tls";

const TLS_REASONS: Record<string, string> = {
  CERT_HAS_EXPIRED: "certificate has expired",
  CERT_NOT_YET_VALID: "certificate is not yet valid",
  DEPTH_ZERO_SELF_SIGNED_CERT: "self-signed certificate",
  SELF_SIGNED_CERT_IN_CHAIN: "self-signed certificate in the chain (a private CA not in the CA bundle?)",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "certificate signed by an unknown authority (missing CA bundle or intermediate?)",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "certificate signed by an unknown authority (missing CA bundle or intermediate?)",
  UNABLE_TO_GET_ISSUER_CERT: "issuer certificate not found",
  ERR_TLS_CERT_ALTNAME_INVALID: "certificate does not match the host name",
  CERT_REVOKED: "certificate has been revoked",
  ERR_SSL_WRONG_VERSION_NUMBER: "TLS handshake failed (is this port plain HTTP?)",
  EPROTO: "TLS handshake failed",
};

/** Human wording for a TLS verification code, or null when the code is not a TLS failure. */
export function describeTlsCode(code: string | null | undefined): string | null {
  if (!code) return null;
  if (TLS_REASONS[code]) return TLS_REASONS[code];
  return code.startsWith("ERR_SSL_") || code.startsWith("ERR_TLS_") ? `TLS failure (${code})` : null;
}

/**
 * The CA bundle adds to Node's public roots rather than replacing them: a cloud often has
 * Keystone behind a private CA and other endpoints behind a public one.
 */
export function trustedCas(caBundle: string | undefined): string[] | undefined {
  return caBundle ? [...tls.rootCertificates, caBundle] : undefined;
}

export interface TlsInspection {
  url: string;
  https: boolean;
  hostnameIsIp: boolean;
  /** Chain and host name verified against Node's roots plus the CA bundle. */
  trusted: boolean;
  /** Why it is not trusted or could not be inspected; null when all is well. */
  error: string | null;
  validTo: Date | null;
  daysToExpiry: number | null;
  subject: string | null;
  issuer: string | null;
  subjectAltNames: string[];
}

/** Connects to an endpoint and reports its certificate: trust, expiry, names (for the endpoint audit). */
export async function inspectTls(
  url: string,
  options: { ca?: string; timeoutMs?: number } = {},
): Promise<TlsInspection> {
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  const hostnameIsIp = net.isIP(host) !== 0;
  const base: TlsInspection = {
    url,
    https: parsed.protocol === "https:",
    hostnameIsIp,
    trusted: false,
    error: null,
    validTo: null,
    daysToExpiry: null,
    subject: null,
    issuer: null,
    subjectAltNames: [],
  };
  if (!base.https) return { ...base, error: "endpoint is plain HTTP" };

  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise<TlsInspection>((resolve) => {
    const socket = tls.connect({
      host,
      port: Number(parsed.port || 443),
      // SNI must not carry an IP address.
      servername: hostnameIsIp ? undefined : host,
      ca: trustedCas(options.ca),
      // We want to report on an untrusted certificate, not just fail on it.
      rejectUnauthorized: false,
    });
    const finish = (result: TlsInspection) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(
      () => finish({ ...base, error: `no TLS handshake with ${parsed.host} within ${timeoutMs / 1000} s` }),
      timeoutMs,
    );
    socket.once("secureConnect", () => {
      const cert = socket.getPeerCertificate();
      const validTo = cert.valid_to ? new Date(cert.valid_to) : null;
      const code = socket.authorizationError ? String(socket.authorizationError) : null;
      finish({
        ...base,
        trusted: socket.authorized,
        error: code ? `${describeTlsCode(code) ?? "certificate not trusted"} (${code})` : null,
        validTo,
        daysToExpiry: validTo ? Math.floor((validTo.getTime() - Date.now()) / 86_400_000) : null,
        subject: formatName(cert.subject),
        issuer: formatName(cert.issuer),
        subjectAltNames: cert.subjectaltname ? cert.subjectaltname.split(/,\s*/) : [],
      });
    });
    socket.once("error", (err: NodeJS.ErrnoException) => {
      const code = err.code ?? null;
      const reason = describeTlsCode(code) ?? err.message;
      const suffix = code ? ` (${code})` : "";
      finish({ ...base, error: `could not complete a TLS handshake with ${parsed.host}: ${reason}${suffix}` });
    });
  });
}

function formatName(name: tls.Certificate | undefined): string | null {
  if (!name) return null;
  const parts = Object.entries(name).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join("+") : v}`);
  return parts.length ? parts.join(", ") : null;
}
