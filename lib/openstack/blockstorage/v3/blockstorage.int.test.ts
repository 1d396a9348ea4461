import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createClient, type OpenStackClient } from "../../client";
import { cleanup, labOptions, testName } from "../../testing/env";

let os: OpenStackClient;
const undo: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  os = await createClient(labOptions());
});

afterAll(async () => {
  try {
    await cleanup(undo.reverse());
  } finally {
    await os.close();
  }
});

describe("Cinder against the lab", () => {
  it("creates, lists and deletes a 1 GB volume (when the catalog has block storage)", async (ctx) => {
    if (!os.hasService("block-storage")) ctx.skip();
    const name = testName("vol");
    const created = await os.blockStorage.volumes.create({ sizeGb: 1, name, metadata: { purpose: "cloudport-int-test" } });
    undo.push(() => os.blockStorage.volumes.delete(created.id));
    expect(created).toMatchObject({ name, sizeGb: 1 });
    const ready = await os.blockStorage.volumes.waitForStatus(created.id, ["available"], { timeoutMs: 60_000 });
    expect(ready?.metadata).toEqual({ purpose: "cloudport-int-test" });
    expect((await os.blockStorage.volumes.list({ allTenants: true, name })).map((v) => v.id)).toEqual([created.id]);
    await os.blockStorage.volumes.delete(created.id);
    expect(await os.blockStorage.volumes.waitForStatus(created.id, ["deleted"], { timeoutMs: 60_000 })).toBeNull();
  });
});
