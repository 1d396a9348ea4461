import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { createClient, type OpenStackClient } from "../client";
import { FakeCloud } from "../testing/fake-cloud";
import errors from "../testing/fixtures/errors.json";
import { authRequestBody, identityUrlFor } from "./auth";
import { OpenStackHttpError } from "./errors";

let fake: FakeCloud;
const clients: OpenStackClient[] = [];

beforeEach(async () => {
  fake = await FakeCloud.start();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await fake.close();
});

async function connect(overrides: Parameters<FakeCloud["clientOptions"]>[0] = {}) {
  const os = await createClient(fake.clientOptions(overrides));
  clients.push(os);
  return os;
}

const serversRoute = "/compute/v2.1/servers/detail";
const emptyServers = { json: { servers: [] } };

describe("Keystone discovery", () => {
  it.each([
    ["/identity/v3", "/identity/v3/"],
    ["/identity/v3/", "/identity/v3/"],
    ["/identity", "/identity/"],
    ["/identity/", "/identity/"],
  ])("auth URL %s → discovery at %s, then tokens at /identity/v3/auth/tokens", async (suffix, discoveryPath) => {
    const os = await connect({ authUrl: `${fake.url}${suffix}` });
    expect(os.identityDiscovery).toEqual({ url: `${fake.url}/identity/v3`, version: "v3.14", status: "stable" });
    expect(fake.requests.map((r) => `${r.method} ${r.path}`).slice(0, 2)).toEqual([
      `GET ${discoveryPath}`,
      "POST /identity/v3/auth/tokens",
    ]);
  });

  it("falls back to /v3 when the root is not served", async () => {
    fake.on("GET", "/identity/", { status: 404, text: "not here" });
    const os = await connect({ authUrl: `${fake.url}/identity` });
    expect(os.identityDiscovery.url).toBe(`${fake.url}/identity/v3`);
    expect(fake.seen("GET", "/identity/v3/")).toHaveLength(1);
  });
});

describe("Keystone discovery: the self link is followed only on the given origin", () => {
  it.each([
    // [given auth URL, self link, identity URL used, refused?]
    ["https://cloud.example.org:5000", "https://cloud.example.org:5000/v3/", "https://cloud.example.org:5000/v3", false],
    ["https://cloud.example.org/identity", "https://cloud.example.org/identity/v3/", "https://cloud.example.org/identity/v3", false],
    ["http://127.0.0.1:5000", "http://127.0.0.1:5000/v3/", "http://127.0.0.1:5000/v3", false],
    ["https://cloud.example.org:5000", "https://evil.example.net:5000/v3/", "https://cloud.example.org:5000/v3", true],
    ["https://cloud.example.org:5000", "http://cloud.example.org:5000/v3/", "https://cloud.example.org:5000/v3", true],
    ["https://cloud.example.org:5000", "https://cloud.example.org:35357/v3/", "https://cloud.example.org:5000/v3", true],
    ["https://cloud.example.org/identity", "http://10.0.0.5:5000/v3/", "https://cloud.example.org/identity/v3", true],
    ["https://cloud.example.org:5000", null, "https://cloud.example.org:5000/v3", false],
    ["https://cloud.example.org:5000/v3", "https://evil.example.net/v3/", "https://cloud.example.org:5000/v3", false],
  ])("%s with self %s → %s", (given, self, url, refused) => {
    const r = identityUrlFor(given, self);
    expect(r.url).toBe(url);
    expect(Boolean(r.selfLinkRefused)).toBe(refused);
    if (refused) expect(r.selfLinkRefused).toMatch(/authenticates only at the auth URL's origin/);
  });

  it("never POSTs the password to a self link on another host", async () => {
    const evil = await FakeCloud.start();
    try {
      const doc = { id: "v3.14", status: "stable", links: [{ rel: "self", href: `${evil.url}/identity/v3/` }] };
      fake.on("GET", "/identity/", { status: 300, json: { versions: { values: [doc] } } });
      const os = await connect({ authUrl: `${fake.url}/identity`, auth: { type: "password", username: "alice", password: "pw-secret-123", projectName: "p" } });
      expect(os.identityDiscovery.url).toBe(`${fake.url}/identity/v3`);
      expect(os.identityDiscovery.selfLinkRefused).toMatch(/another origin/);
      expect(fake.seen("POST", "/identity/v3/auth/tokens")).toHaveLength(1);
      expect(evil.requests).toEqual([]);
    } finally {
      await evil.close();
    }
  });
});

describe("auth request bodies", () => {
  it("password auth by names defaults both domains to the default domain", async () => {
    await connect({ auth: { type: "password", username: "alice", password: "pw-123456", projectName: "research" } });
    const sent = JSON.parse(fake.seen("POST", "/identity/v3/auth/tokens")[0].body);
    expect(sent).toEqual({
      auth: {
        identity: {
          methods: ["password"],
          password: { user: { name: "alice", domain: { id: "default" }, password: "pw-123456" } },
        },
        scope: { project: { name: "research", domain: { id: "default" } } },
      },
    });
  });

  it("password auth by ids and domain names", () => {
    expect(
      authRequestBody({ type: "password", userId: "u1", password: "p", projectId: "p1", userDomainName: "ignored" }),
    ).toEqual({
      auth: {
        identity: { methods: ["password"], password: { user: { id: "u1", password: "p" } } },
        scope: { project: { id: "p1" } },
      },
    });
    expect(
      authRequestBody({
        type: "password",
        username: "bob",
        userDomainId: "d-1",
        password: "p",
        projectName: "x",
        projectDomainName: "Research",
      }),
    ).toMatchObject({
      auth: {
        identity: { password: { user: { name: "bob", domain: { id: "d-1" } } } },
        scope: { project: { name: "x", domain: { name: "Research" } } },
      },
    });
  });

  it("application credential by id sends no scope", async () => {
    await connect({ auth: { type: "applicationCredential", id: "ac-1", secret: "very-secret" } });
    expect(JSON.parse(fake.seen("POST", "/identity/v3/auth/tokens")[0].body)).toEqual({
      auth: {
        identity: { methods: ["application_credential"], application_credential: { id: "ac-1", secret: "very-secret" } },
      },
    });
  });

  it("application credential by name names its user", () => {
    expect(
      authRequestBody({ type: "applicationCredential", name: "ci", secret: "s", username: "alice", userDomainName: "Users" }),
    ).toEqual({
      auth: {
        identity: {
          methods: ["application_credential"],
          application_credential: { name: "ci", secret: "s", user: { name: "alice", domain: { name: "Users" } } },
        },
      },
    });
  });

  it("wrong credentials: Keystone's message plus a hint, and no password in it", async () => {
    fake.on("POST", "/identity/v3/auth/tokens", {
      status: 401,
      headers: { "content-type": "application/json", "x-openstack-request-id": "req-401" },
      json: { error: { code: 401, message: "The request you have made requires authentication.", title: "Unauthorized" } },
    });
    const err = await createClient(fake.clientOptions()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenStackHttpError);
    expect((err as Error).message).toMatch(
      /^Keystone said 401 on POST http:\/\/127\.0\.0\.1:\d+\/identity\/v3\/auth\/tokens: The request you have made requires authentication\. \(request req-401\) \(check the user name/,
    );
    expect((err as Error).message).not.toContain("s3cret-Passw0rd");
  });
});

describe("token lifetime", () => {
  it("reuses the token while it is valid", async () => {
    fake.on("GET", serversRoute, emptyServers);
    const os = await connect();
    await os.compute.servers.list();
    await os.compute.servers.list();
    await os.compute.servers.list();
    expect(fake.tokensIssued).toBe(1);
    expect(fake.seen("GET", serversRoute).map((r) => r.token)).toEqual(["tok-1", "tok-1", "tok-1"]);
  });

  it("renews shortly before expires_at, once for concurrent callers", async () => {
    await fake.close();
    fake = await FakeCloud.start({ tokenTtlMs: 60_000 });
    fake.on("GET", serversRoute, emptyServers);
    // A margin just under the lifetime makes the token "about to expire" after 0.5 s.
    const os = await connect({ tokenRenewalMarginMs: 59_500 });
    await os.compute.servers.list();
    expect(fake.tokensIssued).toBe(1);
    await new Promise((r) => setTimeout(r, 700));
    await Promise.all([os.compute.servers.list(), os.compute.servers.list(), os.compute.servers.list()]);
    expect(fake.tokensIssued).toBe(2);
    expect(fake.seen("GET", serversRoute).map((r) => r.token)).toEqual(["tok-1", "tok-2", "tok-2", "tok-2"]);
    expect(os.token.expiresAt.getTime()).toBeGreaterThan(Date.now() + 59_000);
  });
});

describe("401 from a service", () => {
  it("re-authenticates exactly once and retries with the new token", async () => {
    fake.on("GET", serversRoute, (req) =>
      req.token === "tok-1" ? FakeCloud.replay(errors.novaUnauthorized) : emptyServers,
    );
    const os = await connect();
    await expect(os.compute.servers.list()).resolves.toEqual([]);
    expect(fake.tokensIssued).toBe(2);
    expect(fake.seen("GET", serversRoute).map((r) => r.token)).toEqual(["tok-1", "tok-2"]);
  });

  it("a second 401 surfaces as the error", async () => {
    fake.on("GET", serversRoute, FakeCloud.replay(errors.novaUnauthorized));
    const os = await connect();
    const err = await os.compute.servers.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenStackHttpError);
    expect(err).toMatchObject({ status: 401, service: "Nova" });
    expect((err as Error).message).toContain("The request you have made requires authentication.");
    expect(fake.tokensIssued).toBe(2);
    expect(fake.seen("GET", serversRoute)).toHaveLength(2);
  });

  it("concurrent 401s share one re-authentication", async () => {
    fake.on("GET", serversRoute, (req) =>
      req.token === "tok-1" ? FakeCloud.replay(errors.novaUnauthorized) : emptyServers,
    );
    const os = await connect();
    await Promise.all([os.compute.servers.list(), os.compute.servers.list(), os.compute.servers.list()]);
    expect(fake.tokensIssued).toBe(2);
    expect(fake.seen("GET", serversRoute).filter((r) => r.token === "tok-2")).toHaveLength(3);
  });
});

describe("token secrecy", () => {
  it("the client and its token info never show the token", async () => {
    const os = await connect();
    const shown = [JSON.stringify(os), JSON.stringify(os.token), String(os.token), JSON.stringify(os.catalog)];
    for (const text of shown) expect(text).not.toContain("tok-1");
    expect(os.token.user.name).toBe("admin");
    expect(os.token.roles.map((r) => r.name)).toContain("admin");
  });
});
