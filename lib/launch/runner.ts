import { formatHostname, hostnameFormatProblem } from "@/lib/domain/hostname-format";
import type { OpenStackClient } from "@/lib/openstack/client";
import { waitForServerStatus } from "@/lib/openstack/compute/v2/servers/wait";
import { OpenStackHttpError } from "@/lib/openstack/core/errors";
import { checkDns, checkSsh } from "./checks";
import { explanationText } from "./faults";
import { messageOf, Recorder, StepFailed } from "./recorder";
import { formatDuration, phaseLabel } from "./timeline";
import type { CreatedResources, LaunchChoices, LaunchKind, RunState, Step } from "./types";

// Runs a launch test or a readiness run against the cloud, AS the identity, recording every
// step. No database here: the job handler persists what the Recorder reports, and the
// integration tests run this against the lab directly.

export type RunTiming = {
  /** Boot to ACTIVE. Default 10 min. */
  bootTimeoutMs?: number;
  /** Server/volume poll interval. Default 1.5 s. */
  pollMs?: number;
  /** Server deletion. Default 3 min. */
  deleteTimeoutMs?: number;
  /** Each volume transition. Default 3 min. */
  volumeTimeoutMs?: number;
};

export type RunContext = {
  runId: number;
  kind: LaunchKind;
  choices: LaunchChoices;
  provider: { networkName: string | null; hostnameFormat: string; domain?: string };
  /** Authenticates as the identity. */
  connect: () => Promise<OpenStackClient>;
  rec: Recorder;
  signal?: AbortSignal;
  timing?: RunTiming;
  /** DNS/TCP checks; tests may stub them. */
  checks?: { dns?: typeof checkDns; ssh?: typeof checkSsh };
};

export type RunOutcome = { state: Exclude<RunState, "queued" | "running">; result: string; error: string | null };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isNotFound = (e: unknown) => e instanceof OpenStackHttpError && e.status === 404;

/** Names of what a run creates; a crash before an id came back is still findable by name. */
export function resourceNames(kind: LaunchKind, runId: number) {
  const base = kind === "readiness" ? `cloudport-ready-${runId}` : `cloudport-lt-${runId}`;
  // `marker` is the description of the floating IP and the volume: clean-up finds them by it
  // (and the volume by name) when the create's answer was lost.
  return { server: base, keypair: `${base}-key`, volume: `${base}-vol`, marker: `cloudport-launch-${runId}` };
}

/** Runs a launch test or readiness run to the end, cleaning up in `finally`. Never throws for cloud failures. */
export async function executeRun(ctx: RunContext): Promise<RunOutcome> {
  const { rec, choices } = ctx;
  const names = resourceNames(ctx.kind, ctx.runId);
  const keep = ctx.kind === "launch" && choices.cleanup === "manual";
  let client: OpenStackClient | null = null;
  let failed: StepFailed | null = null;
  let cancelled = false;
  try {
    client = await rec.run(
      "auth",
      "setup",
      `Sign in as ${choices.username ?? `identity ${choices.identityId}`}${choices.projectName ? ` (project ${choices.projectName})` : ""}`,
      ctx.connect,
      (c) => `Token issued for project ${c.token.project?.name ?? "?"}${c.token.roles.length ? ` with roles ${c.token.roles.map((r) => r.name).join(", ")}` : ""}.`,
    );
    ctx.signal?.throwIfAborted();
    if (ctx.kind === "launch") await launchSteps(ctx, client, names);
    else await readinessSteps(ctx, client, names);
  } catch (error) {
    if (error instanceof StepFailed) failed = error;
    else if (ctx.signal?.aborted) cancelled = true;
    else {
      // A bug or an unexpected failure between steps: still a failed run, still cleaned up.
      const message = messageOf(error);
      const step = rec.start("error", "setup", "Unexpected error");
      rec.finish(step, "fail", message, explanationText(message));
      failed = new StepFailed(message, step);
    }
  } finally {
    // Close what is still running (e.g. a phase interrupted by a cancel).
    for (const s of rec.steps) if (s.status === "running") rec.finish(s, cancelled ? "skip" : "fail", cancelled ? "Cancelled." : undefined);
    const anything = hasResources(rec.report.resources);
    if (client && anything && (!keep || failed || cancelled)) {
      await cleanupResources(client, rec, names, ctx.timing);
    } else if (anything && keep && !failed && !cancelled) {
      rec.patch({ cleanup: { state: "pending", message: "Kept on request: clean up from this page when you are done." } });
    } else if (!rec.report.cleanup) {
      rec.patch({ cleanup: { state: "not_needed" } });
    }
    await client?.close();
  }
  const warnings = rec.steps.filter((s) => s.status === "warn").length;
  rec.patch({ warnings });
  await rec.flush();
  if (cancelled) return { state: "cancelled", result: `Cancelled · ${cleanupSummary(rec)}`, error: null };
  if (failed) {
    const why = failed.message.length > 140 ? `${failed.message.slice(0, 139)}…` : failed.message;
    return { state: "failed", result: `Failed at “${failed.step.label}”: ${why} · ${cleanupSummary(rec)}`, error: failed.message };
  }
  return { state: "passed", result: passSummary(ctx.kind, rec, warnings), error: null };
}

/** Cleans up what a kept (manual) run left, or what an interrupted run recorded. */
export async function executeCleanup(ctx: Pick<RunContext, "runId" | "kind" | "connect" | "rec" | "timing">): Promise<{ ok: boolean; summary: string }> {
  const names = resourceNames(ctx.kind, ctx.runId);
  if (!hasResources(ctx.rec.report.resources)) {
    ctx.rec.patch({ cleanup: { state: "not_needed" } });
    await ctx.rec.flush();
    return { ok: true, summary: cleanupSummary(ctx.rec) };
  }
  let client: OpenStackClient | null = null;
  try {
    client = await ctx.rec.run("cleanup.auth", "cleanup", "Sign in again to clean up", ctx.connect);
    await cleanupResources(client, ctx.rec, names, ctx.timing);
  } catch (error) {
    if (!(error instanceof StepFailed)) throw error;
    ctx.rec.patch({ cleanup: { state: "partial", at: ctx.rec.now(), leftBehind: describeResources(ctx.rec.report.resources ?? {}), message: error.message } });
  } finally {
    await client?.close();
  }
  await ctx.rec.flush();
  return { ok: ctx.rec.report.cleanup?.state === "done", summary: cleanupSummary(ctx.rec) };
}

async function launchSteps(ctx: RunContext, client: OpenStackClient, names: ReturnType<typeof resourceNames>) {
  const { rec, choices } = ctx;
  let keyName: string | undefined;
  if (choices.publicKey?.trim()) {
    keyName = names.keypair;
    await rec.run("keypair", "setup", `Import key pair ${keyName}`, async () => {
      // Recorded before the call: a key pair made by a request whose answer was lost (timeout,
      // crash) is still deleted at clean-up, where a 404 counts as done. The name is this run's.
      rec.resources({ keypairName: names.keypair });
      await client.compute.keypairs.create({ name: names.keypair, publicKey: choices.publicKey!.trim() });
    });
  }
  const server = await bootAndWait(ctx, client, names, keyName);
  const fip = await attachFloatingIp(ctx, client, server, names);
  ctx.signal?.throwIfAborted();

  const hostStep = rec.start("hostname", "checks", "Compute the hostname");
  const problem = hostnameFormatProblem(ctx.provider.hostnameFormat, ctx.provider.domain ?? "");
  if (problem) {
    rec.finish(hostStep, "warn", `The provider's hostname format cannot be used: ${problem}`);
  } else {
    const hostname = formatHostname(ctx.provider.hostnameFormat, fip, ctx.provider.domain ?? "");
    rec.patch({ hostname });
    rec.finish(hostStep, "pass", `${ctx.provider.hostnameFormat} → ${hostname}`);
    const dnsStep = rec.start("dns", "checks", `Resolve ${hostname}`);
    const dns = await (ctx.checks?.dns ?? checkDns)(hostname, fip);
    rec.patch({ dns });
    rec.finish(dnsStep, dns.status, dns.message);
  }
  ctx.signal?.throwIfAborted();
  await sshStep(ctx, fip);
}

async function readinessSteps(ctx: RunContext, client: OpenStackClient, names: ReturnType<typeof resourceNames>) {
  const { rec } = ctx;
  const server = await bootAndWait(ctx, client, names);
  const fip = await attachFloatingIp(ctx, client, server, names);
  ctx.signal?.throwIfAborted();
  await sshStep(ctx, fip);
  const hasVolumes = client.hasService("block-storage");
  rec.patch({ blockStorage: hasVolumes });
  if (!hasVolumes) {
    rec.skip("volume", "volume", "Volumes", "Block storage (Cinder) is not in the service catalog: volume checks skipped.");
    return;
  }
  const wait = { timeoutMs: ctx.timing?.volumeTimeoutMs ?? 180_000, intervalMs: ctx.timing?.pollMs ?? 1500 };
  const volume = await rec.run(
    "volume.create",
    "volume",
    "Create a 1 GB volume",
    async () => {
      // Flagged before the call: a volume made by a request whose answer was lost is still found
      // (by name and description) and deleted at clean-up.
      rec.resources({ volumeRequested: true });
      const v = await client.blockStorage.volumes.create({ sizeGb: 1, name: names.volume, description: names.marker });
      rec.resources({ volumeId: v.id });
      await rec.flush(); // stored before the wait, which may take minutes
      await client.blockStorage.volumes.waitForStatus(v.id, ["available"], wait);
      return v;
    },
    (v) => `Volume ${v.id} is available.`,
  );
  ctx.signal?.throwIfAborted();
  await rec.run(
    "volume.attach",
    "volume",
    "Attach it to the server",
    async () => {
      const a = await client.compute.volumeAttachments.attach(server.id, { volumeId: volume.id });
      await client.blockStorage.volumes.waitForStatus(volume.id, ["in-use"], wait);
      return a;
    },
    (a) => `In use${a.device ? ` as ${a.device}` : ""}.`,
  );
  ctx.signal?.throwIfAborted();
  await rec.run(
    "volume.detach",
    "volume",
    "Detach it",
    async () => {
      await client.compute.volumeAttachments.detach(server.id, volume.id);
      await client.blockStorage.volumes.waitForStatus(volume.id, ["available"], wait);
    },
    () => "Available again.",
  );
  ctx.signal?.throwIfAborted();
  await rec.run(
    "volume.delete",
    "volume",
    "Delete it",
    async () => {
      await client.blockStorage.volumes.delete(volume.id);
      await client.blockStorage.volumes.waitForStatus(volume.id, ["deleted"], wait);
      rec.resources({ volumeId: undefined, volumeRequested: false });
    },
    () => "Deleted.",
  );
}

async function sshStep(ctx: RunContext, fip: string) {
  const step = ctx.rec.start("ssh", "checks", `TCP 22 on ${fip}`);
  const ssh = await (ctx.checks?.ssh ?? checkSsh)(fip, { waitMs: ctx.choices.sshWaitSeconds * 1000, signal: ctx.signal });
  ctx.rec.patch({ ssh });
  ctx.rec.finish(step, ssh.status, ssh.message);
}

async function bootAndWait(ctx: RunContext, client: OpenStackClient, names: ReturnType<typeof resourceNames>, keyName?: string) {
  const { rec, choices } = ctx;
  const created = await rec.run(
    "boot",
    "setup",
    `Boot ${choices.imageName ?? choices.imageId} on ${choices.flavorName ?? choices.flavorId}`,
    async () => {
      rec.resources({ bootRequested: true, serverName: names.server });
      const r = await client.compute.servers.create({
        name: names.server,
        flavorId: choices.flavorId,
        imageId: choices.imageId,
        networks: [{ networkId: choices.networkId }],
        keyName,
        userData: choices.userData?.trim() ? choices.userData : undefined,
        metadata: { cloudport: ctx.kind === "readiness" ? "readiness-run" : "launch-test", cloudport_run: String(ctx.runId) },
      });
      rec.resources({ serverId: r.id });
      return r;
    },
    (r) => `Nova accepted the request: server ${r.id}.`,
  );

  const bootStarted = Date.now();
  let phase: Step | null = null;
  let result;
  try {
    result = await waitForServerStatus(client, created.id, ["ACTIVE"], {
      timeoutMs: ctx.timing?.bootTimeoutMs ?? 600_000,
      intervalMs: ctx.timing?.pollMs ?? 1500,
      signal: ctx.signal,
      onChange: (t) => {
        if (phase) rec.finish(phase, "pass");
        phase = rec.start("server", "server", phaseLabel(t.status, t.taskState), { serverStatus: t.status, taskState: t.taskState });
      },
    });
  } catch (error) {
    if (ctx.signal?.aborted) throw error;
    const message = messageOf(error);
    const step: Step = (phase as Step | null) ?? rec.start("server", "server", "Wait for ACTIVE");
    rec.finish(step, "fail", message, explanationText(message));
    throw new StepFailed(message, step);
  }
  const last = phase as Step | null;
  if (result.outcome === "reached") {
    if (last) rec.finish(last, "pass", `ACTIVE after ${formatDuration(Date.now() - bootStarted)}.`);
    rec.patch({ activeAfterMs: Date.now() - bootStarted });
    return result.server!;
  }
  if (result.outcome === "error") {
    const fault = result.fault;
    const message = fault?.message ? `Nova's fault${fault.code ? ` (${fault.code})` : ""}: ${fault.message}` : "The server went to ERROR and Nova gave no fault message.";
    const explanation = explanationText(fault?.message) ?? null;
    rec.patch({ fault: { code: fault?.code ?? null, message: fault?.message ?? "", explanation } });
    const step: Step = last ?? rec.start("server", "server", "ERROR", { serverStatus: "ERROR" });
    rec.finish(step, "fail", message, explanation ?? undefined);
    throw new StepFailed(message, step);
  }
  const where = result.server ? phaseLabel(result.server.status, result.server.taskState) : "unknown";
  const message = `The server is still ${where} after ${formatDuration(ctx.timing?.bootTimeoutMs ?? 600_000)}: timed out waiting for ACTIVE.`;
  const step: Step = last ?? rec.start("server", "server", "Wait for ACTIVE");
  rec.finish(step, "fail", message, explanationText(message));
  throw new StepFailed(message, step);
}

async function attachFloatingIp(ctx: RunContext, client: OpenStackClient, server: { id: string }, names: ReturnType<typeof resourceNames>): Promise<string> {
  const { rec } = ctx;
  const networkName = ctx.provider.networkName;
  const fip = await rec.run(
    "fip.allocate",
    "network",
    `Allocate a floating IP from ${networkName ?? "the external network"}`,
    async () => {
      if (!networkName) throw new Error("The provider has no external network set: pick one under Edit settings → Network.");
      const external = await client.network.networks.findByName(networkName);
      if (!external) throw new Error(`The external network "${networkName}" is not visible to the identity's project.`);
      // Flagged before the call: an address allocated by a request whose answer was lost is
      // still found (by its description) and released at clean-up.
      rec.resources({ floatingIpRequested: true });
      const f = await client.network.floatingIps.create({ floatingNetworkId: external.id, description: names.marker });
      rec.resources({ floatingIpId: f.id, floatingIp: f.floatingIpAddress });
      await rec.flush();
      return f;
    },
    (f) => `Got ${f.floatingIpAddress}.`,
  );
  ctx.signal?.throwIfAborted();
  await rec.run(
    "fip.associate",
    "network",
    `Associate ${fip.floatingIpAddress} with the server's port`,
    async () => {
      const ports = await client.network.ports.list({ deviceId: server.id });
      const port = ports.find((p) => p.fixedIps.some((ip) => !ip.ipAddress.includes(":")));
      if (!port) throw new Error(`Server ${server.id} has no port with an IPv4 address to associate the floating IP with.`);
      const fixed = port.fixedIps.find((ip) => !ip.ipAddress.includes(":"))!;
      return client.network.floatingIps.associate(fip.id, port.id, fixed.ipAddress);
    },
    (f) => `${f.floatingIpAddress} → ${f.fixedIpAddress ?? "?"} (port ${f.portId}).`,
  );
  return fip.floatingIpAddress;
}

function hasResources(r: CreatedResources | undefined): boolean {
  return Boolean(r && (r.serverId || r.bootRequested || r.floatingIpId || r.floatingIpRequested || r.keypairName || r.volumeId || r.volumeRequested));
}

export function describeResources(r: CreatedResources): string[] {
  const out: string[] = [];
  if (r.serverId) out.push(r.serverName ? `server ${r.serverName} (${r.serverId})` : `server ${r.serverId}`);
  else if (r.bootRequested) out.push(`a server named ${r.serverName} may exist`);
  if (r.volumeId) out.push(`volume ${r.volumeId}`);
  else if (r.volumeRequested) out.push("a volume of this run may exist");
  if (r.floatingIpId) out.push(`floating IP ${r.floatingIp ?? r.floatingIpId}`);
  else if (r.floatingIpRequested) out.push("a floating IP of this run may exist");
  if (r.keypairName) out.push(`key pair ${r.keypairName}`);
  return out;
}

/**
 * Deletes what the run created, in order: server (and waits until it is gone), volume, floating
 * IP, key pair. Every step runs even when an earlier one fails; a 404 counts as done.
 */
export async function cleanupResources(client: OpenStackClient, rec: Recorder, names: ReturnType<typeof resourceNames>, timing: RunTiming = {}) {
  rec.patch({ cleanup: { state: "running" } });
  const r = () => rec.report.resources ?? {};
  const poll = timing.pollMs ?? 1500;
  const attempt = async (id: string, label: string, fn: () => Promise<string>) => {
    const step = rec.start(id, "cleanup", label);
    try {
      rec.finish(step, "pass", await fn());
    } catch (error) {
      const message = messageOf(error);
      rec.finish(step, "fail", message, explanationText(message));
    }
  };

  if (!r().serverId && r().bootRequested) {
    // The boot request was sent but its answer never stored (a crash, a timeout): look by name.
    try {
      const found = await client.compute.servers.findByName(r().serverName ?? names.server);
      if (found) rec.resources({ serverId: found.id });
      else rec.resources({ bootRequested: false });
    } catch {
      // Leave it flagged: the summary says a server may exist.
    }
  }
  if (!r().volumeId && r().volumeRequested) {
    // The create was sent but its answer never stored: look by its name (this run's own).
    try {
      const found = (await client.blockStorage.volumes.list({ name: names.volume })).find((v) => v.name === names.volume);
      if (found) rec.resources({ volumeId: found.id });
      else rec.resources({ volumeRequested: false });
    } catch {
      // Leave it flagged: the summary says a volume may exist.
    }
  }
  if (!r().floatingIpId && r().floatingIpRequested) {
    try {
      const found = (await client.network.floatingIps.list({ description: names.marker })).find((f) => f.description === names.marker);
      if (found) rec.resources({ floatingIpId: found.id, floatingIp: found.floatingIpAddress });
      else rec.resources({ floatingIpRequested: false });
    } catch {
      // Leave it flagged.
    }
  }
  const serverId = r().serverId;
  if (serverId) {
    await attempt("cleanup.server", "Delete the server", async () => {
      try {
        await client.compute.servers.delete(serverId);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
      const deadline = Date.now() + (timing.deleteTimeoutMs ?? 180_000);
      for (;;) {
        try {
          const s = await client.compute.servers.get(serverId);
          if (Date.now() > deadline) throw new Error(`Server ${serverId} is still ${phaseLabel(s.status, s.taskState)} after waiting for it to go.`);
        } catch (error) {
          if (isNotFound(error)) break;
          throw error;
        }
        await sleep(poll);
      }
      rec.resources({ serverId: undefined, bootRequested: false });
      return `Server ${serverId} is gone.`;
    });
  }
  const volumeId = r().volumeId;
  if (volumeId) {
    await attempt("cleanup.volume", "Delete the volume", async () => {
      const wait = { timeoutMs: timing.volumeTimeoutMs ?? 180_000, intervalMs: poll };
      try {
        // Deleting the server detaches it; wait until Cinder agrees.
        await client.blockStorage.volumes.waitForStatus(volumeId, ["available", "error", "deleted"], wait);
        await client.blockStorage.volumes.delete(volumeId);
        await client.blockStorage.volumes.waitForStatus(volumeId, ["deleted"], wait);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
      rec.resources({ volumeId: undefined, volumeRequested: false });
      return `Volume ${volumeId} is gone.`;
    });
  }
  const fipId = r().floatingIpId;
  if (fipId) {
    await attempt("cleanup.fip", `Release floating IP ${r().floatingIp ?? fipId}`, async () => {
      try {
        await client.network.floatingIps.release(fipId);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
      const ip = r().floatingIp;
      rec.resources({ floatingIpId: undefined, floatingIpRequested: false });
      return `Released ${ip ?? fipId}.`;
    });
  }
  const keyName = r().keypairName;
  if (keyName) {
    await attempt("cleanup.keypair", `Delete key pair ${keyName}`, async () => {
      try {
        await client.compute.keypairs.delete(keyName);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
      rec.resources({ keypairName: undefined });
      return `Deleted ${keyName}.`;
    });
  }
  const left = describeResources(r());
  rec.patch({
    cleanup: left.length
      ? { state: "partial", at: rec.now(), leftBehind: left, message: `Left behind: ${left.join(", ")}. Delete them by hand or clean up again.` }
      : { state: "done", at: rec.now(), message: "Everything the run created is gone." },
  });
}

function cleanupSummary(rec: Recorder): string {
  const c = rec.report.cleanup;
  if (!c || c.state === "not_needed") return "nothing to clean up";
  if (c.state === "done") return "cleaned up";
  if (c.state === "pending") return "resources kept until you clean up";
  return `clean-up incomplete (${(c.leftBehind ?? []).join(", ")})`;
}

function passSummary(kind: LaunchKind, rec: Recorder, warnings: number): string {
  const parts = [`ACTIVE in ${formatDuration(rec.report.activeAfterMs)}`];
  if (rec.report.resources?.floatingIp || rec.steps.some((s) => s.id.startsWith("fip.allocate"))) {
    const ip = rec.steps.find((s) => s.id.startsWith("fip.allocate"))?.message?.replace(/^Got |\.$/g, "");
    if (ip) parts.push(ip);
  }
  if (kind === "launch" && rec.report.hostname) parts.push(rec.report.hostname);
  if (kind === "readiness") parts.push(rec.report.blockStorage ? "volume create/attach/detach/delete passed" : "no block storage");
  if (warnings) parts.push(`${warnings} ${warnings === 1 ? "warning" : "warnings"}`);
  parts.push(cleanupSummary(rec));
  return parts.join(" · ");
}
