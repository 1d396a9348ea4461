import { describe, expect, it } from "vitest";

import { testName } from "../../testing/env";
import { useLabClient } from "../../testing/lab-client";

const lab = useLabClient();

describe("Glance against the lab", () => {
  it("pages of one image add up to the full list", async () => {
    const pages: number[] = [];
    const ids: string[] = [];
    // Public only: the lab's two seeded images, not the benchmark's 2,000 private ones.
    for await (const page of lab.os.image.images.pages({ limit: 1, visibility: "public" })) {
      pages.push(page.length);
      ids.push(...page.map((i) => i.id));
    }
    expect(ids.length).toBeGreaterThanOrEqual(2);
    expect(pages.every((n) => n === 1)).toBe(true);
    const all = await lab.os.image.images.list({ visibility: "public" });
    expect(new Set(ids)).toEqual(new Set(all.map((i) => i.id)));
  });

  it("filters, gets and reads properties of the seeded images", async () => {
    const cirros = await lab.os.image.images.findByName("cirros-0.6-fake");
    expect(cirros).toMatchObject({ status: "active", visibility: "public", diskFormat: "qcow2" });
    expect(cirros?.properties.os_distro).toBe("cirros");
    const active = await lab.os.image.images.list({ status: "active", visibility: "public" });
    expect(active.map((i) => i.name)).toEqual(expect.arrayContaining(["cirros-0.6-fake", "debian-12-fake"]));
    expect((await lab.os.image.images.get(cirros!.id)).id).toBe(cirros!.id);
  });

  it("creates a shared image record, lists its members, deletes it", async () => {
    const name = testName("image");
    const image = await lab.os.image.images.create({
      name,
      diskFormat: "raw",
      containerFormat: "bare",
      visibility: "shared",
      properties: { cloudport_test: "yes" },
    });
    lab.undo.push(() => lab.os.image.images.delete(image.id));
    expect(image).toMatchObject({ name, status: "queued", visibility: "shared" });
    expect(image.properties.cloudport_test).toBe("yes");
    expect(await lab.os.image.members.list(image.id)).toEqual([]);
    expect((await lab.os.image.images.list({ owner: lab.os.token.project!.id, name })).map((i) => i.id)).toEqual([image.id]);
    await lab.os.image.images.delete(image.id);
    await expect(lab.os.image.images.get(image.id)).rejects.toMatchObject({ status: 404, service: "Glance" });
  });
});
