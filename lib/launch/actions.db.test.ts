import { eq } from "drizzle-orm";
import { revalidatePath } from "next/cache";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { runAction } from "@/lib/actions/safe-action";
import { identities, jobs, launchTests, machines, providers, providerSecrets, sizes } from "@/lib/db/schema";
import { encryptSecret } from "@/lib/secrets";
import { auditRows, depsAs } from "@/test/actions";
import { makeUser, testDb, truncateAll } from "@/test/db";
import { cancelLaunchTest, cleanupLaunchTest, repeatLaunchTest, startLaunchTest } from "./actions";

vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));

describe("launch test actions", async () => {
  const db = await testDb();
  beforeEach(async () => {
    await truncateAll(db);
    vi.mocked(revalidatePath).mockClear();
  });

  async function seed() {
    const alice = await makeUser(db, { username: "alice" });
    const [p] = await db.insert(providers).values({ name: "lab", authUrl: "http://127.0.0.1:5000/v3", networkName: "public" }).returning();
    await db.insert(providerSecrets).values({ providerId: p.id, credentialSecret: encryptSecret("x"), accountSecret: encryptSecret("y".repeat(40)) });
    const [a] = await db
      .insert(identities)
      .values({ userId: alice.id, providerId: p.id, projectName: "alice", projectId: "pa", networkId: "net-a", state: "active" })
      .returning();
    await db.insert(machines).values({ providerId: p.id, imageId: "img-1", name: "cirros-0.6-fake", visibility: "public" });
    await db.insert(sizes).values({ providerId: p.id, flavorId: "f-1", name: "m1.nano", vcpus: 1, ramMb: 128, diskGb: 1 });
    return { providerId: p.id, identityId: a.id, imageId: "img-1", flavorId: "f-1", networkId: "net-a" };
  }

  it("refuses a user without staff access, and queues nothing", async () => {
    const choices = await seed();
    const r = await runAction(await depsAs(db, { isStaff: false }), startLaunchTest, choices);
    expect(r).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await db.select().from(launchTests)).toHaveLength(0);
    expect(await db.select().from(jobs)).toHaveLength(0);
  });

  it("says what is missing from the form, and that a run is unknown", async () => {
    const choices = await seed();
    const deps = await depsAs(db, { isStaff: true });
    const r = await runAction(deps, startLaunchTest, { ...choices, imageId: "" });
    expect(r).toMatchObject({ ok: false, error: { code: "invalid_input" } });
    expect(!r.ok && r.error.fieldErrors?.imageId?.[0]).toBeTruthy();
    expect(await runAction(deps, cancelLaunchTest, { runId: 4242 })).toMatchObject({
      ok: false,
      error: { code: "not_found", message: "There is no launch test 4242." },
    });
  });

  it("starts, repeats and cancels a run, each audited; a run still queued has nothing to clean up yet", async () => {
    const choices = await seed();
    const deps = await depsAs(db, { isStaff: true });
    const started = await runAction(deps, startLaunchTest, { ...choices, cleanup: "auto" });
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    const [run] = await db.select().from(launchTests).where(eq(launchTests.id, started.data.id));
    expect(run).toMatchObject({ providerId: choices.providerId, state: "queued", jobId: started.data.jobId });
    expect(revalidatePath).toHaveBeenCalledWith(`/providers/${choices.providerId}/launch-test`);

    const repeated = await runAction(deps, repeatLaunchTest, { runId: started.data.id });
    expect(repeated.ok && repeated.data.id).not.toBe(started.data.id);
    expect(await runAction(deps, cleanupLaunchTest, { runId: started.data.id })).toMatchObject({ ok: false, error: { code: "conflict" } });
    expect(await runAction(deps, cancelLaunchTest, { runId: started.data.id })).toEqual({ ok: true, data: { state: "cancelled" } });

    const rows = await auditRows(db);
    expect(rows.map((r) => r.action)).toEqual(["launch_test.start", "launch_test.repeat", "launch_test.cancel"]);
    expect(rows[0]).toMatchObject({
      actorUsername: deps.user!.username,
      targetType: "launch_test",
      targetId: String(started.data.id),
      details: { providerId: choices.providerId, identityId: choices.identityId, imageId: "img-1", jobId: started.data.jobId },
    });
    expect(rows[1].details).toMatchObject({ repeatOf: started.data.id });
  });
});
