import http, { type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

import type { ClientOptions } from "../client";
import recordedToken from "./fixtures/token.json";

/** A request as the fake server saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** The X-Auth-Token it carried, if any. */
  token: string | null;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
  /** Wait before answering (timeouts). */
  delayMs?: number;
  /** Close the socket without answering (connection resets). */
  hangUp?: boolean;
}

/** A recorded response from fixtures/*.json. */
export interface Recorded {
  status: number;
  headers: Record<string, string>;
  body: string;
}

type Handler = (req: SeenRequest) => Reply | Promise<Reply>;

export interface FakeCloudOptions {
  /** Lifetime of issued tokens. Default 1 hour. */
  tokenTtlMs?: number;
  /** Nova's maximum microversion in its version document. Default 2.93 (Zed). */
  computeMaxVersion?: string;
  placementMaxVersion?: string;
}

/**
 * An OpenStack on an ephemeral localhost port for unit tests: Keystone (discovery, tokens
 * tok-1, tok-2, … with a catalog pointing back here), version documents, and whatever
 * routes a test adds. Every request is recorded so tests can assert on what was sent.
 */
export class FakeCloud {
  readonly requests: SeenRequest[] = [];
  readonly #routes: Array<{ method: string; path: string | RegExp; handler: Handler }> = [];
  readonly #server: http.Server;
  #issued = 0;
  url = "";

  private constructor(readonly options: FakeCloudOptions) {
    this.#server = http.createServer((req, res) => void this.#handle(req, res));
    this.#installDefaults();
  }

  /** Starts a fake cloud on 127.0.0.1 with an ephemeral port. */
  static async start(options: FakeCloudOptions = {}): Promise<FakeCloud> {
    const fake = new FakeCloud(options);
    await new Promise<void>((resolve) => fake.#server.listen(0, "127.0.0.1", resolve));
    fake.url = `http://127.0.0.1:${(fake.#server.address() as AddressInfo).port}`;
    return fake;
  }

  /** Client options authenticating against this fake (fast retries for tests). */
  clientOptions(overrides: Partial<ClientOptions> = {}): ClientOptions {
    return {
      authUrl: `${this.url}/identity/v3`,
      auth: {
        type: "password",
        username: "admin",
        password: "s3cret-Passw0rd",
        userDomainName: "Default",
        projectName: "admin",
        projectDomainName: "Default",
      },
      region: "RegionOne",
      retry: { attempts: 3, baseDelayMs: 1 },
      ...overrides,
    };
  }

  /** Adds a route; later routes win over earlier ones for the same request. */
  on(method: string, path: string | RegExp, handler: Handler | Reply): this {
    this.#routes.unshift({ method, path, handler: typeof handler === "function" ? handler : () => handler });
    return this;
  }

  /** Requests seen for a method and exact path. */
  seen(method: string, path: string): SeenRequest[] {
    return this.requests.filter((r) => r.method === method && r.path === path);
  }

  /** Number of tokens Keystone issued. */
  get tokensIssued(): number {
    return this.#issued;
  }

  /** Replays a recorded response. */
  static replay(recorded: Recorded): Reply {
    return { status: recorded.status, headers: recorded.headers, text: recorded.body };
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #installDefaults() {
    const versions = () => ({
      versions: {
        values: [{ id: "v3.14", status: "stable", links: [{ rel: "self", href: `${this.url}/identity/v3/` }] }],
      },
    });
    this.on("GET", "/identity/", () => ({ status: 300, json: versions() }));
    this.on("GET", "/identity/v3/", () => ({ json: { version: versions().versions.values[0] } }));
    this.on("POST", "/identity/v3/auth/tokens", () => this.#issueToken());
    this.on("GET", "/compute/v2.1", () => ({
      json: {
        version: { id: "v2.1", status: "CURRENT", version: this.options.computeMaxVersion ?? "2.93", min_version: "2.1" },
      },
    }));
    this.on("GET", "/placement", () => ({
      json: {
        versions: [
          {
            id: "v1.0",
            status: "CURRENT",
            max_version: this.options.placementMaxVersion ?? "1.39",
            min_version: "1.0",
          },
        ],
      },
    }));
  }

  #issueToken(): Reply {
    const n = ++this.#issued;
    const now = Date.now();
    const token = structuredClone(recordedToken.token) as Record<string, unknown>;
    token.issued_at = new Date(now).toISOString();
    token.expires_at = new Date(now + (this.options.tokenTtlMs ?? 3_600_000)).toISOString();
    token.catalog = this.#catalog();
    return { status: 201, headers: { "X-Subject-Token": `tok-${n}` }, json: { token } };
  }

  #catalog() {
    const ep = (type: string, path: string) => ({
      type,
      name: type,
      id: `svc-${type}`,
      endpoints: ["public", "internal"].map((iface) => ({
        id: `${type}-${iface}`,
        interface: iface,
        region: "RegionOne",
        region_id: "RegionOne",
        url: `${this.url}${iface === "internal" ? "/internal" : ""}${path}`,
      })),
    });
    return [
      ep("identity", "/identity/v3/"),
      ep("compute", "/compute/v2.1"),
      ep("image", "/image"),
      ep("network", "/network"),
      ep("placement", "/placement"),
      // Left unsubstituted, as some Keystones do, to exercise the client's substitution.
      ep("volumev3", "/volume/v3/%(project_id)s"),
    ];
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", this.url);
    const seen: SeenRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks).toString("utf8"),
      token: typeof req.headers["x-auth-token"] === "string" ? req.headers["x-auth-token"] : null,
    };
    this.requests.push(seen);
    const route = this.#routes.find(
      (r) => r.method === seen.method && (typeof r.path === "string" ? r.path === seen.path : r.path.test(seen.path)),
    );
    const unrouted = { error: { code: 404, message: `fake cloud has no route for ${seen.method} ${seen.path}` } };
    const reply: Reply = route ? await route.handler(seen) : { status: 404, json: unrouted };
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    if (reply.hangUp) {
      req.socket.destroy();
      return;
    }
    const headers = { ...reply.headers };
    let body = reply.text ?? "";
    if (reply.json !== undefined) {
      body = JSON.stringify(reply.json);
      headers["content-type"] ??= "application/json";
    }
    res.writeHead(reply.status ?? 200, headers);
    res.end(body);
  }
}
