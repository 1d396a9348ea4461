import https from "node:https";
import net, { type AddressInfo } from "node:net";

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { createClient, discoverKeystone, type OpenStackClient } from "../client";
import { FakeCloud, type Reply } from "../testing/fake-cloud";
import { hasOpenssl, makeTestCerts, type TestCerts } from "../testing/tls-certs";
import { OpenStackConnectionError, OpenStackHttpError } from "./errors";
import { inspectTls } from "./tls";

let fake: FakeCloud;
let os: OpenStackClient;

beforeEach(async () => {
  fake = await FakeCloud.start();
  os = await createClient(fake.clientOptions({ timeoutMs: 2_000 }));
});

afterEach(async () => {
  await os.close();
  await fake.close();
});

const images = "/image/v2/images";
const okImages = { json: { images: [] } };

/** Answers with each reply in turn, repeating the last. */
function sequence(...replies: Reply[]) {
  let i = 0;
  return () => replies[Math.min(i++, replies.length - 1)];
}

describe("retries", () => {
  it("GET is retried on 503 and succeeds on the third try", async () => {
    fake.on("GET", images, sequence({ status: 503, text: "busy" }, { status: 503, text: "busy" }, okImages));
    await expect(os.image.images.list()).resolves.toEqual([]);
    expect(fake.seen("GET", images)).toHaveLength(3);
  });

  it("GET gives up after the configured attempts with the last status", async () => {
    fake.on("GET", images, { status: 503, text: "503 Service Unavailable\n\nNo server is available to handle this request." });
    const err = await os.image.images.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenStackHttpError);
    expect((err as OpenStackHttpError).status).toBe(503);
    expect((err as Error).message).toContain("No server is available to handle this request.");
    expect(fake.seen("GET", images)).toHaveLength(3);
  });

  it("DELETE (idempotent) is retried on 502", async () => {
    fake.on("DELETE", `${images}/x`, sequence({ status: 502, text: "bad gateway" }, { status: 204 }));
    await os.image.images.delete("x");
    expect(fake.seen("DELETE", `${images}/x`)).toHaveLength(2);
  });

  it("POST is never retried on 503", async () => {
    fake.on("POST", images, sequence({ status: 503, text: "busy" }, { status: 201, json: {} }));
    const err = await os.image.images.create({ name: "x" }).catch((e: unknown) => e);
    expect((err as OpenStackHttpError).status).toBe(503);
    expect(fake.seen("POST", images)).toHaveLength(1);
  });

  it("GET is retried after a connection reset", async () => {
    fake.on("GET", images, sequence({ hangUp: true }, okImages));
    await expect(os.image.images.list()).resolves.toEqual([]);
    expect(fake.seen("GET", images)).toHaveLength(2);
  });

  it("POST is not retried after a connection reset", async () => {
    fake.on("POST", images, { hangUp: true });
    const err = await os.image.images.create({ name: "x" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenStackConnectionError);
    expect(err).toMatchObject({ kind: "reset", service: "Glance", method: "POST" });
    expect(fake.seen("POST", images)).toHaveLength(1);
  });
});

describe("timeouts and unreachable endpoints", () => {
  it("a slow answer becomes a timeout naming the endpoint", async () => {
    await os.close();
    os = await createClient(fake.clientOptions({ timeoutMs: 150 }));
    fake.on("GET", images, { ...okImages, delayMs: 1_000 });
    const started = Date.now();
    const err = await os.image.images.list().catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(900);
    expect(err).toBeInstanceOf(OpenStackConnectionError);
    expect((err as Error).message).toBe(`Glance: could not reach ${fake.url}/image/v2/images within 0.2 s: no answer (timed out)`);
    expect(err).toMatchObject({ kind: "timeout" });
  });

  it("calls that block server-side get a longer timeout than the client's", async () => {
    await os.close();
    os = await createClient(fake.clientOptions({ timeoutMs: 100 }));
    fake.on("GET", "/compute/v2.1/servers/s1", { json: { server: { id: "s1", name: "a", status: "ACTIVE" } }, delayMs: 300 });
    fake.on("POST", "/compute/v2.1/servers", { status: 202, json: { server: { id: "s1", adminPass: "x" } }, delayMs: 300 });
    await expect(os.compute.servers.get("s1")).rejects.toMatchObject({ kind: "timeout" });
    await expect(
      os.compute.servers.create({ name: "a", flavorId: "f", imageId: "i", networks: "none" }),
    ).resolves.toEqual({ id: "s1" });
  });

  it("ECONNREFUSED names the endpoint and the reason", async () => {
    const port = await freePort();
    const err = await discoverKeystone(`http://127.0.0.1:${port}/v3`, { timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenStackConnectionError);
    expect((err as Error).message).toBe(
      `Keystone: could not reach http://127.0.0.1:${port}/v3/ within 10 s: ECONNREFUSED (connection refused)`,
    );
    expect(err).toMatchObject({ kind: "refused", code: "ECONNREFUSED" });
  });
});

describe("redaction", () => {
  it("a password echoed by a validation error is masked", async () => {
    fake.on("POST", "/identity/v3/users", {
      status: 400,
      headers: { "content-type": "application/json" },
      json: {
        error: {
          code: 400,
          title: "Bad Request",
          message:
            "Invalid input for field 'user': Additional properties are not allowed\n\nOn instance['user']:\n    {'name': 'bob', 'password': 'Brand-New-Secret-99', 'bogus': 1}",
        },
      },
    });
    const err = (await os.identity.users.create({ name: "bob", password: "Brand-New-Secret-99" }).catch((e) => e)) as OpenStackHttpError;
    expect(err.message).toContain("'password': '***'");
    expect(err.message).not.toContain("Brand-New-Secret-99");
    expect(err.body).not.toContain("Brand-New-Secret-99");
  });

  it("the client's own password and token are masked wherever they appear", async () => {
    fake.on("GET", "/compute/v2.1/servers/detail", {
      status: 400,
      headers: { "content-type": "application/json" },
      json: { badRequest: { code: 400, message: "header X-Auth-Token: tok-1 refused; also saw s3cret-Passw0rd and tok-1" } },
    });
    const err = (await os.compute.servers.list().catch((e) => e)) as OpenStackHttpError;
    expect(err.message).not.toContain("tok-1");
    expect(err.message).not.toContain("s3cret-Passw0rd");
    expect(err.serviceMessage).toBe("header X-Auth-Token: *** refused; also saw *** and ***");
    expect(JSON.stringify(err)).not.toContain("tok-1");
  });
});

describe.skipIf(!hasOpenssl())("TLS", () => {
  let certs: TestCerts;
  const servers: https.Server[] = [];

  async function keystoneOverTls(pair: { key: string; cert: string }): Promise<string> {
    const server = https.createServer(pair, (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ version: { id: "v3.14", status: "stable", links: [] } }));
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    return `https://localhost:${(server.address() as AddressInfo).port}/v3`;
  }

  beforeAll(() => {
    certs = makeTestCerts();
  });

  afterAll(async () => {
    for (const s of servers) s.closeAllConnections();
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  });

  it("a private CA bundle makes the endpoint trusted for that client", async () => {
    const url = await keystoneOverTls(certs.server);
    await expect(discoverKeystone(url, { caBundle: certs.caPem })).resolves.toMatchObject({ version: "v3.14" });
    const err = await discoverKeystone(url).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: "tls", code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE" });
    expect((err as Error).message).toBe(
      `Keystone: TLS verification failed for ${url}/: certificate signed by an unknown authority (missing CA bundle or intermediate?) (UNABLE_TO_VERIFY_LEAF_SIGNATURE)`,
    );
  });

  it("self-signed and expired certificates fail with a clear reason", async () => {
    const selfSigned = await keystoneOverTls(certs.selfSigned);
    const expired = await keystoneOverTls(certs.expired);
    await expect(discoverKeystone(selfSigned, { caBundle: certs.caPem })).rejects.toThrow(/: self-signed certificate \(DEPTH_ZERO_SELF_SIGNED_CERT\)$/);
    await expect(discoverKeystone(expired, { caBundle: certs.caPem })).rejects.toThrow(/: certificate has expired \(CERT_HAS_EXPIRED\)$/);
  });

  it("inspectTls reports trust, expiry and names", async () => {
    const good = await inspectTls(await keystoneOverTls(certs.server), { ca: certs.caPem });
    expect(good).toMatchObject({ https: true, hostnameIsIp: false, trusted: true, error: null, subject: "CN=localhost", issuer: "CN=Cloudport Test CA" });
    expect(good.daysToExpiry).toBeGreaterThanOrEqual(18);
    expect(good.subjectAltNames).toEqual(["DNS:localhost", "IP Address:127.0.0.1"]);

    const expiredUrl = (await keystoneOverTls(certs.expired)).replace("localhost", "127.0.0.1");
    const expired = await inspectTls(expiredUrl, { ca: certs.caPem });
    expect(expired).toMatchObject({ trusted: false, hostnameIsIp: true, error: "certificate has expired (CERT_HAS_EXPIRED)" });
    expect(expired.daysToExpiry).toBeLessThan(0);

    const untrusted = await inspectTls(await keystoneOverTls(certs.server));
    expect(untrusted.trusted).toBe(false);

    expect(await inspectTls("http://127.0.0.1:5000/v3")).toMatchObject({ https: false, trusted: false, error: "endpoint is plain HTTP" });
    const closed = await inspectTls(`https://127.0.0.1:${await freePort()}/`, { timeoutMs: 2_000 });
    expect(closed.error).toMatch(/ECONNREFUSED/);
  });
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}
