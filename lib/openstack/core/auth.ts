import { z } from "zod";

import { Catalog, catalogSchema } from "./catalog";
import { isStatus, OpenStackConfigError, OpenStackResponseError } from "./errors";
import type { HttpTransport } from "./http";
import { pickVersion, versionEntries } from "./versions";

/** Keystone password authentication; domains default to the `default` domain ("Default"). */
export interface PasswordAuth {
  type: "password";
  username?: string;
  userId?: string;
  password: string;
  userDomainName?: string;
  userDomainId?: string;
  projectName?: string;
  projectId?: string;
  projectDomainName?: string;
  projectDomainId?: string;
}

/** Keystone application-credential authentication: id + secret, or name + secret + user. */
export interface ApplicationCredentialAuth {
  type: "applicationCredential";
  id?: string;
  name?: string;
  secret: string;
  username?: string;
  userId?: string;
  userDomainName?: string;
  userDomainId?: string;
}

export type AuthOptions = PasswordAuth | ApplicationCredentialAuth;

interface Named {
  id: string;
  name: string;
}

/** What a token says about who we are; never the token itself. */
export interface TokenInfo {
  expiresAt: Date;
  issuedAt: Date;
  methods: string[];
  user: Named & { domain: Named | null };
  project: (Named & { domain: Named | null }) | null;
  roles: Named[];
  applicationCredentialId: string | null;
}

const named = z.looseObject({ id: z.string(), name: z.string().default("") });
const tokenBodySchema = z.looseObject({
  token: z.looseObject({
    expires_at: z.string(),
    issued_at: z.string(),
    methods: z.array(z.string()).default([]),
    user: z.looseObject({ id: z.string(), name: z.string().default(""), domain: named.nullish() }),
    project: z.looseObject({ id: z.string(), name: z.string().default(""), domain: named.nullish() }).nullish(),
    roles: z.array(named).default([]),
    catalog: catalogSchema.default([]),
    application_credential: z.looseObject({ id: z.string() }).nullish(),
  }),
});

/** An issued token. The secret lives in a private field so it never serialises or prints. */
export class Token {
  readonly #value: string;
  constructor(
    value: string,
    readonly info: TokenInfo,
    readonly catalog: Catalog,
  ) {
    this.#value = value;
  }
  /** The X-Auth-Token value; only the HTTP layer reads it. */
  reveal(): string {
    return this.#value;
  }
  toJSON(): TokenInfo {
    return this.info;
  }
  toString(): string {
    return `[Token for ${this.info.user.name || this.info.user.id}, expires ${this.info.expiresAt.toISOString()}]`;
  }
}

export interface IdentityDiscovery {
  /** The Identity v3 base URL, without trailing slash. */
  url: string;
  /** Version id from the version document, e.g. "v3.14". */
  version: string;
  status: string;
  /**
   * Set when the version document's `self` link was not followed: it named another origin (or
   * plain http), and credentials are only ever sent to the origin the operator gave.
   */
  selfLinkRefused?: string;
}

/** The origin (scheme, host, port) of a URL, or null when it is not one. */
function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * Where to authenticate, given the auth URL the operator typed and the `self` link of
 * Keystone's v3 version entry. The link is followed only on the same origin (scheme, host and
 * port): a link to another host, or from https down to plain http, would send the password to a
 * URL nobody typed, so the given URL's own /v3 is used instead and the reason is returned.
 */
export function identityUrlFor(given: string, selfHref: string | null): { url: string; selfLinkRefused?: string } {
  const base = given.trim().replace(/\/+$/, "");
  if (/\/v3$/.test(base)) return { url: base };
  const fallback = `${base}/v3`;
  if (!selfHref) return { url: fallback };
  const self = selfHref.replace(/\/+$/, "");
  const selfOrigin = originOf(self);
  const givenOrigin = originOf(base);
  if (selfOrigin && givenOrigin && selfOrigin === givenOrigin) return { url: self };
  const why = self.toLowerCase().startsWith("http:") && base.toLowerCase().startsWith("https:") ? "plain http" : "another origin";
  return {
    url: fallback,
    selfLinkRefused: `Keystone's version document points at ${self} (${why}); Cloudport authenticates only at the auth URL's origin, ${givenOrigin ?? base}, so it uses ${fallback}.`,
  };
}

/**
 * Finds Keystone v3 from an auth URL given with or without `/v3` (and trailing slash), using
 * the version document the way keystoneauth does.
 */
export async function discoverIdentity(transport: HttpTransport, authUrl: string): Promise<IdentityDiscovery> {
  const given = authUrl.trim().replace(/\/+$/, "");
  if (!/^https?:\/\//i.test(given)) {
    throw new OpenStackConfigError(`Auth URL must start with http:// or https://, got "${authUrl}"`);
  }
  const versioned = /\/v3$/.test(given);
  const fetchDoc = (url: string) =>
    // Keystone answers its root with 300 Multiple Choices and the list of versions.
    transport.request({ service: "Keystone", method: "GET", url: `${url}/`, accept: [300] });
  let res;
  try {
    res = await fetchDoc(given);
  } catch (err) {
    // Some proxies expose only /v3, not Keystone's root.
    if (versioned || !isStatus(err, 404)) throw err;
    res = await fetchDoc(`${given}/v3`);
  }
  const v3 = pickVersion(versionEntries(res.body), 3);
  if (!v3) {
    throw new OpenStackResponseError(`Keystone at ${given} offers no Identity v3 in its version document`);
  }
  // The URL the operator gave is known to be reachable and is where credentials may go; the
  // self link may name an internal host, or one someone else controls.
  const { url, selfLinkRefused } = versioned ? { url: given, selfLinkRefused: undefined } : identityUrlFor(given, v3.selfHref);
  return { url, version: v3.id, status: v3.status, ...(selfLinkRefused ? { selfLinkRefused } : {}) };
}

/** Builds the POST /v3/auth/tokens body. */
export function authRequestBody(auth: AuthOptions): unknown {
  if (auth.type === "applicationCredential") {
    if (!auth.secret) throw new OpenStackConfigError("Application credential auth needs a secret");
    if (auth.id) {
      return {
        auth: {
          identity: { methods: ["application_credential"], application_credential: { id: auth.id, secret: auth.secret } },
        },
      };
    }
    if (!auth.name) throw new OpenStackConfigError("Application credential auth needs an id, or a name and a user");
    return {
      auth: {
        identity: {
          methods: ["application_credential"],
          application_credential: { name: auth.name, secret: auth.secret, user: userRef(auth) },
        },
      },
    };
  }
  if (!auth.password) throw new OpenStackConfigError("Password auth needs a password");
  const scope = projectScope(auth);
  return {
    auth: {
      identity: { methods: ["password"], password: { user: { ...userRef(auth), password: auth.password } } },
      ...(scope ? { scope } : {}),
    },
  };
}

function userRef(auth: { username?: string; userId?: string; userDomainName?: string; userDomainId?: string }) {
  if (auth.userId) return { id: auth.userId };
  if (!auth.username) throw new OpenStackConfigError("Auth needs a user name or user id");
  return { name: auth.username, domain: domainRef(auth.userDomainId, auth.userDomainName) };
}

function projectScope(auth: PasswordAuth) {
  if (auth.projectId) return { project: { id: auth.projectId } };
  if (auth.projectName) {
    return { project: { name: auth.projectName, domain: domainRef(auth.projectDomainId, auth.projectDomainName) } };
  }
  return null;
}

/** The "Default" domain has the immutable id `default`; its name can be changed. */
function domainRef(id: string | undefined, name: string | undefined) {
  if (id) return { id };
  if (name) return { name };
  return { id: "default" };
}

/** Issues a token. POST /v3/auth/tokens */
export async function issueToken(transport: HttpTransport, identityUrl: string, auth: AuthOptions): Promise<Token> {
  const res = await transport.request({
    service: "Keystone",
    method: "POST",
    url: `${identityUrl}/auth/tokens`,
    json: authRequestBody(auth),
    errorHint: (status) =>
      status === 401
        ? "(check the user name, password or secret, the user and project domains, and that the user has a role on the project)"
        : undefined,
  });
  const value = res.headers.get("x-subject-token");
  if (!value) throw new OpenStackResponseError(`Keystone issued no X-Subject-Token at ${identityUrl}/auth/tokens`);
  transport.redactor.add(value);
  const parsed = tokenBodySchema.safeParse(res.body);
  if (!parsed.success) {
    throw new OpenStackResponseError(`Keystone returned an unexpected token body: ${z.prettifyError(parsed.error)}`);
  }
  const t = parsed.data.token;
  const domain = (d: { id: string; name: string } | null | undefined) => (d ? { id: d.id, name: d.name } : null);
  const info: TokenInfo = {
    expiresAt: new Date(t.expires_at),
    issuedAt: new Date(t.issued_at),
    methods: t.methods,
    user: { id: t.user.id, name: t.user.name, domain: domain(t.user.domain) },
    project: t.project ? { id: t.project.id, name: t.project.name, domain: domain(t.project.domain) } : null,
    roles: t.roles.map((r) => ({ id: r.id, name: r.name })),
    applicationCredentialId: t.application_credential?.id ?? null,
  };
  return new Token(value, info, new Catalog(t.catalog, info.project?.id ?? null));
}

/**
 * Holds the current token: reuses it until shortly before it expires, renews it once for
 * any number of concurrent callers, and replaces it after a 401.
 */
export class Session {
  #token: Token;
  #renewing: Promise<Token> | null = null;
  // Private so that inspecting a session never shows the password.
  readonly #auth: AuthOptions;

  constructor(
    readonly transport: HttpTransport,
    readonly identity: IdentityDiscovery,
    auth: AuthOptions,
    first: Token,
    readonly renewBeforeMs: number,
  ) {
    this.#auth = auth;
    this.#token = first;
  }

  /** The token last issued (may be near expiry). */
  get current(): Token {
    return this.#token;
  }

  /** A token valid for at least `renewBeforeMs`, renewing if needed. */
  async valid(): Promise<Token> {
    if (this.#token.info.expiresAt.getTime() - Date.now() > this.renewBeforeMs) return this.#token;
    return this.#renew();
  }

  /** A new token to replace one a service rejected with 401 (shared with concurrent callers). */
  async afterUnauthorized(rejected: Token): Promise<Token> {
    if (this.#token !== rejected) return this.#token;
    return this.#renew();
  }

  #renew(): Promise<Token> {
    this.#renewing ??= issueToken(this.transport, this.identity.url, this.#auth)
      .then((fresh) => {
        this.#token = fresh;
        return fresh;
      })
      .finally(() => {
        this.#renewing = null;
      });
    return this.#renewing;
  }
}

