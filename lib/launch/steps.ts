import { formatHostname, hostnameFormatProblem } from "@/lib/domain/hostname-format";
import type { OpenStackClient } from "@/lib/openstack/client";
import { waitForServerStatus } from "@/lib/openstack/compute/v2/servers/wait";
import { checkDns, checkSsh } from "./checks";
import { explanationText } from "./faults";
import { messageOf, Recorder, StepFailed } from "./recorder";
import { formatDuration, phaseLabel } from "./timeline";
import type { LaunchChoices, LaunchKind, Step } from "./types";

// The steps of a launch test and of a readiness run, AS the identity: key pair, boot and wait,
// floating IP, hostname/DNS, SSH, and (readiness) the volume round trip. Each records itself
// on the Recorder; what they create is recorded before the call, so clean-up (cleanup.ts)
// finds it even when an answer was lost.

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

/** Names of what a run creates; a crash before an id came back is still findable by name. */
export function resourceNames(kind: LaunchKind, runId: number) {
  const base = kind === "readiness" ? `cloudport-ready-${runId}` : `cloudport-lt-${runId}`;
  // `marker` is the description of the floating IP and the volume: clean-up finds them by it
  // (and the volume by name) when the create's answer was lost.
  return { server: base, keypair: `${base}-key`, volume: `${base}-vol`, marker: `cloudport-launch-${runId}` };
}

export type ResourceNames = ReturnType<typeof resourceNames>;

export async function launchSteps(ctx: RunContext, client: OpenStackClient, names: ResourceNames) {
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

export async function readinessSteps(ctx: RunContext, client: OpenStackClient, names: ResourceNames) {
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

async function bootAndWait(ctx: RunContext, client: OpenStackClient, names: ResourceNames, keyName?: string) {
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

async function attachFloatingIp(ctx: RunContext, client: OpenStackClient, server: { id: string }, names: ResourceNames): Promise<string> {
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
