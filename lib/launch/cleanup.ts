import type { OpenStackClient } from "@/lib/openstack/client";
import { waitForServerStatus } from "@/lib/openstack/compute/v2/servers/wait";
import { isStatus } from "@/lib/openstack/core/errors";
import { explanationText } from "./faults";
import { messageOf, Recorder } from "./recorder";
import type { ResourceNames, RunTiming } from "./steps";
import { phaseLabel } from "./timeline";
import type { CreatedResources } from "./types";

// Clean-up of what a run created: server (waiting until it is gone), volume, floating IP,
// key pair. Every step runs even when an earlier one fails; a 404 counts as done.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function hasResources(r: CreatedResources | undefined): boolean {
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
export async function cleanupResources(client: OpenStackClient, rec: Recorder, names: ResourceNames, timing: RunTiming = {}) {
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
      const deadline = Date.now() + (timing.deleteTimeoutMs ?? 180_000);
      const deleteAndWait = async (id: string) => {
        try {
          await client.compute.servers.delete(id);
        } catch (error) {
          if (!isStatus(error, 404)) throw error;
        }
        for (;;) {
          const left = Math.max(0, deadline - Date.now());
          const wait = await waitForServerStatus(client, id, ["DELETED"], { timeoutMs: left, intervalMs: poll });
          if (wait.outcome === "reached") return;
          // ERROR while deleting is no answer (Nova goes on deleting): wait on until the deadline.
          if (wait.outcome === "timeout" || Date.now() + poll > deadline) {
            const s = wait.server;
            throw new Error(`Server ${id} is still ${s ? phaseLabel(s.status, s.taskState) : "there"} after waiting for it to go.`);
          }
          await sleep(poll);
        }
      };
      await deleteAndWait(serverId);
      // A delete sent while Nova is still scheduling can race the cell's instance record: the API
      // answers 404, then the instance shows up again in BUILD. Confirm by this run's own server
      // name (unique per run) and delete whatever is still listed under it.
      const name = r().serverName ?? names.server;
      for (let round = 0; round < 3; round++) {
        await sleep(Math.max(poll, 1000));
        const listed = (await client.compute.servers.list({ name: `^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$` })).filter(
          (s) => s.name === name && s.status !== "DELETED",
        );
        if (!listed.length) break;
        for (const s of listed) await deleteAndWait(s.id);
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
        if (!isStatus(error, 404)) throw error;
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
        if (!isStatus(error, 404)) throw error;
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
        if (!isStatus(error, 404)) throw error;
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

export function cleanupSummary(rec: Recorder): string {
  const c = rec.report.cleanup;
  if (!c || c.state === "not_needed") return "nothing to clean up";
  if (c.state === "done") return "cleaned up";
  if (c.state === "pending") return "resources kept until you clean up";
  return `clean-up incomplete (${(c.leftBehind ?? []).join(", ")})`;
}
