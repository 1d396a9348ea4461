import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountClientOptions } from "@/lib/providers/connection";
import { generateAccountSecret } from "@/lib/domain/account-password";
import { createClient, type OpenStackClient } from "@/lib/openstack/client";
import { cleanup, labEnv, labOptions, testName } from "@/lib/openstack/testing/env";
import { Recorder } from "./recorder";
import { executeCleanup, executeRun, resourceNames, type RunContext } from "./runner";
import { createImpossibleFlavor, createTestAccount, deleteFlavor, sshPublicKey, withNovaAdmin, type TestAccount } from "./testing";
import type { LaunchChoices, LaunchKind, Step } from "./types";

// A launch test and a readiness run AS a provisioned account, against the lab: the fake Nova
// driver boots to ACTIVE, Neutron hands out floating IPs from `public`, Cinder is in the catalog.

let admin: OpenStackClient;
let account: TestAccount;
let nano: string;
let cirros: string;
const secret = generateAccountSecret();
const undo: Array<() => Promise<unknown>> = [];
const provider = { authUrl: labEnv().OS_AUTH_URL!, region: labEnv().OS_REGION_NAME ?? "RegionOne", caBundle: null, cloudConfig: { user: { domain: "default" } } };

beforeAll(async () => {
  admin = await createClient(labOptions({ timeoutMs: 60_000 }));
  account = await createTestAccount(admin, { name: testName("acct"), accountSecret: secret, cidr: "172.31.251.0/24" });
  undo.push(() => account.remove());
  const [flavor, image] = await Promise.all([admin.compute.flavors.findByName("m1.nano"), admin.image.images.findByName("cirros-0.6-fake")]);
  nano = flavor!.id;
  cirros = image!.id;
});

afterAll(async () => {
  try {
    await cleanup(undo.reverse());
  } finally {
    await admin.close();
  }
});

function context(kind: LaunchKind, runId: number, choices: Partial<LaunchChoices> = {}): RunContext & { rec: Recorder } {
  return {
    runId,
    kind,
    rec: new Recorder(),
    choices: {
      identityId: 1,
      username: account.username,
      projectName: account.projectName,
      imageId: cirros,
      imageName: "cirros-0.6-fake",
      flavorId: nano,
      flavorName: "m1.nano",
      networkId: account.networkId,
      cleanup: "auto",
      sshWaitSeconds: 1,
      ...choices,
    },
    provider: { networkName: "public", hostnameFormat: "vm%(four)s.lab.example.org" },
    connect: () =>
      createClient(accountClientOptions(provider, { username: account.username, projectName: account.projectName, projectId: account.projectId }, secret, { timeoutMs: 30_000 })),
    timing: { pollMs: 500, bootTimeoutMs: 120_000, deleteTimeoutMs: 120_000, volumeTimeoutMs: 60_000 },
  };
}

const byId = (steps: Step[], id: string) => steps.filter((s) => s.id.startsWith(`${id}#`));

/** The project owns nothing the run made: no server, floating IP, volume or key pair left. */
async function expectNothingLeft(projectId: string) {
  const servers = await admin.compute.servers.list({ allTenants: true, projectId });
  expect(servers.filter((s) => s.name.startsWith("cloudport-")).map((s) => `${s.name} ${s.status}`)).toEqual([]);
  expect(await admin.network.floatingIps.list({ projectId })).toEqual([]);
  if (admin.hasService("block-storage")) {
    const volumes = await admin.blockStorage.volumes.list({ allTenants: true, projectId });
    expect(volumes.map((v) => `${v.name} ${v.status}`)).toEqual([]);
  }
}

describe("launch test as a provisioned account", () => {
  it("boots to ACTIVE with a live timeline, gets a floating IP, checks hostname/DNS/SSH and cleans up", async () => {
    const ctx = context("launch", 900_000 + Math.floor(Math.random() * 99_999), { publicKey: sshPublicKey(), userData: "#!/bin/sh\necho hello\n" });
    const snapshots: number[] = [];
    const rec = new Recorder(async (s) => {
      snapshots.push(s.steps.length);
    });
    const outcome = await executeRun({ ...ctx, rec });

    expect(outcome.error).toBeNull();
    expect(outcome.state).toBe("passed");
    const steps = rec.steps;
    expect(byId(steps, "auth")[0]).toMatchObject({ status: "pass" });
    expect(byId(steps, "auth")[0].message).toContain(account.projectName);
    expect(byId(steps, "keypair")[0]).toMatchObject({ status: "pass" });
    // Status and task-state transitions, ending in ACTIVE.
    const phases = byId(steps, "server");
    expect(phases.length).toBeGreaterThanOrEqual(2);
    expect(phases[0].serverStatus).toBe("BUILD");
    expect(phases.at(-1)).toMatchObject({ serverStatus: "ACTIVE", status: "pass" });
    expect(phases.every((p) => p.endedAt && p.startedAt <= p.endedAt)).toBe(true);

    const fip = byId(steps, "fip.allocate")[0];
    expect(fip.status).toBe("pass");
    const ip = /203\.0\.113\.(\d+)/.exec(fip.message!)!;
    expect(Number(ip[1])).toBeGreaterThanOrEqual(100);
    expect(Number(ip[1])).toBeLessThanOrEqual(250);
    expect(byId(steps, "fip.associate")[0].status).toBe("pass");
    expect(rec.report.hostname).toBe(`vm${ip[1]}.lab.example.org`);
    expect(byId(steps, "dns")[0].status).toBe("warn");
    // The lab has no data plane: TCP 22 is a warning, never a failure.
    expect(rec.report.ssh?.status).toBe("warn");
    expect(byId(steps, "ssh")[0].status).toBe("warn");

    expect(byId(steps, "cleanup.server")[0]).toMatchObject({ status: "pass" });
    expect(byId(steps, "cleanup.fip")[0]).toMatchObject({ status: "pass" });
    expect(byId(steps, "cleanup.keypair")[0]).toMatchObject({ status: "pass" });
    expect(rec.report.cleanup?.state).toBe("done");
    const left = rec.report.resources!;
    expect([left.serverId, left.floatingIpId, left.keypairName, left.volumeId, left.bootRequested]).toEqual([undefined, undefined, undefined, undefined, false]);
    expect(left.floatingIp).toBe(ip[0]);
    expect(outcome.result).toMatch(/^ACTIVE in .* · 203\.0\.113\.\d+ · vm\d+\.lab\.example\.org · 2 warnings · cleaned up$/);
    // Progress was handed over as the run went, not only at the end.
    expect(new Set(snapshots).size).toBeGreaterThan(5);
    await expectNothingLeft(account.projectId);
  });

  it("keeps the server on request, and cleans up later", async () => {
    const ctx = context("launch", 910_000 + Math.floor(Math.random() * 9_999), { cleanup: "manual" });
    const outcome = await executeRun(ctx);
    expect(outcome.state).toBe("passed");
    expect(ctx.rec.report.cleanup?.state).toBe("pending");
    const serverId = ctx.rec.report.resources?.serverId;
    expect(serverId).toBeTruthy();
    expect((await admin.compute.servers.get(serverId!)).status).toBe("ACTIVE");

    const later = await executeCleanup({ ...ctx, rec: ctx.rec });
    expect(later.ok).toBe(true);
    expect(ctx.rec.report.cleanup?.state).toBe("done");
    await expectNothingLeft(account.projectId);
  });

  it("reports Nova's fault and what it means for a flavor no hypervisor can hold", async () => {
    const name = testName("huge");
    const flavorId = await withNovaAdmin(labOptions({ timeoutMs: 60_000 }), (nova) => createImpossibleFlavor(nova, name, account.projectId));
    undo.push(() => withNovaAdmin(labOptions({ timeoutMs: 60_000 }), (nova) => deleteFlavor(nova, flavorId)));
    // Without this, Nova's quota check refuses the request before the scheduler sees it.
    await admin.compute.quotaSets.update(account.projectId, { cores: -1, ramMb: -1 });

    const ctx = context("launch", 920_000 + Math.floor(Math.random() * 9_999), { flavorId, flavorName: name });
    const outcome = await executeRun(ctx);
    expect(outcome.state).toBe("failed");
    expect(outcome.error).toMatch(/No valid host was found/);
    expect(ctx.rec.report.fault?.message).toMatch(/No valid host was found/);
    expect(ctx.rec.report.fault?.explanation).toMatch(/^No hypervisor can take this server/);
    const failed = ctx.rec.steps.find((s) => s.status === "fail")!;
    expect(failed).toMatchObject({ group: "server", serverStatus: "ERROR" });
    expect(failed.explanation).toMatch(/smaller flavor/);
    // Nothing after the failure ran, and the ERROR server was deleted.
    expect(byId(ctx.rec.steps, "fip.allocate")).toEqual([]);
    expect(byId(ctx.rec.steps, "cleanup.server")[0].status).toBe("pass");
    expect(ctx.rec.report.cleanup?.state).toBe("done");
    expect(outcome.result).toMatch(/^Failed at “ERROR”: Nova's fault \(500\): No valid host was found.* · cleaned up$/);
    await expectNothingLeft(account.projectId);
  });

  it("stops when cancelled mid-boot and still cleans up", async () => {
    const controller = new AbortController();
    const ctx = context("launch", 925_000 + Math.floor(Math.random() * 9_999));
    const rec = new Recorder(async (snap) => {
      if (snap.steps.some((s) => s.group === "server")) controller.abort(new Error("The job was cancelled."));
    });
    const outcome = await executeRun({ ...ctx, rec, signal: controller.signal });
    expect(outcome.state).toBe("cancelled");
    expect(outcome.result).toBe("Cancelled · cleaned up");
    expect(rec.steps.filter((s) => s.status === "running")).toEqual([]);
    expect(byId(rec.steps, "cleanup.server")[0].status).toBe("pass");
    expect(byId(rec.steps, "fip.allocate")).toEqual([]);
    await expectNothingLeft(account.projectId);
  });

  it("fails at sign-in, with the explanation, when the account secret is wrong", async () => {
    const ctx = context("launch", 930_000);
    ctx.connect = () =>
      createClient(accountClientOptions(provider, { username: account.username, projectName: account.projectName }, generateAccountSecret()));
    const outcome = await executeRun(ctx);
    expect(outcome.state).toBe("failed");
    expect(outcome.error).toMatch(/401/);
    expect(ctx.rec.steps[0].explanation).toMatch(/account secret changed/);
    expect(ctx.rec.report.cleanup?.state).toBe("not_needed");
  });
});

describe("cloud readiness run", () => {
  it("launches, attaches a floating IP, runs the volume checks and cleans up", async () => {
    const ctx = context("readiness", 940_000 + Math.floor(Math.random() * 9_999));
    const outcome = await executeRun(ctx);
    expect(outcome.error).toBeNull();
    expect(outcome.state).toBe("passed");
    const labels = ctx.rec.steps.filter((s) => s.group !== "server").map((s) => `${s.id.split("#")[0]}:${s.status}`);
    expect(labels).toEqual([
      "auth:pass",
      "boot:pass",
      "fip.allocate:pass",
      "fip.associate:pass",
      "ssh:warn",
      "volume.create:pass",
      "volume.attach:pass",
      "volume.detach:pass",
      "volume.delete:pass",
      "cleanup.server:pass",
      "cleanup.fip:pass",
    ]);
    expect(ctx.rec.report.blockStorage).toBe(true);
    for (const s of ctx.rec.steps) expect(s.endedAt).not.toBeNull();
    expect(outcome.result).toMatch(/volume create\/attach\/detach\/delete passed · 1 warning · cleaned up$/);
    await expectNothingLeft(account.projectId);
  });

  it("clean-up finds a floating IP and a volume whose create answers were lost, by description and name", async () => {
    const runId = 950_000 + Math.floor(Math.random() * 9_999);
    const ctx = context("readiness", runId);
    const names = resourceNames("readiness", runId);
    const client = await ctx.connect();
    try {
      const external = await client.network.networks.findByName("public");
      // Made as the run would, but the ids never recorded: only the "requested" flags were.
      await client.network.floatingIps.create({ floatingNetworkId: external!.id, description: names.marker });
      if (client.hasService("block-storage")) await client.blockStorage.volumes.create({ sizeGb: 1, name: names.volume, description: names.marker });
    } finally {
      await client.close();
    }
    ctx.rec.resources({ floatingIpRequested: true, volumeRequested: admin.hasService("block-storage") });
    const { ok } = await executeCleanup(ctx);
    expect(ok).toBe(true);
    expect(ctx.rec.steps.filter((s) => s.group === "cleanup").map((s) => `${s.id.split("#")[0]}:${s.status}`)).toEqual([
      "cleanup.auth:pass",
      ...(admin.hasService("block-storage") ? ["cleanup.volume:pass"] : []),
      "cleanup.fip:pass",
    ]);
    await expectNothingLeft(account.projectId);
  });
});
