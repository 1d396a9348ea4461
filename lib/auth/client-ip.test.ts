import http from "node:http";
import { afterAll, describe, expect, it } from "vitest";
import {
  installPeerCapture,
  normalizeIp,
  parseTrustedProxies,
  PEER_HEADER,
  peerFrom,
  resolveClientIp,
  stampPeer,
  throttleNetwork,
  trustedProxies,
} from "./client-ip";

const none = parseTrustedProxies(undefined);

describe("resolveClientIp", () => {
  it.each([
    // [X-Forwarded-For, socket peer, CLOUDPORT_TRUSTED_PROXIES, client]
    ["6.6.6.6", "198.51.100.7", "", "198.51.100.7"], // no proxy: a spoofed header is ignored
    ["6.6.6.6, 7.7.7.7", "::ffff:198.51.100.7", "", "198.51.100.7"],
    [null, "127.0.0.1", "", "127.0.0.1"],
    // One trusted hop (nginx appends the address it saw): the left-most entry is the client's lie.
    ["6.6.6.6, 198.51.100.7", "10.0.0.2", "1", "198.51.100.7"],
    ["198.51.100.7", "10.0.0.2", "1", "198.51.100.7"],
    ["6.6.6.6, 198.51.100.7, 10.0.0.3", "10.0.0.2", "2", "198.51.100.7"],
    [null, "10.0.0.2", "1", "10.0.0.2"], // skipped the proxy: the peer is the client
    // CIDRs: skip trusted hops from the right; the first untrusted one is the client.
    ["6.6.6.6, 198.51.100.7, 10.1.2.3", "10.0.0.2", "10.0.0.0/8", "198.51.100.7"],
    ["6.6.6.6", "198.51.100.9", "10.0.0.0/8", "198.51.100.9"], // an untrusted peer cannot forward
    ["6.6.6.6, 2001:db8::1", "::1", "::1, 10.0.0.0/8", "2001:db8::1"],
    ["[2001:db8::1]:4711", "::1", "::1", "2001:db8::1"],
    ["198.51.100.7:4711", "::1", "::1", "198.51.100.7"],
    ["not-an-ip", "10.0.0.2", "10.0.0.0/8", "10.0.0.2"],
  ])("XFF %s via %s trusting %j → %s", (xff, peer, trusted, client) => {
    expect(resolveClientIp(xff, peer, parseTrustedProxies(trusted))).toBe(client);
  });

  it("answers unknown without a captured peer, whatever the headers say", () => {
    expect(resolveClientIp("6.6.6.6", null, none)).toBe("unknown");
    expect(resolveClientIp("6.6.6.6", null, parseTrustedProxies("1"))).toBe("unknown");
  });

  it("reads CLOUDPORT_TRUSTED_PROXIES, unset meaning none", () => {
    expect(trustedProxies({})).toEqual({ kind: "none" });
    expect(trustedProxies({ CLOUDPORT_TRUSTED_PROXIES: "2" })).toEqual({ kind: "hops", hops: 2 });
    expect(trustedProxies({})).toEqual({ kind: "none" });
  });

  it("refuses a malformed setting with a message that shows the form", () => {
    expect(() => parseTrustedProxies("10.0.0.0/33")).toThrow(/prefix/);
    expect(() => parseTrustedProxies("proxy.example.org")).toThrow(/10\.0\.0\.0\/8/);
    expect(parseTrustedProxies("none")).toEqual({ kind: "none" });
    expect(normalizeIp("fe80::1%eth0")).toBe("fe80::1");
  });
});

describe("peer capture", () => {
  let server: http.Server | undefined;
  afterAll(() => server?.close());

  it("stamps the socket address and a client cannot forge it", async () => {
    await installPeerCapture();
    const seen: Array<string | null> = [];
    server = http.createServer((req, res) => {
      seen.push(peerFrom((req.headers[PEER_HEADER] as string | undefined) ?? null));
      res.end("ok");
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    await fetch(`http://127.0.0.1:${port}/`, { headers: { [PEER_HEADER]: "guess 6.6.6.6", "x-forwarded-for": "6.6.6.6" } });
    expect(seen).toEqual(["127.0.0.1"]);
    // A value without this process's key is no peer at all.
    expect(peerFrom("guess 6.6.6.6")).toBeNull();
    const req = { headers: { [PEER_HEADER]: "x 1.1.1.1" } as Record<string, string>, socket: null };
    stampPeer(req);
    expect(req.headers[PEER_HEADER]).toBeUndefined();
  });
});

describe("throttleNetwork", () => {
  it.each([
    ["198.51.100.7", "198.51.100.7"],
    ["2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"],
    ["2001:db8:1:2::9", "2001:db8:1:2::/64"],
    ["2001:0db8:0001:0002:ffff::", "2001:db8:1:2::/64"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["::1", "0:0:0:0::/64"],
    ["64:ff9b::192.0.2.33", "64:ff9b:0:0::/64"],
    ["fe80::1%eth0", "fe80:0:0:0::/64"],
    ["unknown", "unknown"],
  ])("%s → %s", (ip, network) => {
    expect(throttleNetwork(ip)).toBe(network);
  });

  it("puts every address of one /64 in one network, and the next /64 in another", () => {
    const a = ["2001:db8:aa:1::1", "2001:db8:aa:1:ffff:ffff:ffff:ffff", "2001:db8:aa:1:1234::"].map(throttleNetwork);
    expect(new Set(a).size).toBe(1);
    expect(throttleNetwork("2001:db8:aa:2::1")).not.toBe(a[0]);
  });
});
