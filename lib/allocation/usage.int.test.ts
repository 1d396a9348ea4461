// The usage engine over instances imported from the lab: a server booted, stopped and started
// with the fake driver in a project of its own, imported after each step, shows up in the
// provider's usage table with CPU-hours for its ACTIVE time only.
import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openMemoryDb } from "@/lib/accounts/testing/memory-db";
import { identities, instances, instanceStatusHistory, providers, users } from "@/lib/db/schema";
import type { AllocationStrategy } from "@/lib/domain/allocation";
import { importInstances } from "@/lib/imports/instances";
import { importSizes } from "@/lib/imports/sizes";
import type { OpenStackClient } from "@/lib/openstack/client";
import { waitForServerStatus } from "@/lib/openstack/compute/v2/servers/wait";
import { cleanup, labOptions, testName } from "@/lib/openstack/testing/env";
import { scratchProject } from "@/lib/openstack/testing/scratch-project";
import { useLabClient } from "@/lib/openstack/testing/lab-client";
import { upsertStrategy } from "./queries";
import { getUsagePage, getUserUsage } from "./service";

const lab = useLabClient();
const noop = async () => {};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The seed's strategy: calendar month, recharged on the 1st, only ACTIVE time, × vCPUs. */
const SEED: AllocationStrategy = {
  countingBehavior: "1 Month - Calendar Window",
  refreshBehaviors: ["First of the Month"],
  rulesBehaviors: ["Ignore non-active status", "Multiply by Size CPU"],
  threshold: 168,
};
const FLAVOR = "m1.medium";
const VCPUS = 2;
/** Seconds of slack on each measured boundary (same host clock; Nova rounds nothing below a second). */
const SLACK_S = 1.5;

describe("usage from instances imported from the lab", () => {
  it("counts CPU-hours for the owner's ACTIVE time and nothing while SHUTOFF", async () => {
    const os = lab.os;
    const { db, close } = await openMemoryDb();
    const undo: Array<() => Promise<unknown>> = [];
    let scoped: OpenStackClient | undefined;
    try {
      // A project of its own, so no other test's servers count for this user.
      const name = testName("usage");
      const made = await scratchProject(os, name, { description: "Cloudport usage integration test", octet: 251 }, undo);
      const { project, network } = made;
      scoped = made.scoped;
      const base = labOptions();
      expect(scoped.token.project?.id).toBe(project.id);

      // The portal side: a provider, the seed's strategy, and a user whose account is that project.
      const [provider] = await db.insert(providers).values({ name: testName("provider"), authUrl: base.authUrl }).returning();
      await upsertStrategy(db, provider.id, SEED);
      const [user] = await db.insert(users).values({ username: testName("owner") }).returning();
      await db.insert(identities).values({ userId: user.id, providerId: provider.id, projectName: project.name, projectId: project.id, state: "active" });
      await importSizes(db, os, provider.id, noop);

      const [flavor, image] = await Promise.all([os.compute.flavors.findByName(FLAVOR), os.image.images.findByName("cirros-0.6-fake")]);
      expect(flavor?.vcpus).toBe(VCPUS);
      const poll = { intervalMs: 300, timeoutMs: 120_000 };
      const tCreate = Date.now();
      const { id } = await scoped.compute.servers.create({ name, flavorId: flavor!.id, imageId: image!.id, networks: [{ networkId: network.id }] });
      undo.push(async () => {
        await os.compute.servers.delete(id);
        await waitForServerStatus(os, id, ["DELETED"], poll);
      });
      expect((await waitForServerStatus(os, id, ["ACTIVE"], poll)).outcome).toBe("reached");
      const tActive = Date.now();

      /** Imports instances (admin, all projects), returning when it started and ended. */
      const timedImport = async () => {
        const start = Date.now();
        const summary = await importInstances(db, os, provider.id, noop);
        return { start, end: Date.now(), summary };
      };

      expect((await timedImport()).summary.names.added).toContain(name);
      await sleep(3000);

      await os.compute.servers.stop(id);
      expect((await waitForServerStatus(os, id, ["SHUTOFF"], poll)).outcome).toBe("reached");
      const stopped = await timedImport();
      await sleep(5000);

      await os.compute.servers.start(id);
      expect((await waitForServerStatus(os, id, ["ACTIVE"], poll)).outcome).toBe("reached");
      const started = await timedImport();
      await sleep(3000);
      const now = new Date();

      // The history the engine reads: ACTIVE, SHUTOFF, ACTIVE (open), owned by the user's account.
      const [row] = await db.select().from(instances).where(eq(instances.serverId, id));
      expect(row.identityId).not.toBeNull();
      const history = await db.select().from(instanceStatusHistory).where(eq(instanceStatusHistory.instanceId, row.id)).orderBy(asc(instanceStatusHistory.id));
      expect(history.map((h) => [h.status, h.vcpus, h.endDate === null])).toEqual([
        ["ACTIVE", VCPUS, false],
        ["SHUTOFF", VCPUS, false],
        ["ACTIVE", VCPUS, true],
      ]);

      // The usage table's own function.
      const page = await getUsagePage(db, provider.id, SEED, { now });
      expect(page.total).toBe(1);
      const [usage] = page.rows;
      expect(usage).toMatchObject({ userId: user.id, live: true });
      const cpuHours = usage.result.usage;
      expect(cpuHours).toBeGreaterThan(0);

      // ACTIVE from launch to the import that saw SHUTOFF, and from the import that saw ACTIVE
      // again until now; bounded by what this test measured around each step.
      const activeMin = (stopped.start - tActive) / 1000 + (now.getTime() - started.end) / 1000 - SLACK_S;
      const activeMax = (stopped.end - tCreate) / 1000 + (now.getTime() - started.start) / 1000 + SLACK_S;
      expect(cpuHours).toBeGreaterThanOrEqual((VCPUS * activeMin) / 3600);
      expect(cpuHours).toBeLessThanOrEqual((VCPUS * activeMax) / 3600);
      // The SHUTOFF span (at least the 5 s slept) counts zero: well below vCPUs × the whole lifetime.
      const total = (now.getTime() - tCreate) / 1000;
      const shutoffMin = (started.start - stopped.end) / 1000;
      expect(shutoffMin).toBeGreaterThanOrEqual(5);
      expect(cpuHours).toBeLessThan((VCPUS * total) / 3600);
      expect(cpuHours).toBeLessThanOrEqual((VCPUS * (total - shutoffMin + SLACK_S)) / 3600);
      // Exactly the ACTIVE segments × vCPUs, as stored.
      const activeSeconds = history
        .filter((h) => h.status === "ACTIVE")
        .reduce((s, h) => s + ((h.endDate ?? now).getTime() - Math.max(h.startDate.getTime(), Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))) / 1000, 0);
      expect(cpuHours).toBeCloseTo((VCPUS * activeSeconds) / 3600, 6);
      expect(usage.result.remaining).toBeCloseTo(usage.result.credits - cpuHours, 6);

      // The user's page (chart and burn rate) agrees with the table.
      const detail = await getUserUsage(db, provider.id, user.id, now);
      expect(detail?.result.usage).toBeCloseTo(cpuHours, 9);
      expect(detail?.strategy).toEqual(SEED);
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
