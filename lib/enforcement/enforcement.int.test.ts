// Enforcement against the lab: a user over a tiny allocation has their server stopped (and, with
// the fake driver, shelved), the "never" override skips and restores them, cores 0 is set through
// Nova and given back once credit is refreshed. Notices and actions are mailed through a real SMTP
// server on loopback (smtp-server, in this process) and read back from it.
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openMemoryDb } from "@/lib/accounts/testing/memory-db";
import { upsertStrategy } from "@/lib/allocation/queries";
import type { Db } from "@/lib/db/client";
import { enforcementEvents, enforcementStates, identities, instances, instanceStatusHistory, notifications, providers, users } from "@/lib/db/schema";
import { SEED_TIERS } from "@/lib/domain/quotas";
import { smtpMailer } from "@/lib/mail/mailer";
import { createClient, type OpenStackClient } from "@/lib/openstack/client";
import { waitForServerStatus } from "@/lib/openstack/compute/v2/servers/wait";
import { labOptions, testName } from "@/lib/openstack/testing/env";
import { useLabClient } from "@/lib/openstack/testing/lab-client";
import { planProvider } from "./plan";
import { runEnforcement } from "./run";
import { savePolicy, setOverride } from "./store";

const lab = useLabClient();
const HOUR = 3_600_000;

type Received = { from: string; to: string[]; subject: string; body: string };
const inbox: Received[] = [];
let smtp: SMTPServer;
let smtpUrl = "";

/** Quoted-printable soft breaks and escapes, enough to read nodemailer's text parts. */
const decodeQp = (s: string) => {
  const soft = s.replace(/=\r?\n/g, "");
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === "=" && /^[0-9A-F]{2}$/.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(soft[i], "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
};

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === "cloudport" && auth.password === "mail-Passw0rd") cb(null, { user: "cloudport" });
      else cb(new Error("Invalid username or password"));
    },
    onData(stream, session, cb) {
      let raw = "";
      stream.on("data", (c: Buffer) => (raw += c.toString("utf8")));
      stream.on("end", () => {
        const [head, ...rest] = raw.split(/\r?\n\r?\n/);
        const subject = /^Subject: (.*(?:\r?\n[ \t].*)*)/m.exec(head)?.[1].replace(/\r?\n[ \t]/g, " ") ?? "";
        inbox.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          subject,
          body: /quoted-printable/i.test(head) ? decodeQp(rest.join("\n\n")) : rest.join("\n\n"),
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  smtpUrl = `smtp://cloudport:mail-Passw0rd@127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

async function wait(os: OpenStackClient, id: string, statuses: string[]) {
  const r = await waitForServerStatus(os, id, statuses, { intervalMs: 500, timeoutMs: 120_000 });
  expect([r.outcome, r.server?.status]).toEqual(["reached", expect.stringMatching(new RegExp(`^(${statuses.join("|")})$`))]);
  return r.server!;
}

describe("enforcement against the lab", () => {
  it("notifies once, stops and shelves the over-allocation user's server, skips 'never', zeroes cores and restores them after a refresh", async () => {
    const os = lab.os;
    const { db, close } = await openMemoryDb();
    let scoped: OpenStackClient | undefined;
    try {
      const name = testName("enforce");
      const project = await os.identity.projects.create({ name, description: "Cloudport enforcement integration test" });
      lab.undo.push(() => os.identity.projects.delete(project.id));
      const adminRole = await os.identity.roles.findByName("admin");
      await os.identity.roleAssignments.grantOnProject({ projectId: project.id, userId: os.token.user.id, roleId: adminRole!.id });
      const net = await os.network.networks.create({ name: `${name}-net`, projectId: project.id });
      lab.undo.push(() => os.network.networks.delete(net.id));
      await os.network.subnets.create({ networkId: net.id, name: `${name}-subnet`, cidr: "10.248.9.0/24", ipVersion: 4, projectId: project.id });
      await os.compute.quotaSets.update(project.id, { cores: 12 });
      const base = labOptions();
      scoped = await createClient({ ...base, auth: { ...base.auth, projectName: undefined, projectId: project.id } as typeof base.auth });
      const [flavor, image] = await Promise.all([os.compute.flavors.findByName("m1.nano"), os.image.images.findByName("cirros-0.6-fake")]);
      const { id: serverId } = await scoped.compute.servers.create({ name: `${name}-vm`, flavorId: flavor!.id, imageId: image!.id, networks: [{ networkId: net.id }] });
      lab.undo.push(async () => {
        await os.compute.servers.delete(serverId);
        await waitForServerStatus(os, serverId, ["DELETED"], { intervalMs: 500, timeoutMs: 120_000 }).catch(() => undefined);
        for (let i = 0; i < 60 && (await os.network.ports.list({ networkId: net.id })).some((p) => p.deviceOwner?.startsWith("compute:")); i++) {
          await new Promise((r) => setTimeout(r, 1000));
        }
      });
      await wait(os, serverId, ["ACTIVE"]);

      // The portal: 10 CPU-hours used against an allocation of 5 (200 %).
      const [provider] = await db.insert(providers).values({ name: testName("provider"), authUrl: base.authUrl }).returning();
      await upsertStrategy(db, provider.id, { countingBehavior: "Count all time", refreshBehaviors: ["No Refresh"], rulesBehaviors: ["Multiply by Size CPU"], threshold: 5 });
      const [user] = await db.insert(users).values({ username: `${name}-user`, email: "owner@example.org", joinedAt: new Date(Date.now() - 48 * HOUR) }).returning();
      const [identity] = await db.insert(identities).values({ userId: user.id, providerId: provider.id, projectName: project.name, projectId: project.id, state: "active" }).returning();
      const [inst] = await db
        .insert(instances)
        .values({ providerId: provider.id, identityId: identity.id, serverId, name: `${name}-vm`, projectId: project.id, status: "ACTIVE" })
        .returning();
      await db.insert(instanceStatusHistory).values({ instanceId: inst.id, status: "active", vcpus: 1, ramMb: 512, diskGb: 1, startDate: new Date(Date.now() - 10 * HOUR) });

      const mailer = smtpMailer(smtpUrl, "Cloudport <cloudport@example.org>");
      const run = () => runEnforcement(db, os, provider.id, { mailer, providerName: provider.name, staffEmails: ["staff@example.org"] });
      const events = async () =>
        (await db.select().from(enforcementEvents).where(eq(enforcementEvents.identityId, identity.id)).orderBy(enforcementEvents.id)).map((e) =>
          e.kind === "notify" ? `notify ${e.threshold}` : e.kind,
        );

      // Off: the dry run says what would happen, nothing happens.
      await savePolicy(db, provider.id, { thresholds: [80, 100], action: "stop", graceHours: 0, enabled: false }, null);
      let plan = await planProvider(db, provider.id, { client: os });
      expect(plan.rows.map((r) => [r.username, Math.round(r.percent), r.action, r.reason])).toEqual([[user.username, 200, "none", "enforcement is not enabled for this provider"]]);

      // On: the notice (once, the highest threshold) and the stop, both mailed; the server is SHUTOFF.
      await savePolicy(db, provider.id, { thresholds: [80, 100], action: "stop", graceHours: 0, enabled: true }, null);
      plan = await planProvider(db, provider.id, { client: os });
      expect(plan.rows[0]).toMatchObject({ action: "stop", serversAffected: [{ id: serverId, name: `${name}-vm`, status: "ACTIVE" }] });
      let summary = await run();
      expect(summary).toMatchObject({ notified: 1, enforced: 1, restored: 0, failed: 0, mailed: 2, mailErrors: 0 });
      await wait(os, serverId, ["SHUTOFF"]);
      expect(await events()).toEqual(["notify 80", "notify 100", "stop"]);
      expect(inbox.map((m) => [m.to, m.subject])).toEqual([
        [["owner@example.org"], `[Cloudport] ${user.username}: 100 % of the allocation on ${provider.name}`],
        [["owner@example.org", "staff@example.org"], `[Cloudport] ${user.username}: allocation used up on ${provider.name}`],
      ]);
      expect(inbox[0].from).toBe("cloudport@example.org");
      expect(inbox[1].body).toContain(`1 server stopped (${name}-vm)`);
      expect(inbox[1].body).toContain("openstack server start");
      expect((await db.select().from(notifications).where(eq(notifications.userId, user.id))).map((n) => n.kind)).toEqual(["enforcement.notice", "enforcement.stop"]);

      // Again: nothing new (idempotent), no mail.
      summary = await run();
      expect(summary).toMatchObject({ notified: 0, enforced: 0, restored: 0, failed: 0, mailed: 0 });
      expect(await events()).toEqual(["notify 80", "notify 100", "stop"]);
      expect(inbox).toHaveLength(2);

      // "Never": the account is exempted, the restore says so, and the server is not restarted.
      const [staff] = await db.insert(users).values({ username: `${name}-staff`, isStaff: true }).returning();
      await setOverride(db, identity.id, "never", staff.id, "PI's grant arrives next week");
      summary = await run();
      expect(summary).toMatchObject({ enforced: 0, restored: 1, failed: 0 });
      expect(await events()).toEqual(["notify 80", "notify 100", "stop", "restore"]);
      expect((await os.compute.servers.get(serverId)).status).toBe("SHUTOFF");
      expect(inbox.at(-1)!.body).toContain("is no longer enforced");
      expect(inbox.at(-1)!.body).toContain("were not restarted");
      expect(await db.select().from(enforcementStates).where(eq(enforcementStates.identityId, identity.id))).toEqual([]);

      // Cores 0 through Nova (below usage, forced).
      await setOverride(db, identity.id, "default", staff.id);
      await os.compute.servers.start(serverId);
      await wait(os, serverId, ["ACTIVE"]);
      await savePolicy(db, provider.id, { thresholds: [80, 100], action: "zero_cores", graceHours: 0, enabled: true }, null);
      summary = await run();
      expect(summary).toMatchObject({ notified: 0, enforced: 1, failed: 0 });
      expect((await os.compute.quotaSets.get(project.id)).cores).toBe(0);
      expect((await os.compute.servers.get(serverId)).status).toBe("ACTIVE");
      const [state] = await db.select().from(enforcementStates).where(eq(enforcementStates.identityId, identity.id));
      expect(state).toMatchObject({ action: "zero_cores", coresBefore: 12 });
      expect(inbox.at(-1)!.body).toContain("cores quota 12 → 0");
      // A run that repeats it changes nothing and keeps 12 as the value to restore.
      expect(await run()).toMatchObject({ enforced: 0, failed: 0 });
      expect((await db.select().from(enforcementStates).where(eq(enforcementStates.identityId, identity.id)))[0].coresBefore).toBe(12);

      // Credit refreshed (the user's own allocation raised): cores come back — to what Cloudport
      // manages for the account (the provider's default tier), not to whatever was there before.
      const tierCores = SEED_TIERS.find((t) => t.isDefault)!.values.cores;
      await db.update(identities).set({ allocationOverride: 1000 }).where(eq(identities.id, identity.id));
      summary = await run();
      expect(summary).toMatchObject({ restored: 1, failed: 0 });
      expect((await os.compute.quotaSets.get(project.id)).cores).toBe(tierCores);
      expect(inbox.at(-1)!.subject).toBe(`[Cloudport] ${user.username}: allocation restored on ${provider.name}`);
      expect(inbox.at(-1)!.body).toContain(`cores quota 0 → ${tierCores}`);

      // Shelve with the fake driver: over again, the server goes to SHELVED(_OFFLOADED).
      await db.update(identities).set({ allocationOverride: null }).where(eq(identities.id, identity.id));
      await savePolicy(db, provider.id, { thresholds: [80, 100], action: "shelve", graceHours: 0, enabled: true }, null);
      summary = await run();
      expect(summary).toMatchObject({ enforced: 1, failed: 0 });
      await wait(os, serverId, ["SHELVED", "SHELVED_OFFLOADED"]);
      expect(await events()).toEqual(["notify 80", "notify 100", "stop", "restore", "zero_cores", "restore", "shelve"]);
      const [shelved] = await db
        .select()
        .from(enforcementEvents)
        .where(and(eq(enforcementEvents.identityId, identity.id), eq(enforcementEvents.kind, "shelve")));
      expect(shelved.servers).toEqual([{ id: serverId, name: `${name}-vm` }]);
    } finally {
      await scoped?.close();
      await close();
    }
  }, 300_000);

  it("refuses to plan without an allocation strategy, with what to do", async () => {
    const { db, close } = await openMemoryDb();
    try {
      const [provider] = await (db as Db).insert(providers).values({ name: testName("nostrategy"), authUrl: "http://127.0.0.1:5000/v3" }).returning();
      await expect(planProvider(db, provider.id)).rejects.toThrow(/no allocation strategy.*Create one on the Allocation tab/);
    } finally {
      await close();
    }
  });
});
