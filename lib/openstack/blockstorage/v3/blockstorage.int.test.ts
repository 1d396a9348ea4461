import { describe, expect, it } from "vitest";

import { testName } from "../../testing/env";
import { useLabClient } from "../../testing/lab-client";

const lab = useLabClient();

describe("Cinder against the lab", () => {
  it("creates, lists and deletes a 1 GB volume (when the catalog has block storage)", async (ctx) => {
    if (!lab.os.hasService("block-storage")) ctx.skip();
    const name = testName("vol");
    const created = await lab.os.blockStorage.volumes.create({ sizeGb: 1, name, metadata: { purpose: "cloudport-int-test" } });
    lab.undo.push(() => lab.os.blockStorage.volumes.delete(created.id));
    expect(created).toMatchObject({ name, sizeGb: 1 });
    const ready = await lab.os.blockStorage.volumes.waitForStatus(created.id, ["available"], { timeoutMs: 60_000 });
    expect(ready?.metadata).toEqual({ purpose: "cloudport-int-test" });
    expect((await lab.os.blockStorage.volumes.list({ allTenants: true, name })).map((v) => v.id)).toEqual([created.id]);
    await lab.os.blockStorage.volumes.delete(created.id);
    expect(await lab.os.blockStorage.volumes.waitForStatus(created.id, ["deleted"], { timeoutMs: 60_000 })).toBeNull();
  });
});
