import type { z } from "zod";

import type { Session, Token } from "./auth";
import type { EndpointQuery } from "./catalog";
import { isStatus, OpenStackResponseError } from "./errors";
import type { HttpRequest, HttpResponse, Query } from "./http";
import type { ServiceSpec } from "./services";
import { negotiateMicroversion, pickVersion, versionEntries } from "./versions";

export interface CallOptions {
  query?: Query;
  json?: unknown;
  headers?: Record<string, string>;
  /** A longer timeout for calls known to block server-side; never shorter than the client's. */
  timeoutMs?: number;
  /** Extra non-error statuses (e.g. 404 for existence checks). */
  accept?: readonly number[];
}

/**
 * One OpenStack service as seen by the request modules: resolves its endpoint from the
 * current catalog, negotiates its microversion once, adds the token, and re-authenticates
 * exactly once when the service answers 401.
 */
export class ServiceClient {
  #microversion: Promise<string | null> | null = null;

  constructor(
    readonly session: Session,
    readonly spec: ServiceSpec,
    readonly endpointQuery: EndpointQuery,
    /** A fixed API root (Keystone: the discovered URL) instead of a catalog lookup. */
    readonly fixedRoot?: string,
  ) {}

  get displayName(): string {
    return this.spec.displayName;
  }

  /** The versioned API root for the current token's catalog. */
  apiRoot(token: Token = this.session.current): string {
    if (this.fixedRoot) return this.fixedRoot;
    const entry = token.catalog.endpoint(this.spec.type, this.endpointQuery);
    return this.spec.apiRoot(entry.url, token.info.project?.id ?? null);
  }

  /** The microversion sent with every call (null when the service has none). */
  microversion(): Promise<string | null> {
    const mv = this.spec.microversion;
    if (!mv) return Promise.resolve(null);
    // Version documents need no token.
    this.#microversion ??= this.session.transport
      .request({ service: this.displayName, method: "GET", url: mv.versionDocument(this.apiRoot()), accept: [300] })
      .then((res) =>
        negotiateMicroversion(pickVersion(versionEntries(res.body), mv.major), mv.clientMax, this.displayName),
      );
    // A failed negotiation must not stick: the next call tries again.
    this.#microversion.catch(() => {
      this.#microversion = null;
    });
    return this.#microversion;
  }

  /** Sends a request to a path under the API root. */
  async request(method: HttpRequest["method"], path: string, options: CallOptions = {}): Promise<HttpResponse> {
    const token = await this.session.valid();
    try {
      return await this.#send(token, method, path, options);
    } catch (err) {
      if (!isStatus(err, 401)) throw err;
      // The token was revoked or expired early; a second 401 is a real authorization failure.
      const fresh = await this.session.afterUnauthorized(token);
      return this.#send(fresh, method, path, options);
    }
  }

  /** GET and parse the JSON body with a schema. */
  async getJson<S extends z.ZodType>(path: string, schema: S, options: CallOptions = {}): Promise<z.output<S>> {
    const res = await this.request("GET", path, options);
    return this.parse(schema, res);
  }

  /** Parses a response body, turning a shape mismatch into a clear error. */
  parse<S extends z.ZodType>(schema: S, res: HttpResponse): z.output<S> {
    const result = schema.safeParse(res.body);
    if (result.success) return result.data;
    const issues = result.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`)
      .join("; ");
    throw new OpenStackResponseError(`${this.displayName} answered ${res.url} with an unexpected body: ${issues}`);
  }

  async #send(token: Token, method: HttpRequest["method"], path: string, options: CallOptions): Promise<HttpResponse> {
    const headers: Record<string, string> = { ...options.headers, "X-Auth-Token": token.reveal() };
    const version = await this.microversion();
    const mv = this.spec.microversion;
    if (mv && version) {
      headers["OpenStack-API-Version"] = `${mv.headerName} ${version}`;
      if (mv.legacyHeader) headers[mv.legacyHeader] = version;
    }
    return this.session.transport.request({
      service: this.displayName,
      method,
      url: `${this.apiRoot(token)}${path}`,
      query: options.query,
      json: options.json,
      headers,
      timeoutMs: options.timeoutMs && Math.max(options.timeoutMs, this.session.transport.timeoutMs),
      accept: options.accept,
    });
  }
}
