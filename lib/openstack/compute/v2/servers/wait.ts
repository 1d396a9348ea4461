import { isStatus } from "../../../core/errors";
import type { Server, ServerFault } from "./types";

/** One observed change of a server while waiting. */
export interface ServerTransition {
  status: string;
  taskState: string | null;
  elapsedMs: number;
}

export interface WaitForServerOptions {
  /** Default 10 minutes. */
  timeoutMs?: number;
  /** Default 2 s. */
  intervalMs?: number;
  /** Called whenever status or task state changes (including the first observation). */
  onChange?: (transition: ServerTransition, server: Server | null) => void;
  signal?: AbortSignal;
}

export interface WaitForServerResult {
  /** reached: a wanted status (DELETED counts when the server is gone); error: ERROR not wanted. */
  outcome: "reached" | "error" | "timeout";
  /** Last observation; null once the server is gone. */
  server: Server | null;
  fault: ServerFault | null;
  transitions: ServerTransition[];
}

/** Anything with `compute.servers.get`, so the helper works with the client or a stub. */
export interface ServerReader {
  compute: { servers: { get(id: string): Promise<Server> } };
}

/**
 * Polls a server until it reaches one of the statuses (or ERROR), reporting each status /
 * task-state transition; returns Nova's fault when the server ends in ERROR.
 * GET /v2.1/servers/{id} every intervalMs
 */
export async function waitForServerStatus(
  client: ServerReader,
  id: string,
  statuses: readonly string[],
  opts: WaitForServerOptions = {},
): Promise<WaitForServerResult> {
  const timeoutMs = opts.timeoutMs ?? 600_000;
  const intervalMs = opts.intervalMs ?? 2_000;
  const wanted = new Set(statuses.map((s) => s.toUpperCase()));
  const started = Date.now();
  const transitions: ServerTransition[] = [];
  let server: Server | null = null;

  const observe = (status: string, taskState: string | null) => {
    const last = transitions.at(-1);
    if (last && last.status === status && last.taskState === taskState) return;
    const t = { status, taskState, elapsedMs: Date.now() - started };
    transitions.push(t);
    opts.onChange?.(t, server);
  };

  for (;;) {
    opts.signal?.throwIfAborted();
    try {
      server = await client.compute.servers.get(id);
    } catch (err) {
      if (!(isStatus(err, 404) && wanted.has("DELETED"))) throw err;
      server = null;
      observe("DELETED", null);
      return { outcome: "reached", server: null, fault: null, transitions };
    }
    observe(server.status, server.taskState);
    if (wanted.has(server.status)) return { outcome: "reached", server, fault: server.fault, transitions };
    if (server.status === "ERROR") return { outcome: "error", server, fault: server.fault, transitions };
    if (Date.now() - started + intervalMs > timeoutMs) {
      return { outcome: "timeout", server, fault: null, transitions };
    }
    await sleep(intervalMs, opts.signal);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
