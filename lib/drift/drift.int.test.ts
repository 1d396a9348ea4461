import { execFile } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { and, eq } from "drizzle-orm";

import { runProvisionBatch, runRemoveBatch } from "@/lib/accounts/batch";
import { insertLabProvider } from "@/lib/accounts/testing/lab-provider";
import { openMemoryDb } from "@/lib/accounts/testing/memory-db";
import type { Db } from "@/lib/db/client";
import { driftFindings, identities, users, type Provider } from "@/lib/db/schema";
import { deriveAccountPassword } from "@/lib/domain/account-password";
import { describeFinding } from "@/lib/domain/drift";
import { SEED_TIERS } from "@/lib/domain/quotas";
import { createClient, type OpenStackClient } from "@/lib/openstack/client";
import { labEnv, labOptions } from "@/lib/openstack/testing/env";
import { applyFindings, acceptFinding } from "./apply";
import { runDriftCheck } from "./check";

const run = promisify(execFile);
let os: OpenStackClient;
let db: Db;
let closeDb: () => Promise<void>;
let provider: Provider;
let accountSecret: string;
const name = `cptest-quotas-${randomBytes(3).toString("hex")}`;
const medium = SEED_TIERS.find((t) => t.isDefault)!.values;

beforeAll(async () => {
  os = await createClient(labOptions({ timeoutMs: 30_000 }));
  ({ db, close: closeDb } = await openMemoryDb());
  ({ provider, accountSecret } = await insertLabProvider(db, { name: `${name}-provider` }));
});

afterAll(async () => {
  try {
    const live = await db.select().from(identities).where(eq(identities.providerId, provider.id));
    if (live.length) await runRemoveBatch(db, os, provider, { identityIds: live.map((i) => i.id) });
  } finally {
    await os.close();
    await closeDb();
  }
});

const findingsOf = async (identityId: number) => db.select().from(driftFindings).where(eq(driftFindings.identityId, identityId));

describe("drift against the lab", () => {
  it("provisioning applies the default tier; out-of-band `quota set --cores 99` is reported, Apply fixes it; a revoked role is found and re-granted; Accept takes the cloud's value", async () => {
    const counts = await runProvisionBatch(db, os, provider, accountSecret, { usernames: [name] });
    expect(counts).toMatchObject({ done: 1, failed: 0 });
    expect(counts.users[name].changes).toContain("quota medium");
    const [row] = await db
      .select({ identity: identities })
      .from(identities)
      .innerJoin(users, eq(users.id, identities.userId))
      .where(and(eq(identities.providerId, provider.id), eq(users.username, name)));
    const identity = row.identity;
    expect(await os.compute.quotaSets.get(identity.projectId!)).toMatchObject({ cores: medium.cores, instances: medium.instances });

    // A fresh account has no drift.
    const clean = await runDriftCheck(db, os, provider);
    expect(clean.accounts).toBe(1);
    expect((await findingsOf(identity.id)).map(describeFinding)).toEqual([]);
    // Bulk listings + 3 quota reads for the one account, whatever else is on the cloud.
    expect(clean.calls).toBe(9 + 3);

    // Out of band, with the CLI.
    const env = { ...process.env, ...labEnv() } as NodeJS.ProcessEnv;
    await run("openstack", ["quota", "set", "--cores", "99", identity.projectId!], { env, timeout: 120_000 });
    const userRole = await os.identity.roles.findByName("member");
    await os.identity.roleAssignments.revokeFromProject({ projectId: identity.projectId!, userId: identity.openstackUserId!, roleId: userRole!.id });

    await runDriftCheck(db, os, provider);
    const found = await findingsOf(identity.id);
    expect(found.map(describeFinding).sort()).toEqual([`cores: Cloudport ${medium.cores}, cloud 99`, `role.user: Cloudport member for ${name}, cloud missing`].sort());

    // Apply: the cloud matches again, and the next check finds nothing.
    const outcomes = await applyFindings(db, os, provider, accountSecret, found);
    expect(outcomes).toMatchObject([{ ok: true }]);
    expect((await os.compute.quotaSets.get(identity.projectId!)).cores).toBe(medium.cores);
    expect(await os.identity.roleAssignments.checkOnProject({ projectId: identity.projectId!, userId: identity.openstackUserId!, roleId: userRole!.id })).toBe(true);
    await runDriftCheck(db, os, provider);
    expect(await findingsOf(identity.id)).toEqual([]);

    // Accept: 77 out of band becomes the account's own value; no drift afterwards.
    await run("openstack", ["quota", "set", "--cores", "77", identity.projectId!], { env, timeout: 120_000 });
    await runDriftCheck(db, os, provider);
    const [cores] = await findingsOf(identity.id);
    expect(describeFinding(cores)).toBe(`cores: Cloudport ${medium.cores}, cloud 77`);
    await acceptFinding(db, cores);
    const [after] = await db.select().from(identities).where(eq(identities.id, identity.id));
    expect(after.quotaCustom).toEqual({ cores: 77 });
    await runDriftCheck(db, os, provider);
    expect(await findingsOf(identity.id)).toEqual([]);
  });

  it("a network deleted out of band is reported exactly; Apply re-creates network, subnet and router interface and leaves the user's password alone", async () => {
    const uname = `${name}-n`;
    expect(await runProvisionBatch(db, os, provider, accountSecret, { usernames: [uname] })).toMatchObject({ done: 1, failed: 0 });
    const [{ identity }] = await db
      .select({ identity: identities })
      .from(identities)
      .innerJoin(users, eq(users.id, identities.userId))
      .where(and(eq(identities.providerId, provider.id), eq(users.username, uname)));
    const keystone = labEnv().OS_AUTH_URL!.replace(/\/$/, "");
    // A token of the user from before: Keystone revokes a user's tokens when its password is set.
    const issued = await fetch(`${keystone}/auth/tokens`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        auth: {
          identity: { methods: ["password"], password: { user: { id: identity.openstackUserId, password: deriveAccountPassword(uname, accountSecret) } } },
          scope: { project: { id: identity.projectId } },
        },
      }),
    });
    expect(issued.status).toBe(201);
    const userToken = issued.headers.get("x-subject-token")!;
    const tokenValid = async () =>
      (await fetch(`${keystone}/auth/tokens`, { headers: { "x-auth-token": userToken, "x-subject-token": userToken } })).status;
    expect(await tokenValid()).toBe(200);

    // Out of band: the interface off the router, then the subnet and the network deleted.
    await os.network.routers.removeInterface(identity.routerId!, { subnetId: identity.subnetId! });
    await os.network.subnets.delete(identity.subnetId!);
    await os.network.networks.delete(identity.networkId!);

    await runDriftCheck(db, os, provider);
    const found = await findingsOf(identity.id);
    expect(found.map(describeFinding).sort()).toEqual(["network: Cloudport exists, cloud missing", "subnet: Cloudport exists, cloud missing"]);

    const userUpdates = vi.spyOn(os.identity.users, "update");
    try {
      const outcomes = await applyFindings(db, os, provider, accountSecret, found, { jobId: randomUUID() });
      expect(outcomes).toMatchObject([{ ok: true }]);
      expect(outcomes[0].changes).toEqual(expect.arrayContaining(["network", expect.stringMatching(/^subnet /), expect.stringMatching(/^interface on /)]));
      expect(outcomes[0].changes.join(" ")).not.toContain("password");
      expect(userUpdates).not.toHaveBeenCalled();
    } finally {
      userUpdates.mockRestore();
    }
    const [after] = await db.select().from(identities).where(eq(identities.id, identity.id));
    expect(after).toMatchObject({ state: "active", jobId: null });
    expect(after.networkId).not.toBe(identity.networkId);
    expect((await os.network.subnets.get(after.subnetId!)).networkId).toBe(after.networkId);
    const ports = await os.network.ports.list({ networkId: after.networkId! });
    expect(ports.some((p) => p.deviceId === after.routerId && p.fixedIps.some((ip) => ip.subnetId === after.subnetId))).toBe(true);
    // The password was never set again: the token issued before still validates.
    expect(await tokenValid()).toBe(200);
    await runDriftCheck(db, os, provider);
    expect(await findingsOf(identity.id)).toEqual([]);
  });
});
