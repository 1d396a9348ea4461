import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { identities, jobs, launchTests, machines, providers, providerSecrets, sizes, accountAppCredentials } from "@/lib/db/schema";
import { getJob } from "@/lib/jobs/queue";
import { encryptSecret } from "@/lib/secrets";
import { makeUser, testDb, truncateAll } from "@/test/db";
import { countLaunchIdentities, countLaunchImages, countLaunchSizes, getLaunchRun, importCounts, listLaunchIdentities, listLaunchImages, listLaunchRuns, listLaunchSizes, listRunStarters, updateLaunchRun } from "./queries";
import { startRunSchema } from "./schemas";
import { cancelLaunchRun, repeatLaunchRun, requestCleanup, startLaunchRun } from "./service";

describe("launch tests in the database", async () => {
  const db = await testDb();
  beforeEach(() => truncateAll(db));

  async function seed() {
    const op = await makeUser(db, { username: "operator", isStaff: true });
    const other = await makeUser(db, { username: "second-op", isStaff: true });
    const alice = await makeUser(db, { username: "alice" });
    const bob = await makeUser(db, { username: "bob" });
    const [p] = await db.insert(providers).values({ name: "lab", authUrl: "http://127.0.0.1:5000/v3", networkName: "public" }).returning();
    await db.insert(providerSecrets).values({ providerId: p.id, credentialSecret: encryptSecret("x"), accountSecret: encryptSecret("y".repeat(40)) });
    const [a] = await db.insert(identities).values({ userId: alice.id, providerId: p.id, projectName: "alice", projectId: "pa", networkId: "net-a", state: "active" }).returning();
    await db.insert(identities).values({ userId: bob.id, providerId: p.id, projectName: "bob", state: "provisioning" });
    await db.insert(machines).values([
      { providerId: p.id, imageId: "img-1", name: "cirros-0.6-fake", visibility: "public" },
      { providerId: p.id, imageId: "img-old", name: "gone", endDate: new Date() },
    ]);
    await db.insert(sizes).values([
      { providerId: p.id, flavorId: "f-2", name: "m1.small", vcpus: 1, ramMb: 2048, diskGb: 20 },
      { providerId: p.id, flavorId: "f-1", name: "m1.nano", vcpus: 1, ramMb: 128, diskGb: 1 },
    ]);
    return { op, other, p, a };
  }

  const input = (providerId: number, identityId: number, over: Record<string, unknown> = {}) =>
    startRunSchema.parse({ providerId, identityId, imageId: "img-1", flavorId: "f-1", networkId: "net-a", ...over });

  it("offers active accounts and live imports only", async () => {
    const { p, a } = await seed();
    expect(await listLaunchIdentities(db, p.id)).toEqual([{ id: a.id, username: "alice", projectName: "alice", projectId: "pa", networkId: "net-a" }]);
    expect((await listLaunchImages(db, p.id)).map((i) => i.imageId)).toEqual(["img-1"]);
    expect((await listLaunchSizes(db, p.id)).map((s) => s.name)).toEqual(["m1.nano", "m1.small"]);
    expect(await importCounts(db, p.id)).toEqual({ images: 1, sizes: 2 });
  });

  it("searches sizes on the server, capped, and lists only those an image's minimums fit on", async () => {
    const { p } = await seed();
    await db.insert(sizes).values([
      ...Array.from({ length: 60 }, (_, i) => ({ providerId: p.id, flavorId: `bulk-${i}`, name: `bulk.${String(i).padStart(2, "0")}`, vcpus: 2, ramMb: 4096, diskGb: 40 })),
      { providerId: p.id, flavorId: "f-bfv", name: "boot.from.volume", vcpus: 1, ramMb: 4096, diskGb: 0 },
      { providerId: p.id, flavorId: "f-old", name: "gone", vcpus: 1, ramMb: 1, diskGb: 1, endDate: new Date() },
    ]);
    expect(await listLaunchSizes(db, p.id, { limit: 50 })).toHaveLength(50);
    expect(await countLaunchSizes(db, p.id)).toBe(63);
    expect((await listLaunchSizes(db, p.id, { q: "BULK.5", limit: 50 })).map((s) => s.flavorId)).toHaveLength(10);
    expect((await listLaunchSizes(db, p.id, { q: "f-2" })).map((s) => s.name)).toEqual(["m1.small"]);
    expect((await listLaunchSizes(db, p.id, { q: "%" })).map((s) => s.name)).toEqual([]);
    // An image needing 3 GB RAM and 30 GB disk: the 40 GB ones and the boot-from-volume one (disk 0).
    const fit = await listLaunchSizes(db, p.id, { minRamMb: 3072, minDiskGb: 30 });
    expect(fit.map((s) => s.flavorId)).toEqual(["f-bfv", ...Array.from({ length: 60 }, (_, i) => `bulk-${i}`).sort((a, b) => a.localeCompare(b, "en", { numeric: true }))].slice(0, fit.length));
    expect(await countLaunchSizes(db, p.id, { minRamMb: 3072, minDiskGb: 30 })).toBe(61);
    expect(await countLaunchSizes(db, p.id, { minRamMb: 1024 })).toBe(62);
  });

  it("searches accounts and images on the server, capped, images limited to what the project can use", async () => {
    const { p } = await seed();
    const many = await Promise.all(Array.from({ length: 60 }, (_, i) => makeUser(db, { username: `zed${String(i).padStart(2, "0")}` })));
    await db.insert(identities).values(many.map((u) => ({ userId: u.id, providerId: p.id, projectName: `proj-${u.username}`, state: "active" as const })));
    await db.insert(machines).values([
      { providerId: p.id, imageId: "img-priv", name: "private-one", visibility: "private", ownerProjectId: "other" },
      // Once shared with pa, then made private: the old member list grants nothing.
      { providerId: p.id, imageId: "img-unshared", name: "was-shared", visibility: "private", ownerProjectId: "other", members: ["pa"] },
      { providerId: p.id, imageId: "img-shared", name: "shared-one", visibility: "shared", members: ["pa"] },
      { providerId: p.id, imageId: "img_50%", name: "odd 50%", visibility: "public" },
    ]);
    expect(await listLaunchIdentities(db, p.id, { limit: 50 })).toHaveLength(50);
    expect(await countLaunchIdentities(db, p.id)).toBe(61);
    expect((await listLaunchIdentities(db, p.id, { q: "ZED5", limit: 50 })).map((i) => i.username)).toEqual(["zed50", "zed51", "zed52", "zed53", "zed54", "zed55", "zed56", "zed57", "zed58", "zed59"]);
    expect((await listLaunchIdentities(db, p.id, { q: "proj-zed01" })).map((i) => i.username)).toEqual(["zed01"]);
    expect(await countLaunchIdentities(db, p.id, "alice")).toBe(1);
    expect((await listLaunchImages(db, p.id, { projectId: "pa" })).map((i) => i.imageId)).toEqual(["img-1", "img_50%", "img-shared"]);
    expect((await listLaunchImages(db, p.id)).map((i) => i.imageId)).toHaveLength(5);
    expect((await listLaunchImages(db, p.id, { q: "50%" })).map((i) => i.imageId)).toEqual(["img_50%"]);
    expect((await listLaunchImages(db, p.id, { q: "img-p" })).map((i) => i.imageId)).toEqual(["img-priv"]);
    expect(await countLaunchImages(db, p.id, { q: "one", projectId: "pa" })).toBe(1);
  });

  it("stores the run with its choices and queues a durable job", async () => {
    const { op, p, a } = await seed();
    const { id, jobId } = await startLaunchRun(db, op.id, input(p.id, a.id, { publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOq me@x", cleanup: "manual" }));
    const run = await getLaunchRun(db, id);
    expect(run).toMatchObject({
      kind: "launch",
      state: "queued",
      providerName: "lab",
      identityUsername: "alice",
      createdByUsername: "operator",
      jobId,
      timeline: [],
      choices: { identityId: a.id, username: "alice", projectName: "alice", imageName: "cirros-0.6-fake", flavorName: "m1.nano", networkName: "alice-net", cleanup: "manual", sshWaitSeconds: 20 },
    });
    expect(await getJob(db, jobId)).toMatchObject({ kind: "launch.test", state: "queued", providerId: p.id, params: { launchTestId: id }, maxAttempts: 2 });
  });

  it("refuses a launch test for a federated provider's account: it needs an application credential from staff", async () => {
    const { op, p, a } = await seed();
    await db
      .update(providers)
      .set({ cloudConfig: { user: { domain: "default", federation: { idp: "egi.eu", protocol: "openid" } } } })
      .where(eq(providers.id, p.id));
    await expect(startLaunchRun(db, op.id, input(p.id, a.id))).rejects.toMatchObject({
      code: "invalid_input",
      fieldErrors: { identityId: [expect.stringMatching(/application credential of the account, supplied by staff/)] },
    });
    // With the account's credential stored (saveAccountAppCredential verified it), the run starts.
    await db.insert(accountAppCredentials).values({ identityId: a.id, credentialId: "ac-1", secret: "sealed", openstackUserId: "u-1", projectId: "p-1" });
    expect((await startLaunchRun(db, op.id, input(p.id, a.id))).id).toBeGreaterThan(0);
  });

  it("refuses an inactive account, and images or sizes that are not (or no longer) imported", async () => {
    const { op, p, a } = await seed();
    const [bob] = await db.select().from(identities).where(eq(identities.projectName, "bob"));
    await expect(startLaunchRun(db, op.id, input(p.id, bob.id))).rejects.toMatchObject({ code: "invalid_input", fieldErrors: { identityId: [expect.stringContaining("not an active account")] } });
    await expect(startLaunchRun(db, op.id, input(p.id, a.id, { imageId: "img-old" }))).rejects.toMatchObject({ fieldErrors: { imageId: [expect.stringContaining("import images again")] } });
    await expect(startLaunchRun(db, op.id, input(p.id, a.id, { flavorId: "nope" }))).rejects.toMatchObject({ fieldErrors: { flavorId: [expect.any(String)] } });
    await expect(startLaunchRun(db, op.id, input(p.id + 100, a.id))).rejects.toMatchObject({ code: "not_found" });
    // An active account of another provider is not an account of this one.
    const [q] = await db.insert(providers).values({ name: "other", authUrl: "http://127.0.0.1:5001/v3" }).returning();
    const carol = await makeUser(db, { username: "carol" });
    const [theirs] = await db.insert(identities).values({ userId: carol.id, providerId: q.id, projectName: "carol", state: "active" }).returning();
    await expect(startLaunchRun(db, op.id, input(p.id, theirs.id))).rejects.toMatchObject({ code: "invalid_input" });
    expect(await db.select().from(launchTests)).toHaveLength(0);
  });

  it("a readiness run keeps no key or user data and always cleans up", async () => {
    const { op, p, a } = await seed();
    const { id, jobId } = await startLaunchRun(db, op.id, input(p.id, a.id, { kind: "readiness", cleanup: "manual", userData: "#!/bin/sh" }));
    const run = await getLaunchRun(db, id);
    expect(run?.kind).toBe("readiness");
    expect(run?.choices).toMatchObject({ cleanup: "auto" });
    expect(run?.choices.userData).toBeUndefined();
    expect((await getJob(db, jobId))?.kind).toBe("launch.readiness");
  });

  it("lists runs newest first with filters on provider, state, kind and who, page by page", async () => {
    const { op, other, p, a } = await seed();
    for (let i = 0; i < 5; i++) await startLaunchRun(db, op.id, input(p.id, a.id));
    const { id: mine } = await startLaunchRun(db, other.id, input(p.id, a.id, { kind: "readiness" }));
    await updateLaunchRun(db, mine, { state: "failed" });
    const all = await listLaunchRuns(db, { pageSize: 4 });
    expect(all.total).toBe(6);
    expect(all.rows).toHaveLength(4);
    expect(all.rows[0].id).toBe(mine);
    expect((await listLaunchRuns(db, { pageSize: 4, page: 2 })).rows).toHaveLength(2);
    expect((await listLaunchRuns(db, { state: "failed" })).rows.map((r) => r.id)).toEqual([mine]);
    expect((await listLaunchRuns(db, { who: "second" })).rows.map((r) => r.id)).toEqual([mine]);
    expect((await listLaunchRuns(db, { who: "second" })).total).toBe(1);
    expect((await listLaunchRuns(db, { kind: "launch" })).total).toBe(5);
    expect((await listLaunchRuns(db, { providerId: p.id + 1 })).total).toBe(0);
    expect(await listRunStarters(db, p.id)).toEqual(["operator", "second-op"]);
  });

  it("repeats a run with the same choices", async () => {
    const { op, p, a } = await seed();
    const { id } = await startLaunchRun(db, op.id, input(p.id, a.id, { userData: "#cloud-config\n", sshWaitSeconds: "5" }));
    await updateLaunchRun(db, id, { state: "passed" });
    const again = await repeatLaunchRun(db, op.id, id);
    expect(again.id).not.toBe(id);
    const [first, second] = [await getLaunchRun(db, id), await getLaunchRun(db, again.id)];
    expect(second?.choices).toEqual(first?.choices);
    expect(second?.state).toBe("queued");
  });

  it("cancels a queued run at once, and cleans up only runs that kept something", async () => {
    const { op, p, a } = await seed();
    const { id, jobId } = await startLaunchRun(db, op.id, input(p.id, a.id));
    await expect(requestCleanup(db, op.id, id)).rejects.toMatchObject({ code: "conflict" });
    expect(await cancelLaunchRun(db, id)).toEqual({ state: "cancelled" });
    expect((await getJob(db, jobId))?.state).toBe("cancelled");
    expect((await getLaunchRun(db, id))?.state).toBe("cancelled");
    await expect(cancelLaunchRun(db, id)).rejects.toMatchObject({ code: "conflict" });
    await expect(requestCleanup(db, op.id, id)).rejects.toMatchObject({ message: expect.stringContaining("nothing left") });

    await updateLaunchRun(db, id, { report: { cleanup: { state: "pending" }, resources: { serverId: "s1" } } });
    const { jobId: cleanupJob } = await requestCleanup(db, op.id, id);
    expect(await getJob(db, cleanupJob)).toMatchObject({ kind: "launch.cleanup", params: { launchTestId: id } });
    expect((await getLaunchRun(db, id))?.report.cleanup?.state).toBe("running");
    // One job per run at a time.
    expect((await db.select().from(jobs).where(eq(jobs.kind, "launch.cleanup"))).length).toBe(1);
  });
});
