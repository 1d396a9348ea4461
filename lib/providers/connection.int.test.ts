// A provider created from a Horizon-style openrc that names its project by id only
// (OS_PROJECT_ID, no OS_PROJECT_NAME) and its user domain by id: it passes Verify, and after
// Create the stored provider imports, provisions an account and launches a server on the lab,
// every client opened through lib/providers/connection.ts.
process.env.CLOUDPORT_SECRET_KEY ??= Buffer.alloc(32, 13).toString("base64");

import { randomBytes } from "node:crypto";
import { eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runProvisionBatch, runRemoveBatch } from "@/lib/accounts/batch";
import { openMemoryDb } from "@/lib/accounts/testing/memory-db";
import type { Db } from "@/lib/db/client";
import { identities, providers, sizes, type Provider } from "@/lib/db/schema";
import { generateAccountSecret } from "@/lib/domain/account-password";
import { parseOpenrc as readOpenrc } from "@/lib/domain/credentials-import";
import { DEFAULT_SECURITY_RULES } from "@/lib/domain/security-rules";
import { importSizes } from "@/lib/imports/sizes";
import { Recorder } from "@/lib/launch/recorder";
import { executeRun } from "@/lib/launch/runner";
import { createClient, type OpenStackClient } from "@/lib/openstack/client";
import { cleanup, labEnv, labOptions } from "@/lib/openstack/testing/env";
import { accountConnection, clientOptions, openAccountClient, openAdminClient, settingsOf } from "./connection";
import { createProviderFromDraft } from "./create";
import { runPreflight } from "./preflight";
import { accountsSchema, connectSchema, deploySchema, networkSchema } from "./schemas";

let admin: OpenStackClient;
let db: Db;
let closeDb: () => Promise<void>;
let adminProjectId: string;
const tag = randomBytes(3).toString("hex");
const username = `cptest-conn-${tag}`;

beforeAll(async () => {
  admin = await createClient(labOptions({ timeoutMs: 60_000 }));
  adminProjectId = admin.token.project!.id;
  ({ db, close: closeDb } = await openMemoryDb());
});

afterAll(async () => {
  try {
    const live = await db.select().from(identities).where(isNull(identities.endDate));
    const steps: Array<() => Promise<unknown>> = [];
    for (const i of live) {
      steps.push(async () => {
        const [provider] = await db.select().from(providers).where(eq(providers.id, i.providerId));
        const counts = await runRemoveBatch(db, admin, provider, { identityIds: [i.id] });
        if (counts.failed) throw new Error(`removing ${i.projectName} failed`);
      });
    }
    // Last resort, by name, if provisioning failed half-way.
    steps.push(async () => {
      for (const r of await admin.network.routers.list({ name: `${username}-router` })) await admin.network.routers.delete(r.id);
    });
    steps.push(async () => {
      for (const n of await admin.network.networks.list({ name: `${username}-net` })) await admin.network.networks.delete(n.id);
    });
    steps.push(async () => {
      for (const p of await admin.identity.projects.list({ name: username })) await admin.identity.projects.delete(p.id);
    });
    steps.push(async () => {
      for (const u of await admin.identity.users.list({ name: username })) await admin.identity.users.delete(u.id);
    });
    await cleanup(steps);
  } finally {
    await admin.close();
    await closeDb();
  }
});

/** The lab's openrc as Horizon writes it for a project: by id, with the user domain by id. */
function horizonOpenrc(): string {
  const env = labEnv();
  return [
    `export OS_AUTH_URL=${env.OS_AUTH_URL}`,
    `export OS_PROJECT_ID=${adminProjectId}`,
    'unset OS_PROJECT_NAME',
    "export OS_USER_DOMAIN_ID=default",
    `export OS_USERNAME="${env.OS_USERNAME}"`,
    `export OS_PASSWORD="${env.OS_PASSWORD}"`,
    `export OS_REGION_NAME="${env.OS_REGION_NAME ?? "RegionOne"}"`,
    'export OS_INTERFACE=public',
    "export OS_IDENTITY_API_VERSION=3",
    "",
  ].join("\n");
}

describe("a provider whose openrc has only OS_PROJECT_ID", () => {
  let provider: Provider;
  let identityId: number;

  it("passes Verify and, once created, keeps the project id", async () => {
    const d = readOpenrc(horizonOpenrc());
    expect(d.projectName).toBeUndefined();
    expect(d).toMatchObject({ projectId: adminProjectId, userDomainId: "default" });
    const connect = connectSchema.parse({ ...d, authMethod: d.authMethod });
    const preflight = await runPreflight({ options: clientOptions(connect, { password: d.password }, 30_000), adminRoleName: "admin" });
    expect(preflight.checks.filter((c) => c.status === "fail")).toEqual([]);
    expect(preflight.ok).toBe(true);

    provider = await createProviderFromDraft(db, {
      id: "00000000-0000-0000-0000-000000000000",
      step: "review",
      updatedAt: new Date(),
      data: {
        connect,
        preflight,
        network: networkSchema.parse({
          topology: "External Router Topology",
          publicRouters: ["public_router"],
          externalNetwork: "public",
          dnsNameservers: ["8.8.8.8"],
          securityRules: DEFAULT_SECURITY_RULES,
        }),
        accounts: accountsSchema.parse({ adminRoleName: "admin", userRoleName: "member", domain: "default", accountSecret: generateAccountSecret() }),
        deploy: deploySchema.parse({ name: `cptest-conn-${tag}`, platform: "KVM", isPublic: true, hostnameFormat: "vm%(four)s.lab.example.org" }),
      },
      secrets: { password: d.password, accountSecret: generateAccountSecret() },
    });
    expect(provider).toMatchObject({ adminProjectId, adminProjectName: null, userDomainId: "default" });
    expect(settingsOf(provider).connect).toMatchObject({ projectId: adminProjectId, userDomainId: "default" });
  });

  it("opens a project-scoped admin client (not an unscoped token) and imports the flavors", async () => {
    const { client } = await openAdminClient(db, provider.id);
    try {
      expect(client.token.project?.id).toBe(adminProjectId);
      expect(client.hasService("compute")).toBe(true);
      const summary = await importSizes(db, client, provider.id, async () => {});
      expect(summary).toBeTruthy();
    } finally {
      await client.close();
    }
    const imported = await db.select().from(sizes).where(eq(sizes.providerId, provider.id));
    expect(imported.map((s) => s.name)).toContain("m1.nano");
  });

  it("provisions an account that signs in as itself", async () => {
    const { client, accountSecret } = await openAdminClient(db, provider.id);
    try {
      const counts = await runProvisionBatch(db, client, provider, accountSecret, { usernames: [username] });
      expect(counts).toMatchObject({ done: 1, failed: 0 });
    } finally {
      await client.close();
    }
    const [identity] = await db.select().from(identities).where(eq(identities.providerId, provider.id));
    expect(identity).toMatchObject({ state: "active", projectName: username });
    identityId = identity.id;
    const asUser = await openAccountClient(db, identityId);
    try {
      expect(asUser.client.token.project?.id).toBe(identity.projectId);
      expect(asUser.identity.username).toBe(username);
    } finally {
      await asUser.client.close();
    }
  });

  it("launches a server as the account and cleans up", async () => {
    const { identity, open } = await accountConnection(db, identityId);
    const [flavor, image] = await Promise.all([admin.compute.flavors.findByName("m1.nano"), admin.image.images.findByName("cirros-0.6-fake")]);
    const rec = new Recorder();
    const outcome = await executeRun({
      runId: 930_000 + Math.floor(Math.random() * 9_999),
      kind: "launch",
      rec,
      choices: {
        identityId,
        username: identity.username,
        projectName: identity.projectName,
        imageId: image!.id,
        imageName: image!.name ?? "cirros-0.6-fake",
        flavorId: flavor!.id,
        flavorName: flavor!.name,
        networkId: identity.networkId!,
        cleanup: "auto",
        sshWaitSeconds: 1,
      },
      provider: { networkName: "public", hostnameFormat: "vm%(four)s.lab.example.org" },
      connect: open,
      timing: { pollMs: 500, bootTimeoutMs: 120_000, deleteTimeoutMs: 120_000, volumeTimeoutMs: 60_000 },
    });
    expect(outcome.error).toBeNull();
    expect(outcome.state).toBe("passed");
    expect(rec.report.cleanup?.state).toBe("done");
    const left = await admin.compute.servers.list({ allTenants: true, projectId: identity.projectId! });
    expect(left.filter((s) => s.name.startsWith("cloudport-")).map((s) => s.name)).toEqual([]);
  });
});
