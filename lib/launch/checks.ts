import dns from "node:dns";
import net from "node:net";
import type { CheckResult } from "./types";

// Reachability checks run from the console's own host: DNS through the system resolver,
// and a TCP connect to port 22. Neither fails a launch test: the console's network may simply
// not reach the cloud's floating IPs.

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | "timeout"> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}

export type Lookup = (hostname: string) => Promise<string[]>;
const systemLookup: Lookup = async (hostname) => (await dns.promises.lookup(hostname, { all: true, family: 4 })).map((a) => a.address);

/** Whether the hostname resolves, and to the floating IP. */
export async function checkDns(hostname: string, expectedIp: string, opts: { timeoutMs?: number; lookup?: Lookup } = {}): Promise<CheckResult> {
  if (IPV4.test(hostname)) return { status: "skip", message: "The hostname is the IP address itself: nothing to resolve." };
  const timeoutMs = opts.timeoutMs ?? 3000;
  try {
    const result = await withTimeout((opts.lookup ?? systemLookup)(hostname), timeoutMs);
    if (result === "timeout") return { status: "warn", message: `No DNS answer for ${hostname} within ${timeoutMs / 1000} s.` };
    if (result.includes(expectedIp)) return { status: "pass", message: `${hostname} resolves to ${expectedIp}.` };
    return {
      status: "warn",
      message: `${hostname} resolves to ${result.join(", ")}, not to the floating IP ${expectedIp}: fix its A record (the inventory page has the zone snippet).`,
    };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOTFOUND" || code === "ENODATA" || code === "EAI_NONAME") {
      return { status: "warn", message: `${hostname} does not resolve: add an A record for it (the inventory page has the zone snippet for every floating IP).` };
    }
    return { status: "warn", message: `Could not look up ${hostname}: ${(error as Error).message}` };
  }
}

export type ProbeResult =
  | { ok: true; ms: number; banner: string }
  | { ok: false; kind: "refused" | "timeout" | "unreachable" | "no-banner" | "other"; message: string };

/**
 * One attempt: a TCP connect, then the server's identification line. SSH servers speak first
 * ("SSH-2.0-OpenSSH_9.6"), so a connect that is accepted but stays silent is not sshd; a
 * transparent proxy or firewall may be answering in its place.
 */
export function probeSsh(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let connected = false;
    let data = "";
    const done = (r: ProbeResult) => {
      socket.destroy();
      resolve(r);
    };
    socket.setTimeout(timeoutMs, () =>
      done(
        connected
          ? { ok: false, kind: "no-banner", message: `the connection was accepted but nothing identified itself as SSH within ${timeoutMs / 1000} s` }
          : { ok: false, kind: "timeout", message: `no answer within ${timeoutMs / 1000} s` },
      ),
    );
    socket.once("connect", () => {
      connected = true;
    });
    socket.on("data", (chunk: Buffer) => {
      data += chunk.toString("latin1");
      const line = data.split(/\r?\n/)[0];
      if (data.includes("\n") || data.length > 255) {
        if (line.startsWith("SSH-")) done({ ok: true, ms: Date.now() - started, banner: line.slice(0, 100) });
        else done({ ok: false, kind: "no-banner", message: `the connection was accepted but the answer is not SSH (${JSON.stringify(line.slice(0, 40))})` });
      }
    });
    socket.once("end", () => done({ ok: false, kind: connected ? "no-banner" : "other", message: "the connection was closed without an SSH greeting" }));
    socket.once("error", (err: NodeJS.ErrnoException) => {
      const kind = err.code === "ECONNREFUSED" ? "refused" : err.code === "ENETUNREACH" || err.code === "EHOSTUNREACH" ? "unreachable" : "other";
      done({ ok: false, kind, message: err.code ?? err.message });
    });
  });
}

/**
 * Tries TCP 22 on the floating IP until it answers or `waitMs` is up (sshd starts after the
 * server turns ACTIVE). A network that cannot route there is reported at once.
 */
export async function checkSsh(ip: string, opts: { waitMs: number; attemptMs?: number; signal?: AbortSignal; probe?: typeof probeSsh }): Promise<CheckResult> {
  const probe = opts.probe ?? probeSsh;
  const deadline = Date.now() + Math.max(0, opts.waitMs);
  let last: ProbeResult | null = null;
  for (;;) {
    opts.signal?.throwIfAborted();
    const left = deadline - Date.now();
    last = await probe(ip, 22, Math.max(500, Math.min(opts.attemptMs ?? 5000, left)));
    if (last.ok) return { status: "pass", message: `TCP 22 on ${ip} answered: ${last.banner} (after ${last.ms} ms).` };
    if (last.kind === "unreachable" || last.kind === "no-banner" || deadline - Date.now() <= 0) break;
    await new Promise((r) => setTimeout(r, Math.min(2000, Math.max(0, deadline - Date.now()))));
  }
  if (last.kind === "refused") {
    return {
      status: "warn",
      message: `TCP 22 on ${ip} refused the connection for ${Math.round(opts.waitMs / 1000)} s: sshd is not up yet, or a firewall rejects it.`,
    };
  }
  if (last.kind === "no-banner") {
    return {
      status: "warn",
      message: `Unreachable from the console: TCP 22 on ${ip} is not sshd (${last.message}). Something between the console and the cloud answers for the address; check SSH from a host on the floating-IP network.`,
    };
  }
  return {
    status: "warn",
    message: `Unreachable from the console: TCP 22 on ${ip} gave no answer (${last.message}). The console's network may not route to the floating IPs; check from a host that can, and that the project's security group allows TCP 22.`,
  };
}
