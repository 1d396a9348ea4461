import crypto from "node:crypto";
import net from "node:net";
import { env as readEnv } from "@/lib/env";

const proxiesEnv = () => ({ CLOUDPORT_TRUSTED_PROXIES: readEnv().CLOUDPORT_TRUSTED_PROXIES });

// Who is the client? The TCP peer, unless CLOUDPORT_TRUSTED_PROXIES says which proxies in front
// of Cloudport may speak for it through X-Forwarded-For. Nothing else a client sends is trusted:
// not the left-most X-Forwarded-For entry, not X-Real-IP.
//
// Next route handlers and server actions do not expose the socket, and `next start` copies the
// peer into X-Forwarded-For only when the client sent none (so a client-sent header would win).
// `installPeerCapture()` (called from instrumentation.ts) therefore stamps every incoming request
// with its socket address under PEER_HEADER, tagged with a per-process random key that no client
// can know; `peerFrom()` accepts the header only with that key.

export const PEER_HEADER = "x-cloudport-peer";
const KEY_SLOT = Symbol.for("cloudport.peerKey");
type Slot = { [KEY_SLOT]?: string };

/** "none" trusts no proxy; a number trusts that many hops; a list trusts those addresses/CIDRs. */
export type TrustedProxies = { kind: "none" } | { kind: "hops"; hops: number } | { kind: "list"; list: net.BlockList; text: string };

/** Parses CLOUDPORT_TRUSTED_PROXIES: empty → none, "2" → two hops, "10.0.0.0/8, ::1" → those. */
export function parseTrustedProxies(raw: string | undefined): TrustedProxies {
  const text = (raw ?? "").trim();
  if (!text || text === "0" || text.toLowerCase() === "none") return { kind: "none" };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > 20) throw new Error(`CLOUDPORT_TRUSTED_PROXIES=${text}: use a hop count of at most 20, or addresses/CIDRs.`);
    return { kind: "hops", hops };
  }
  const list = new net.BlockList();
  for (const part of text.split(/[\s,]+/).filter(Boolean)) {
    const [addr, prefix] = part.split("/");
    const family = net.isIP(addr);
    if (!family) throw new Error(`CLOUDPORT_TRUSTED_PROXIES: "${part}" is not an IP address or CIDR (e.g. 10.0.0.0/8, ::1).`);
    const type = family === 4 ? "ipv4" : "ipv6";
    if (prefix === undefined) list.addAddress(addr, type);
    else {
      const bits = Number(prefix);
      if (!/^\d+$/.test(prefix) || bits > (family === 4 ? 32 : 128)) {
        throw new Error(`CLOUDPORT_TRUSTED_PROXIES: "${part}" has a bad prefix length.`);
      }
      list.addSubnet(addr, bits, type);
    }
  }
  return { kind: "list", list, text };
}

/** One address as written in a header: strips "[…]", a port and the IPv4-mapped IPv6 prefix; null when not an IP. */
export function normalizeIp(raw: string | undefined | null): string | null {
  let s = (raw ?? "").trim();
  if (!s) return null;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  if (bracketed) s = bracketed[1];
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(s)) s = s.slice(0, s.lastIndexOf(":"));
  s = s.replace(/%.*$/, "");
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/i.exec(s);
  if (mapped) s = mapped[1];
  return net.isIP(s) ? s.toLowerCase() : null;
}

/** The eight 16-bit groups of an IPv6 address (with "::" and an embedded IPv4 tail expanded), or null. */
function ipv6Groups(ip: string): number[] | null {
  if (net.isIP(ip) !== 6) return null;
  let s = ip.replace(/%.*$/, "");
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number);
    s = `${s.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = s.split("::");
  const h = head ? head.split(":") : [];
  const t = tail === undefined ? null : tail ? tail.split(":") : [];
  const groups = t === null ? h : [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
  return groups.length === 8 ? groups.map((g) => parseInt(g, 16)) : null;
}

/**
 * The network a client address is throttled by: an IPv4 address itself, an IPv6 address's /64
 * (one subscriber, one LAN: anyone holding a /64 has 2^64 addresses to rotate through), written
 * "2001:db8:1:2::/64". Anything else (e.g. "unknown") is returned as it is.
 */
export function throttleNetwork(ip: string): string {
  const groups = ipv6Groups(ip);
  if (!groups) return ip;
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(":")}::/64`;
}

function isTrusted(list: net.BlockList, ip: string): boolean {
  return list.check(ip, net.isIP(ip) === 4 ? "ipv4" : "ipv6");
}

/**
 * The client address: walks the chain X-Forwarded-For entries + peer from the right, skipping
 * the proxies we trust; the first hop not trusted is the client. With no trusted proxies the
 * peer is the client whatever the headers say. `peer` null (not captured) gives "unknown".
 */
export function resolveClientIp(forwardedFor: string | null, peer: string | null, trusted: TrustedProxies): string {
  const peerIp = normalizeIp(peer);
  if (!peerIp) return "unknown";
  if (trusted.kind === "none") return peerIp;
  const entries = (forwardedFor ?? "").split(",").map((e) => e.trim()).filter(Boolean);
  const chain = [...entries.map(normalizeIp), peerIp];
  if (trusted.kind === "hops") {
    // The last `hops` entries are our proxies; the one before them is what the outermost saw.
    // Fewer entries than hops: the request skipped a proxy, so take the left-most we have.
    for (let i = chain.length - 1 - trusted.hops; i < chain.length; i++) {
      if (i < 0) continue;
      if (chain[i]) return chain[i]!;
    }
    return peerIp;
  }
  for (let i = chain.length - 1; i >= 0; i--) {
    const ip = chain[i];
    // Garbage written by a trusted proxy: the last good hop is all we know.
    if (!ip) return chain[i + 1]!;
    if (i === 0 || !isTrusted(trusted.list, ip)) return ip;
  }
  return peerIp;
}

let cachedTrusted: { raw: string | undefined; value: TrustedProxies } | undefined;
/** CLOUDPORT_TRUSTED_PROXIES, parsed once per value. */
export function trustedProxies(source: Record<string, string | undefined> = proxiesEnv()): TrustedProxies {
  const env = source;
  const raw = env.CLOUDPORT_TRUSTED_PROXIES;
  if (!cachedTrusted || cachedTrusted.raw !== raw) cachedTrusted = { raw, value: parseTrustedProxies(raw) };
  return cachedTrusted.value;
}

/** The captured peer address in `headerValue`, if it carries this process's key. */
export function peerFrom(headerValue: string | null): string | null {
  const key = (globalThis as Slot)[KEY_SLOT];
  if (!key || !headerValue) return null;
  const space = headerValue.indexOf(" ");
  if (space < 0) return null;
  const given = Buffer.from(headerValue.slice(0, space));
  const expected = Buffer.from(key);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
  return headerValue.slice(space + 1);
}

/** Stamps `req.headers` with the socket peer (overwriting whatever a client sent under that name). */
export function stampPeer(req: { headers: Record<string, string | string[] | undefined>; socket?: { remoteAddress?: string } | null }) {
  const key = ((globalThis as Slot)[KEY_SLOT] ??= crypto.randomBytes(18).toString("base64url"));
  const addr = req.socket?.remoteAddress;
  if (addr) req.headers[PEER_HEADER] = `${key} ${addr}`;
  else delete req.headers[PEER_HEADER];
}

/**
 * Patches http(s).Server so every "request" event first stamps the socket peer on the request
 * headers (see the top of this file). Idempotent; call once at server start.
 */
export async function installPeerCapture(): Promise<void> {
  const g = globalThis as Slot & { __cloudportPeerPatched?: boolean };
  if (g.__cloudportPeerPatched) return;
  g.__cloudportPeerPatched = true;
  g[KEY_SLOT] ??= crypto.randomBytes(18).toString("base64url");
  const http = await import("node:http");
  const https = await import("node:https");
  for (const Server of [http.Server, https.Server]) {
    const proto = Server.prototype as unknown as { emit: (event: string | symbol, ...args: unknown[]) => boolean };
    const original = proto.emit;
    proto.emit = function (this: unknown, event: string | symbol, ...args: unknown[]) {
      if (event === "request" && args[0] && typeof args[0] === "object") stampPeer(args[0] as Parameters<typeof stampPeer>[0]);
      return original.call(this, event, ...args);
    };
  }
}
