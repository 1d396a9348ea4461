import { afterAll, beforeAll } from "vitest";

import { createClient, type ClientOptions, type OpenStackClient } from "../client";
import { cleanup, labOptions } from "./env";

export type LabClient = {
  /** The admin client to the lab, there from the file's `beforeAll` until its `afterAll`. */
  readonly os: OpenStackClient;
  /** Undo steps for what the tests create: run last first after the file's tests, even when some fail. */
  readonly undo: Array<() => Promise<unknown>>;
};

/**
 * The preamble of an integration test file against the lab (or the cloud in OS_*): opens an
 * admin client before the file's tests; after them runs every undo step, then closes the client.
 * Call it at the top of the file: `const lab = useLabClient();`, then `lab.os` and `lab.undo.push(…)`
 * inside tests.
 */
export function useLabClient(overrides: Partial<ClientOptions> = {}): LabClient {
  let client: OpenStackClient | undefined;
  const undo: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    client = await createClient(labOptions(overrides));
  });

  afterAll(async () => {
    try {
      await cleanup(undo.reverse());
    } finally {
      await client?.close();
    }
  });

  return {
    get os() {
      if (!client) throw new Error("useLabClient: the lab client exists only while the file's tests run (after beforeAll).");
      return client;
    },
    undo,
  };
}
