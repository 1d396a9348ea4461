import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

import { SEED_TIERS, effectiveQuota, type QuotaValues } from "@/lib/domain/quotas";
import { createClient } from "@/lib/openstack/client";
import { labEnv, labOptions, testName } from "@/lib/openstack/testing/env";
import { useLabClient } from "@/lib/openstack/testing/lab-client";
import { waitForServerStatus } from "@/lib/openstack/compute/v2/servers/wait";
import { readProjectQuota } from "./cloud";
import { applyProjectQuota, QuotaBelowUsageError } from "./service";

const lab = useLabClient();
const run = promisify(execFile);

/** `openstack quota show <project>` as the CLI sees it (its names differ from the APIs'). */
async function cliQuota(projectId: string): Promise<Record<string, unknown>> {
  const env = { ...process.env, ...labEnv() } as NodeJS.ProcessEnv;
  const { stdout } = await run("openstack", ["quota", "show", "-f", "json", projectId], { env, timeout: 120_000 });
  return JSON.parse(stdout);
}

const CLI_NAMES: Record<keyof QuotaValues, string> = {
  instances: "instances",
  cores: "cores",
  ram: "ram",
  volumes: "volumes",
  gigabytes: "gigabytes",
  snapshots: "snapshots",
  floatingip: "floating-ips",
  network: "networks",
  subnet: "subnets",
  port: "ports",
  router: "routers",
  security_group: "secgroups",
  security_group_rule: "secgroup-rules",
};

describe("quota tiers against the lab", () => {
  it("sets a tier through Nova, Cinder and Neutron, reads it back (as the CLI does), and refuses a value below usage", async () => {
    const os = lab.os;
    const project = await os.identity.projects.create({ name: testName("quotas") , description: "cptest-quotas" });
    lab.undo.push(() => os.identity.projects.delete(project.id));

    // The small tier with rules below the floor: the cloud must get 100.
    const small = { ...SEED_TIERS[0].values, security_group_rule: 20 };
    const applied = await applyProjectQuota(os, project.id, small);
    const want = effectiveQuota(small);
    expect(want.security_group_rule).toBe(100);
    expect(applied.skipped).toEqual([]);
    expect(applied.after).toEqual(want);
    expect(applied.changed.length).toBeGreaterThan(0);

    // Each API on its own says the same.
    expect(await os.compute.quotaSets.get(project.id)).toMatchObject({ instances: want.instances, cores: want.cores, ramMb: want.ram });
    expect(await os.blockStorage.quotaSets.get(project.id)).toMatchObject({ volumes: want.volumes, gigabytes: want.gigabytes, snapshots: want.snapshots });
    expect(await os.network.quotas.get(project.id)).toMatchObject({
      floatingip: want.floatingip,
      network: want.network,
      subnet: want.subnet,
      port: want.port,
      router: want.router,
      securityGroup: want.security_group,
      securityGroupRule: 100,
    });
    const cli = await cliQuota(project.id);
    for (const [key, name] of Object.entries(CLI_NAMES)) expect([key, cli[name]]).toEqual([key, want[key as keyof QuotaValues]]);

    // Applying the same values again writes nothing.
    expect((await applyProjectQuota(os, project.id, small)).changed).toEqual([]);

    // A tiny server in the project uses 1 core (m1.nano): cores 0 is refused with the numbers.
    const adminRole = await os.identity.roles.findByName("admin");
    await os.identity.roleAssignments.grantOnProject({ projectId: project.id, userId: os.token.user.id, roleId: adminRole!.id });
    const net = await os.network.networks.create({ name: `${project.name}-net`, projectId: project.id });
    lab.undo.push(() => os.network.networks.delete(net.id));
    await os.network.subnets.create({ networkId: net.id, name: `${project.name}-subnet`, cidr: "10.249.7.0/24", ipVersion: 4, projectId: project.id });
    const base = labOptions();
    const scoped = await createClient({ ...base, auth: { ...base.auth, projectName: undefined, projectId: project.id } as typeof base.auth });
    try {
      const [flavor, image] = await Promise.all([os.compute.flavors.findByName("m1.nano"), os.image.images.findByName("cirros-0.6-fake")]);
      const { id } = await scoped.compute.servers.create({ name: `${project.name}-vm`, flavorId: flavor!.id, imageId: image!.id, networks: [{ networkId: net.id }] });
      lab.undo.push(async () => {
        await os.compute.servers.delete(id);
        await waitForServerStatus(os, id, ["DELETED"], { intervalMs: 500, timeoutMs: 120_000 }).catch(() => undefined);
        for (let i = 0; i < 60 && (await os.network.ports.list({ networkId: net.id })).some((p) => p.deviceOwner?.startsWith("compute:")); i++) {
          await new Promise((r) => setTimeout(r, 1000));
        }
      });
      const booted = await waitForServerStatus(os, id, ["ACTIVE"], { intervalMs: 500, timeoutMs: 120_000 });
      expect(booted.outcome).toBe("reached");

      const usage = (await readProjectQuota(os, project.id)).usage;
      expect(usage.cores).toBe(flavor!.vcpus);
      expect(usage.instances).toBe(1);
      const err = await applyProjectQuota(os, project.id, { ...small, cores: 0 }).catch((e) => e);
      expect(err).toBeInstanceOf(QuotaBelowUsageError);
      expect(err.message).toContain(`cores: ${flavor!.vcpus} in use, 0 requested`);
      // Nothing was written.
      expect((await os.compute.quotaSets.get(project.id)).cores).toBe(want.cores);
    } finally {
      await scoped.close();
    }
  });
});
