import { Agent, fetch, type Headers } from "undici";

import { extractServiceFault } from "./error-body";
import { OpenStackConfigError, OpenStackConnectionError, OpenStackHttpError, type ConnectionFailure } from "./errors";
import type { Redactor } from "./redact";
import { describeTlsCode, trustedCas } from "./tls";

export type Query = Record<string, string | number | boolean | readonly string[] | null | undefined>;

export interface HttpRequest {
  /** Display name used in errors (Keystone, Nova, …). */
  service: string;
  method: "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE";
  url: string;
  query?: Query;
  headers?: Record<string, string>;
  json?: unknown;
  /** Overrides the client's timeout for this request (long polls). */
  timeoutMs?: number;
  /** Statuses besides 2xx that are answers rather than errors (e.g. 300 from version discovery). */
  accept?: readonly number[];
  /** Added to the error message of a failed request. */
  errorHint?: (status: number) => string | undefined;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  url: string;
  /** Parsed JSON when the response is JSON, text otherwise, null when empty. */
  body: unknown;
  requestId: string | null;
}

export interface TransportOptions {
  caBundle?: string;
  /** Time allowed to connect and receive response headers. Default 10 s. */
  timeoutMs?: number;
  retry?: RetryOptions;
}

export interface RetryOptions {
  /** Total tries for idempotent requests (GET/HEAD/PUT/DELETE). Default 3. */
  attempts?: number;
  /** First back-off delay; doubles on each retry. Default 200 ms. */
  baseDelayMs?: number;
}

const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE"]);
const RETRY_STATUS = new Set([502, 503, 504]);
const RETRY_CODES = new Set(["ECONNRESET", "EPIPE", "UND_ERR_SOCKET", "UND_ERR_CLOSED"]);
const BODY_KEEP = 4_000;

/**
 * HTTP for one client: its own undici Agent (so a provider's CA bundle is trusted for that
 * provider only, and undici's own fetch so the dispatcher matches), timeouts, retries of
 * idempotent requests, and conversion of failures into OpenStack errors.
 */
export class HttpTransport {
  readonly timeoutMs: number;
  readonly #agent: Agent;
  readonly #attempts: number;
  readonly #baseDelayMs: number;

  constructor(
    readonly redactor: Redactor,
    options: TransportOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.#attempts = Math.max(1, options.retry?.attempts ?? 3);
    this.#baseDelayMs = options.retry?.baseDelayMs ?? 200;
    this.#agent = new Agent({
      connect: { ca: trustedCas(options.caBundle), timeout: this.timeoutMs },
      // Headers are bounded by our own abort timer; a large listing may take a while to stream.
      bodyTimeout: 120_000,
    });
  }

  /** Sends a request, retrying idempotent ones on 502/503/504 and connection resets. */
  async request(req: HttpRequest): Promise<HttpResponse> {
    if (!URL.canParse(req.url)) {
      // A catalog entry without a scheme is a real-world misconfiguration; say so plainly.
      throw new OpenStackConfigError(`${req.service} endpoint "${req.url}" is not a valid URL`);
    }
    const url = withQuery(req.url, req.query);
    const retryable = IDEMPOTENT.has(req.method);
    for (let attempt = 1; ; attempt++) {
      const last = !retryable || attempt >= this.#attempts;
      let res: HttpResponse;
      try {
        res = await this.#once(req, url);
      } catch (err) {
        if (!last && err instanceof OpenStackConnectionError && err.kind === "reset") {
          await this.#backoff(attempt);
          continue;
        }
        throw err;
      }
      if (!last && RETRY_STATUS.has(res.status)) {
        await this.#backoff(attempt);
        continue;
      }
      const ok = (res.status >= 200 && res.status < 300) || req.accept?.includes(res.status);
      if (!ok) throw this.#httpError(req, res);
      return res;
    }
  }

  /** Releases the client's sockets. */
  async close(): Promise<void> {
    await this.#agent.close();
  }

  async #once(req: HttpRequest, url: string): Promise<HttpResponse> {
    const timeoutMs = req.timeoutMs ?? this.timeoutMs;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const headers: Record<string, string> = { Accept: "application/json", ...req.headers };
    if (req.json !== undefined) headers["Content-Type"] ??= "application/json";
    try {
      const res = await fetch(url, {
        method: req.method,
        headers,
        body: req.json === undefined ? undefined : JSON.stringify(req.json),
        dispatcher: this.#agent,
        signal: controller.signal,
        // A redirect would carry X-Auth-Token to wherever Location points.
        redirect: "manual",
      });
      clearTimeout(timer);
      const text = await res.text();
      return {
        status: res.status,
        headers: res.headers,
        url,
        body: parseBody(text, res.headers.get("content-type")),
        requestId:
          res.headers.get("x-openstack-request-id") ??
          res.headers.get("x-compute-request-id") ??
          res.headers.get("openstack-request-id"),
      };
    } catch (err) {
      throw this.#connectionError(req, url, err, timedOut, timeoutMs);
    } finally {
      clearTimeout(timer);
    }
  }

  #httpError(req: HttpRequest, res: HttpResponse): OpenStackHttpError {
    const raw = typeof res.body === "string" ? res.body : JSON.stringify(res.body ?? "");
    let fault = extractServiceFault(res.body);
    if (!fault && res.status >= 300 && res.status < 400) {
      const location = res.headers.get("location");
      if (location) fault = { message: `redirected to ${location}` };
    }
    const redact = (s: string) => this.redactor.redact(s);
    return new OpenStackHttpError({
      service: req.service,
      method: req.method,
      url: redact(res.url),
      status: res.status,
      requestId: res.requestId,
      fault: fault ? { ...fault, message: redact(fault.message) } : null,
      body: redact(raw.slice(0, BODY_KEEP)),
      hint: req.errorHint?.(res.status),
    });
  }

  #connectionError(
    req: HttpRequest,
    url: string,
    err: unknown,
    timedOut: boolean,
    timeoutMs: number,
  ): OpenStackConnectionError {
    const endpoint = endpointOf(url);
    const seconds = `${Math.round(timeoutMs / 100) / 10} s`;
    const code = timedOut ? null : errorCode(err);
    const tlsReason = describeTlsCode(code);
    let kind: ConnectionFailure;
    let message: string;
    if (timedOut || code === "UND_ERR_CONNECT_TIMEOUT" || code === "ETIMEDOUT") {
      kind = "timeout";
      message = `could not reach ${endpoint} within ${seconds}: no answer (timed out)`;
    } else if (tlsReason) {
      kind = "tls";
      message = `TLS verification failed for ${endpoint}: ${tlsReason} (${code})`;
    } else {
      kind = classify(code);
      const detail = code ? `${code}${REASONS[code] ? ` (${REASONS[code]})` : ""}` : innermostMessage(err);
      message = `could not reach ${endpoint} within ${seconds}: ${detail}`;
    }
    return new OpenStackConnectionError(this.redactor.redact(`${req.service}: ${message}`), {
      service: req.service,
      method: req.method,
      endpoint,
      kind,
      code,
    });
  }

  async #backoff(attempt: number): Promise<void> {
    const delay = this.#baseDelayMs * 2 ** (attempt - 1);
    await new Promise((r) => setTimeout(r, delay));
  }
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ENOTFOUND: "host name not found",
  EAI_AGAIN: "DNS lookup failed",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  UND_ERR_SOCKET: "connection closed by the server",
};

function classify(code: string | null): ConnectionFailure {
  if (code === "ECONNREFUSED") return "refused";
  if (code && RETRY_CODES.has(code)) return "reset";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "dns";
  return "other";
}

/** undici wraps the socket error in `TypeError: fetch failed`; dual-stack connects wrap it in an AggregateError. */
function errorCode(err: unknown): string | null {
  let current: unknown = err;
  for (let depth = 0; current && depth < 5; depth++) {
    const e = current as { code?: unknown; errors?: unknown[]; cause?: unknown };
    if (typeof e.code === "string") return e.code;
    if (Array.isArray(e.errors) && e.errors.length > 0) current = e.errors[0];
    else current = e.cause;
  }
  return null;
}

function innermostMessage(err: unknown): string {
  let current = err as { message?: string; cause?: unknown } | undefined;
  while (current?.cause) current = current.cause as typeof current;
  return current?.message ?? String(err);
}

function endpointOf(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}

function parseBody(text: string, contentType: string | null): unknown {
  if (!text) return null;
  if (contentType?.includes("json")) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/** Appends query parameters, skipping empty ones; arrays repeat the key. */
function withQuery(url: string, query: Query | undefined): string {
  if (!query) return url;
  const u = new URL(url);
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const v of value) u.searchParams.append(key, v);
    else u.searchParams.set(key, String(value));
  }
  return u.toString();
}
