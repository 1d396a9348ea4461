import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";

import type { ClientOptions } from "../client";
import { isStatus } from "../core/errors";
import { optionsFromEnv } from "../env";

/** The openrc the lab's up.sh writes. */
export const LAB_OPENRC = "/var/tmp/openstack-lab/openrc";

/**
 * Reads `export KEY=value` lines (values optionally quoted) from an openrc; anything else
 * (comments, prompts, unset) is ignored. Enough for the lab's file, not a general parser.
 */
export function parseOpenrc(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^\s*export\s+([A-Z0-9_]+)=(.*)$/.exec(line);
    if (!m) continue;
    const raw = m[2].trim();
    env[m[1]] = /^(["']).*\1$/.test(raw) ? raw.slice(1, -1) : raw;
  }
  return env;
}

/** OS_* from the process, or from the lab's openrc when OS_AUTH_URL is not set. */
export function labEnv(): Record<string, string | undefined> {
  if (process.env.OS_AUTH_URL) return process.env;
  if (!existsSync(LAB_OPENRC)) {
    throw new Error(`OS_AUTH_URL is not set and ${LAB_OPENRC} does not exist: start the lab or source an openrc`);
  }
  return parseOpenrc(readFileSync(LAB_OPENRC, "utf8"));
}

/** Client options for the real cloud the integration tests and the benchmark use. */
export function labOptions(overrides: Partial<ClientOptions> = {}): ClientOptions {
  return { ...optionsFromEnv(labEnv()), ...overrides };
}

/** A unique name for things tests create, so leftovers are recognisable (cptest-…). */
export function testName(kind: string): string {
  return `cptest-${randomBytes(3).toString("hex")}-${kind}`;
}

/** Runs every cleanup step even when some fail, then reports the failures together. */
export async function cleanup(steps: Array<() => Promise<unknown>>): Promise<void> {
  const failures: unknown[] = [];
  for (const step of steps) {
    try {
      await step();
    } catch (err) {
      if (!isStatus(err, 404)) failures.push(err);
    }
  }
  if (failures.length) throw new AggregateError(failures, `${failures.length} cleanup step(s) failed`);
}
