// Accounting over instances imported from the lab: a server booted in a project of its own,
// imported, stopped and imported again, shows CPU-hours on the usage page's data for that
// project, and its APEL record carries its UUID, the flavor's vCPUs and its status.
import { asc, eq } from "drizzle-orm";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { openMemoryDb } from "@/lib/accounts/testing/memory-db";
import { identities, instances, instanceStatusHistory, providers, users } from "@/lib/db/schema";
import { APEL_FIELDS, APEL_HEADER, monthRange } from "@/lib/domain/accounting";
import { importInstances } from "@/lib/imports/instances";
import { importSizes } from "@/lib/imports/sizes";
import type { OpenStackClient } from "@/lib/openstack/client";
import { waitForServerStatus } from "@/lib/openstack/compute/v2/servers/wait";
import { cleanup, labOptions } from "@/lib/openstack/testing/env";
import { scratchProject } from "@/lib/openstack/testing/scratch-project";
import { useLabClient } from "@/lib/openstack/testing/lab-client";
import { insertRuleVersion } from "./queries";
import { apelExport, getUsagePage } from "./service";
import { DEFAULT_RULES } from "@/lib/domain/accounting";

const lab = useLabClient();
const noop = async () => {};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const name = (kind: string) => `cptest-accounting-${randomBytes(3).toString("hex")}-${kind}`;
const FLAVOR = "m1.medium";

describe("accounting from instances imported from the lab", () => {
  it("charges a booted then stopped server to its project and writes its APEL record", async () => {
    const os = lab.os;
    const { db, close } = await openMemoryDb();
    const undo: Array<() => Promise<unknown>> = [];
    let scoped: OpenStackClient | undefined;
    try {
      const base = name("vm");
      const made = await scratchProject(os, base, { description: "Cloudport accounting integration test", octet: 252 }, undo);
      const { project, network } = made;
      scoped = made.scoped;
      const opts = labOptions();

      const [provider] = await db.insert(providers).values({ name: name("provider"), authUrl: opts.authUrl }).returning();
      const [user] = await db.insert(users).values({ username: name("owner") }).returning();
      await db.insert(identities).values({
        userId: user.id,
        providerId: provider.id,
        projectName: project.name,
        projectId: project.id,
        openstackUserId: os.token.user.id,
        state: "active",
      });
      await insertRuleVersion(db, provider.id, { ...DEFAULT_RULES, effectiveFrom: new Date("2020-01-01T00:00:00Z"), rates: { CPU: 0.01 }, currency: "EUR" }, null, null);
      await importSizes(db, os, provider.id, noop);

      const [flavor, image] = await Promise.all([os.compute.flavors.findByName(FLAVOR), os.image.images.findByName("cirros-0.6-fake")]);
      expect(flavor).toBeTruthy();
      const poll = { intervalMs: 300, timeoutMs: 120_000 };
      const { id } = await scoped.compute.servers.create({ name: base, flavorId: flavor!.id, imageId: image!.id, networks: [{ networkId: network.id }] });
      undo.push(async () => {
        await os.compute.servers.delete(id);
        await waitForServerStatus(os, id, ["DELETED"], poll);
      });
      expect((await waitForServerStatus(os, id, ["ACTIVE"], poll)).outcome).toBe("reached");
      expect((await importInstances(db, os, provider.id, noop)).names.added).toContain(base);
      await sleep(3000);

      await os.compute.servers.stop(id);
      expect((await waitForServerStatus(os, id, ["SHUTOFF"], poll)).outcome).toBe("reached");
      await importInstances(db, os, provider.id, noop);
      await sleep(2000);
      const now = new Date();

      const [row] = await db.select().from(instances).where(eq(instances.serverId, id));
      const history = await db.select().from(instanceStatusHistory).where(eq(instanceStatusHistory.instanceId, row.id)).orderBy(asc(instanceStatusHistory.id));
      expect(history.map((h) => [h.status, h.vcpus])).toEqual([
        ["ACTIVE", flavor!.vcpus],
        ["SHUTOFF", flavor!.vcpus],
      ]);

      // The usage page's own function, searched by the project.
      const usage = await getUsagePage(db, provider.id, { range: monthRange(now), now, search: project.id });
      expect(usage.total).toBe(1);
      const [mine] = usage.rows;
      expect(mine).toMatchObject({ projectKey: project.id, projectName: project.name, username: user.username });
      expect(mine.cpuHours).toBeGreaterThan(0);
      const seconds = (a: Date, b: Date | null) => ((b ?? now).getTime() - a.getTime()) / 1000;
      const activeS = seconds(history[0].startDate, history[0].endDate);
      const shutoffS = seconds(history[1].startDate, null);
      expect(mine.activeCpuHours).toBeCloseTo((flavor!.vcpus * activeS) / 3600, 6);
      expect(mine.cpuHours).toBeCloseTo((flavor!.vcpus * (activeS + shutoffS)) / 3600, 6);
      // Default weights: ACTIVE 100 %, SHUTOFF 50 %.
      expect(mine.suHours).toBeCloseTo((flavor!.vcpus * (activeS + 0.5 * shutoffS)) / 3600, 6);
      expect(mine.cost).toBeCloseTo(mine.suHours * 0.01, 9);
      expect(mine.ramGbHours).toBeCloseTo(((flavor!.ramMb / 1024) * (activeS + shutoffS)) / 3600, 6);

      // The APEL record of that VM.
      let text = "";
      for await (const chunk of apelExport(db, { providerId: provider.id, range: monthRange(now), now, site: { siteName: "CPTEST-SITE", cloudComputeService: "lab", vo: "cptest.vo" } })) text += chunk;
      expect(text.startsWith(`${APEL_HEADER}\n`)).toBe(true);
      const record = text
        .slice(APEL_HEADER.length + 1)
        .split("%%\n")
        .map((r) => Object.fromEntries(r.trimEnd().split("\n").map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 2)])))
        .find((r) => r.VMUUID === id);
      expect(record).toBeTruthy();
      expect(Object.keys(record!)).toEqual([...APEL_FIELDS]);
      expect(record).toMatchObject({
        VMUUID: id,
        MachineName: base,
        SiteName: "CPTEST-SITE",
        CpuCount: String(flavor!.vcpus),
        Memory: String(flavor!.ramMb),
        Status: "suspended",
        LocalGroupId: project.id,
        LocalUserId: os.token.user.id,
        GlobalUserName: user.username,
        FQAN: "/cptest.vo/Role=NULL/Capability=NULL",
        CloudType: "OpenStack",
        EndTime: "None",
      });
      expect(Number(record!.WallDuration)).toBe(Math.round(activeS));
      expect(Number(record!.CpuDuration)).toBe(Math.round(activeS * flavor!.vcpus));
      expect(Number(record!.SuspendDuration)).toBeGreaterThan(0);
    } finally {
      try {
        await cleanup(undo.reverse());
      } finally {
        await scoped?.close();
        await close();
      }
    }
  });
});
