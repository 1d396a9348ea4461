import net from "node:net";
import { describe, expect, it } from "vitest";
import { checkDns, checkSsh, probeSsh } from "./checks";

describe("checkDns", () => {
  it("skips a hostname that is the address", async () => {
    expect((await checkDns("203.0.113.5", "203.0.113.5")).status).toBe("skip");
  });
  it("passes when the name resolves to the floating IP, warns otherwise", async () => {
    expect(await checkDns("vm5.example.org", "1.2.3.5", { lookup: async () => ["1.2.3.5"] })).toMatchObject({ status: "pass" });
    expect(await checkDns("vm5.example.org", "1.2.3.5", { lookup: async () => ["9.9.9.9"] })).toMatchObject({
      status: "warn",
      message: expect.stringContaining("resolves to 9.9.9.9, not to the floating IP 1.2.3.5"),
    });
    const missing = Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" });
    expect(await checkDns("vm5.example.org", "1.2.3.5", { lookup: async () => Promise.reject(missing) })).toMatchObject({
      status: "warn",
      message: expect.stringContaining("does not resolve"),
    });
    expect(await checkDns("vm5.example.org", "1.2.3.5", { timeoutMs: 20, lookup: () => new Promise(() => {}) })).toMatchObject({
      status: "warn",
      message: expect.stringContaining("No DNS answer"),
    });
  });
});

describe("TCP 22", () => {
  async function listen(onConnection: (s: net.Socket) => void) {
    const server = net.createServer(onConnection).listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    return { server, port: (server.address() as net.AddressInfo).port };
  }

  it("passes on an SSH greeting, and tells a silent listener and a refused port apart", async () => {
    const ssh = await listen((s) => s.write("SSH-2.0-OpenSSH_9.6\r\n"));
    const silent = await listen(() => {});
    const http = await listen((s) => s.end("HTTP/1.1 400 Bad Request\r\n\r\n"));
    try {
      expect(await probeSsh("127.0.0.1", ssh.port, 1000)).toMatchObject({ ok: true, banner: "SSH-2.0-OpenSSH_9.6" });
      expect(await probeSsh("127.0.0.1", silent.port, 300)).toMatchObject({ ok: false, kind: "no-banner" });
      expect(await probeSsh("127.0.0.1", http.port, 1000)).toMatchObject({ ok: false, kind: "no-banner", message: expect.stringContaining("not SSH") });
    } finally {
      for (const x of [ssh, silent, http]) x.server.close();
    }
    expect(await probeSsh("127.0.0.1", ssh.port, 1000)).toMatchObject({ ok: false, kind: "refused" });
  });

  it("keeps trying until the wait is over, and calls a silent network unreachable", async () => {
    let calls = 0;
    const r = await checkSsh("203.0.113.9", {
      waitMs: 50,
      probe: async () => {
        calls++;
        return { ok: false, kind: "timeout", message: "no answer within 0.5 s" };
      },
    });
    expect(r.status).toBe("warn");
    expect(r.message).toMatch(/^Unreachable from the console/);
    expect(calls).toBeGreaterThanOrEqual(1);
    const unreachable = await checkSsh("203.0.113.9", { waitMs: 10_000, probe: async () => ({ ok: false, kind: "unreachable", message: "ENETUNREACH" }) });
    expect(unreachable.message).toMatch(/ENETUNREACH/);
    const ok = await checkSsh("203.0.113.9", { waitMs: 1000, probe: async () => ({ ok: true, ms: 12, banner: "SSH-2.0-x" }) });
    expect(ok).toMatchObject({ status: "pass" });
  });
});
