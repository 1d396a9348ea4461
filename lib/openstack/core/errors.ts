import type { ServiceFault } from "./error-body";

/** Base class, so callers can tell OpenStack failures from their own bugs with one `instanceof`. */
export class OpenStackError extends Error {
  override name = "OpenStackError";
}

/** An OpenStack API answered with an error status. */
export class OpenStackHttpError extends OpenStackError {
  override name = "OpenStackHttpError";
  /** Display name of the service that answered: Keystone, Nova, Glance, Neutron, Placement, Cinder. */
  readonly service: string;
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly requestId: string | null;
  /** The service's own explanation, extracted from its error body. */
  readonly serviceMessage: string | null;
  /** Nova/Cinder fault key (`itemNotFound`) or Neutron error type (`NetworkNotFound`). */
  readonly errorType: string | null;
  /** The response body (redacted, truncated) for diagnostics. */
  readonly body: string;

  constructor(init: {
    service: string;
    method: string;
    url: string;
    status: number;
    requestId: string | null;
    fault: ServiceFault | null;
    body: string;
    hint?: string;
  }) {
    const explanation = init.fault?.message ?? "(no message in the response)";
    const request = init.requestId ? ` (request ${init.requestId})` : "";
    const hint = init.hint ? ` ${init.hint}` : "";
    super(`${init.service} said ${init.status} on ${init.method} ${init.url}: ${explanation}${request}${hint}`);
    this.service = init.service;
    this.method = init.method;
    this.url = init.url;
    this.status = init.status;
    this.requestId = init.requestId;
    this.serviceMessage = init.fault?.message ?? null;
    this.errorType = init.fault?.type ?? null;
    this.body = init.body;
  }
}

/**
 * Whether an error is an OpenStack HTTP error answered with one of these statuses, e.g.
 * `isStatus(err, 404)`: the one way to ask (no inline `status === 404` checks).
 */
export function isStatus(err: unknown, ...statuses: number[]): err is OpenStackHttpError {
  return err instanceof OpenStackHttpError && statuses.includes(err.status);
}

export type ConnectionFailure = "timeout" | "refused" | "reset" | "dns" | "tls" | "other";

/** The endpoint could not be reached, did not answer in time, or failed TLS verification. */
export class OpenStackConnectionError extends OpenStackError {
  override name = "OpenStackConnectionError";
  readonly service: string;
  readonly method: string;
  readonly endpoint: string;
  readonly kind: ConnectionFailure;
  /** Low-level code such as ECONNREFUSED or CERT_HAS_EXPIRED, when known. */
  readonly code: string | null;

  constructor(
    message: string,
    init: { service: string; method: string; endpoint: string; kind: ConnectionFailure; code: string | null },
  ) {
    super(message);
    this.service = init.service;
    this.method = init.method;
    this.endpoint = init.endpoint;
    this.kind = init.kind;
    this.code = init.code;
  }
}

/** The service catalog has no endpoint matching what was asked for. */
export class OpenStackCatalogError extends OpenStackError {
  override name = "OpenStackCatalogError";
  constructor(
    message: string,
    readonly serviceType: string,
    readonly region: string | null,
    readonly endpointInterface: string,
  ) {
    super(message);
  }
}

/** A response arrived but did not have the shape the client expects. */
export class OpenStackResponseError extends OpenStackError {
  override name = "OpenStackResponseError";
}

/** A lookup by name found nothing usable or more than one match. */
export class OpenStackLookupError extends OpenStackError {
  override name = "OpenStackLookupError";
}

/** The client options cannot work (missing credentials, unknown auth type…). */
export class OpenStackConfigError extends OpenStackError {
  override name = "OpenStackConfigError";
}
