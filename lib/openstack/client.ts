import {
  discoverIdentity,
  issueToken,
  Session,
  type AuthOptions,
  type IdentityDiscovery,
  type TokenInfo,
} from "./core/auth";
import type { Catalog, EndpointInterface } from "./core/catalog";
import { HttpTransport, type RetryOptions } from "./core/http";
import { Redactor } from "./core/redact";
import { ServiceClient } from "./core/service-client";
import * as services from "./core/services";
import { blockStorageApi } from "./blockstorage/v3";
import { computeApi } from "./compute/v2";
import { identityApi } from "./identity/v3";
import { imageApi } from "./image/v2";
import { networkApi } from "./network/v2";
import { placementApi } from "./placement/v1";

export interface ClientOptions {
  /** Keystone URL, with or without /v3. */
  authUrl: string;
  auth: AuthOptions;
  /** Catalog region; the first region offering a service when omitted. */
  region?: string;
  /** Catalog interface. Default "public". */
  interface?: EndpointInterface;
  /** PEM bundle trusted (in addition to public roots) for this client's endpoints only. */
  caBundle?: string;
  /** Time allowed to connect and get response headers, per request. Default 10 s. */
  timeoutMs?: number;
  retry?: RetryOptions;
  /** Renew the token this long before it expires. Default 2 minutes. */
  tokenRenewalMarginMs?: number;
}

/** One authenticated connection to one cloud, with every service the console uses. */
export class OpenStackClient {
  readonly identity: ReturnType<typeof identityApi>;
  readonly compute: ReturnType<typeof computeApi>;
  readonly image: ReturnType<typeof imageApi>;
  readonly network: ReturnType<typeof networkApi>;
  readonly placement: ReturnType<typeof placementApi>;
  readonly blockStorage: ReturnType<typeof blockStorageApi>;
  readonly #session: Session;
  readonly #endpointQuery: { interface: EndpointInterface; region: string | null };

  constructor(session: Session, options: Pick<ClientOptions, "region" | "interface">) {
    this.#session = session;
    this.#endpointQuery = { interface: options.interface ?? "public", region: options.region ?? null };
    const sc = (spec: services.ServiceSpec, fixedRoot?: string) =>
      new ServiceClient(session, spec, this.#endpointQuery, fixedRoot);
    // Keystone is called where we authenticated: that URL is proven reachable, while the
    // catalog's identity endpoint may name an internal host.
    this.identity = identityApi(sc(services.identity, session.identity.url));
    this.compute = computeApi(sc(services.compute));
    this.image = imageApi(sc(services.image));
    this.network = networkApi(sc(services.network));
    this.placement = placementApi(sc(services.placement));
    this.blockStorage = blockStorageApi(sc(services.blockStorage));
  }

  /** Who we are and until when: metadata of the current token, never the token itself. */
  get token(): TokenInfo {
    return this.#session.current.info;
  }

  /** The current token's service catalog. */
  get catalog(): Catalog {
    return this.#session.current.catalog;
  }

  /** The Keystone v3 URL and version found by discovery. */
  get identityDiscovery(): IdentityDiscovery {
    return this.#session.identity;
  }

  /** Whether the catalog offers this service type (or an alias) for the client's interface and region. */
  hasService(type: string): boolean {
    return this.catalog.has(type, this.#endpointQuery);
  }

  /** Closes the client's connections. */
  close(): Promise<void> {
    return this.#session.transport.close();
  }

  toJSON() {
    return { identityUrl: this.#session.identity.url, ...this.#endpointQuery, token: this.token };
  }
}

/** Discovers Keystone, authenticates and returns a ready client. GET {auth_url}/ then POST /v3/auth/tokens */
export async function createClient(options: ClientOptions): Promise<OpenStackClient> {
  const redactor = new Redactor();
  redactor.add(options.auth.type === "password" ? options.auth.password : options.auth.secret);
  const transport = new HttpTransport(redactor, options);
  try {
    const identity = await discoverIdentity(transport, options.authUrl);
    const token = await issueToken(transport, identity.url, options.auth);
    const session = new Session(transport, identity, options.auth, token, options.tokenRenewalMarginMs ?? 120_000);
    return new OpenStackClient(session, options);
  } catch (err) {
    await transport.close();
    throw err;
  }
}

/** Finds Keystone v3 at an auth URL without authenticating (first preflight step). GET {auth_url}/ */
export async function discoverKeystone(
  authUrl: string,
  options: Pick<ClientOptions, "caBundle" | "timeoutMs" | "retry"> = {},
): Promise<IdentityDiscovery> {
  const transport = new HttpTransport(new Redactor(), options);
  try {
    return await discoverIdentity(transport, authUrl);
  } finally {
    await transport.close();
  }
}
