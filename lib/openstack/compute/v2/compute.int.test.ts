import { describe, expect, it } from "vitest";

import { testName } from "../../testing/env";
import { useLabClient } from "../../testing/lab-client";
import { waitForServerStatus, type ServerTransition } from "./servers/wait";

const lab = useLabClient();

describe("Nova against the lab", () => {
  it("negotiates a microversion and lists flavors (private included), zones and quotas", async () => {
    expect(await lab.os.compute.microversion()).toMatch(/^2\.\d+$/);
    const flavors = await lab.os.compute.flavors.list();
    const nano = flavors.find((f) => f.name === "m1.nano");
    expect(nano).toMatchObject({ vcpus: 1, ramMb: 128, diskGb: 1, isPublic: true });
    expect(nano?.extraSpecs ?? (await lab.os.compute.flavors.extraSpecs(nano!.id))).toEqual({});
    expect((await lab.os.compute.flavors.list({ limit: 2 })).length).toBe(flavors.length);

    const zones = await lab.os.compute.availabilityZones.list();
    expect(zones.map((z) => z.name)).toContain("nova");
    const quota = await lab.os.compute.quotaSets.get(lab.os.token.project!.id);
    expect(quota.instances).toBeGreaterThan(0);
    const detail = await lab.os.compute.quotaSets.getDetail(lab.os.token.project!.id);
    expect(detail.instances.limit).toBe(quota.instances);
  });

  it("updates a project's quotas", async () => {
    const project = await lab.os.identity.projects.create({ name: testName("quota") });
    lab.undo.push(() => lab.os.identity.projects.delete(project.id));
    const updated = await lab.os.compute.quotaSets.update(project.id, { cores: 7, instances: 3, ramMb: -1 });
    expect(updated).toMatchObject({ cores: 7, instances: 3, ramMb: -1 });
    expect(await lab.os.compute.quotaSets.get(project.id)).toMatchObject({ cores: 7, instances: 3, ramMb: -1 });
  });

  it("creates and deletes a key pair", async () => {
    const name = testName("key");
    const created = await lab.os.compute.keypairs.create({ name });
    lab.undo.push(() => lab.os.compute.keypairs.delete(name));
    expect(created.privateKey).toMatch(/PRIVATE KEY/);
    expect((await lab.os.compute.keypairs.list()).map((k) => k.name)).toContain(name);
    await lab.os.compute.keypairs.delete(name);
  });

  it("boots a server to ACTIVE, attaches a volume, stops/starts it, deletes it", async () => {
    const name = testName("server");
    const [flavor, image, net] = await Promise.all([
      lab.os.compute.flavors.findByName("m1.nano"),
      lab.os.image.images.findByName("cirros-0.6-fake"),
      lab.os.network.networks.findByName("selfservice"),
    ]);
    const { id } = await lab.os.compute.servers.create({
      name,
      flavorId: flavor!.id,
      imageId: image!.id,
      networks: [{ networkId: net!.id }],
      metadata: { purpose: "cloudport-int-test" },
    });
    lab.undo.push(() => lab.os.compute.servers.delete(id));

    const transitions: ServerTransition[] = [];
    const booted = await waitForServerStatus(lab.os, id, ["ACTIVE"], {
      intervalMs: 500,
      timeoutMs: 120_000,
      onChange: (t) => transitions.push(t),
    });
    expect(booted.outcome).toBe("reached");
    expect(booted.fault).toBeNull();
    expect(transitions.at(-1)?.status).toBe("ACTIVE");
    expect(booted.server).toMatchObject({
      name,
      status: "ACTIVE",
      imageId: image!.id,
      metadata: { purpose: "cloudport-int-test" },
    });
    expect(booted.server?.flavor?.name ?? booted.server?.flavor?.id).toBeTruthy();
    expect(booted.server?.addresses.find((a) => a.network === "selfservice")?.addr).toMatch(/^192\.0\.2\./);

    const everywhere = await lab.os.compute.servers.list({ allTenants: true });
    expect(everywhere.map((s) => s.id)).toContain(id);
    expect((await lab.os.compute.servers.findByName(name))?.id).toBe(id);

    if (lab.os.hasService("block-storage")) {
      const volume = await lab.os.blockStorage.volumes.create({ sizeGb: 1, name: `${name}-vol` });
      lab.undo.push(() => lab.os.blockStorage.volumes.delete(volume.id));
      await lab.os.blockStorage.volumes.waitForStatus(volume.id, ["available"], { timeoutMs: 60_000 });
      const attachment = await lab.os.compute.volumeAttachments.attach(id, { volumeId: volume.id });
      expect(attachment).toMatchObject({ serverId: id, volumeId: volume.id });
      const inUse = await lab.os.blockStorage.volumes.waitForStatus(volume.id, ["in-use"], { timeoutMs: 60_000 });
      expect(inUse?.attachments[0]?.serverId).toBe(id);
      expect((await lab.os.compute.volumeAttachments.list(id)).map((a) => a.volumeId)).toEqual([volume.id]);
      await lab.os.compute.volumeAttachments.detach(id, volume.id);
      await lab.os.blockStorage.volumes.waitForStatus(volume.id, ["available"], { timeoutMs: 60_000 });
    }

    await lab.os.compute.servers.reboot(id, "SOFT");
    const rebooted = await waitForServerStatus(lab.os, id, ["ACTIVE"], { intervalMs: 500, timeoutMs: 60_000 });
    expect(rebooted.outcome).toBe("reached");

    await lab.os.compute.servers.stop(id);
    const poll = { intervalMs: 500, timeoutMs: 60_000 };
    expect((await waitForServerStatus(lab.os, id, ["SHUTOFF"], poll)).outcome).toBe("reached");
    await lab.os.compute.servers.start(id);
    expect((await waitForServerStatus(lab.os, id, ["ACTIVE"], poll)).outcome).toBe("reached");

    await lab.os.compute.servers.delete(id);
    const gone = await waitForServerStatus(lab.os, id, ["DELETED"], { intervalMs: 500, timeoutMs: 120_000 });
    // Nova may show the server as DELETED for a moment before it answers 404; both mean gone.
    expect(gone.outcome).toBe("reached");
    if (gone.server) expect(gone.server.status).toBe("DELETED");
    await expect
      .poll(() => lab.os.compute.servers.get(id).then((s) => s.status, (e: { status?: number }) => e.status), { timeout: 30_000 })
      .toBe(404);
  });
});
