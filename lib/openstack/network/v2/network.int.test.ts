import { describe, expect, it } from "vitest";

import { cleanup, testName } from "../../testing/env";
import { useLabClient } from "../../testing/lab-client";

const lab = useLabClient();

describe("Neutron against the lab", () => {
  it("lists external networks and the public subnet's allocation pool", async () => {
    const external = await lab.os.network.networks.list({ routerExternal: true });
    const pub = external.find((n) => n.name === "public");
    expect(pub?.routerExternal).toBe(true);
    const [subnet] = await lab.os.network.subnets.list({ networkId: pub!.id });
    expect(subnet.allocationPools.length).toBeGreaterThan(0);
    expect(subnet.allocationPools[0].start).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const paged = await lab.os.network.networks.list({ limit: 1 });
    expect(paged.length).toBeGreaterThanOrEqual(2);
  });

  it("builds network, subnet, router with gateway and interface, floating IP, security rule; then tears down", async () => {
    const name = testName("net");
    const pub = await lab.os.network.networks.findByName("public");
    expect(pub).not.toBeNull();

    const net = await lab.os.network.networks.create({ name });
    lab.undo.push(() => lab.os.network.networks.delete(net.id));
    const subnet = await lab.os.network.subnets.create({
      networkId: net.id,
      name: `${name}-subnet`,
      cidr: "172.31.250.0/24",
      dnsNameservers: ["9.9.9.9"],
      allocationPools: [{ start: "172.31.250.10", end: "172.31.250.99" }],
    });
    lab.undo.push(() => lab.os.network.subnets.delete(subnet.id));
    expect(subnet).toMatchObject({ cidr: "172.31.250.0/24", gatewayIp: "172.31.250.1", dnsNameservers: ["9.9.9.9"] });
    expect(subnet.allocationPools).toEqual([{ start: "172.31.250.10", end: "172.31.250.99" }]);

    const router = await lab.os.network.routers.create({ name: `${name}-router` });
    lab.undo.push(() => lab.os.network.routers.delete(router.id));
    expect(router.externalGateway).toBeNull();
    const withGateway = await lab.os.network.routers.setGateway(router.id, { networkId: pub!.id });
    expect(withGateway.externalGateway?.networkId).toBe(pub!.id);
    const iface = await lab.os.network.routers.addInterface(router.id, { subnetId: subnet.id });
    lab.undo.push(() => lab.os.network.routers.removeInterface(router.id, { subnetId: subnet.id }));
    expect(iface.subnetIds).toEqual([subnet.id]);
    const routerPorts = await lab.os.network.ports.list({ deviceId: router.id });
    expect(routerPorts.map((p) => p.deviceOwner)).toContain("network:router_interface");

    const port = await lab.os.network.ports.create({ networkId: net.id, name: `${name}-port` });
    lab.undo.push(() => lab.os.network.ports.delete(port.id));
    const fip = await lab.os.network.floatingIps.create({ floatingNetworkId: pub!.id });
    lab.undo.push(() => lab.os.network.floatingIps.release(fip.id));
    expect(fip.floatingIpAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const associated = await lab.os.network.floatingIps.associate(fip.id, port.id);
    expect(associated).toMatchObject({ portId: port.id, fixedIpAddress: port.fixedIps[0].ipAddress });
    expect((await lab.os.network.floatingIps.list({ portId: port.id })).map((f) => f.id)).toEqual([fip.id]);
    expect((await lab.os.network.floatingIps.disassociate(fip.id)).portId).toBeNull();
    await lab.os.network.floatingIps.release(fip.id);

    const group = await lab.os.network.securityGroups.create({ name: `${name}-sg` });
    lab.undo.push(() => lab.os.network.securityGroups.delete(group.id));
    const rule = await lab.os.network.securityGroupRules.create({
      securityGroupId: group.id,
      direction: "ingress",
      protocol: "tcp",
      portRangeMin: 22,
      portRangeMax: 22,
      remoteIpPrefix: "0.0.0.0/0",
    });
    expect(rule).toMatchObject({ protocol: "tcp", portRangeMin: 22, portRangeMax: 22 });
    const rules = (await lab.os.network.securityGroups.get(group.id)).rules;
    expect(rules.map((r) => r.id)).toContain(rule.id);
    await lab.os.network.securityGroupRules.delete(rule.id);

    await cleanup(lab.undo.splice(0).reverse());
    await expect(lab.os.network.networks.get(net.id)).rejects.toMatchObject({ status: 404, service: "Neutron" });
  });
});
