import { describe, expect, it } from "vitest";

import { OpenStackHttpError } from "../../../core/errors";
import { serverSchema, type Server } from "./types";
import { waitForServerStatus, type ServerReader } from "./wait";

/** A client whose server goes through the given observations, one per poll (the last repeats). */
function scripted(observations: Array<Record<string, unknown> | "gone">): ServerReader & { polls: number } {
  const stub = {
    polls: 0,
    compute: {
      servers: {
        async get(id: string): Promise<Server> {
          const obs = observations[Math.min(stub.polls++, observations.length - 1)];
          if (obs === "gone") {
            throw new OpenStackHttpError({
              service: "Nova", method: "GET", url: `/servers/${id}`, status: 404, requestId: null, fault: null, body: "",
            });
          }
          return serverSchema.parse({ id, name: "t", ...obs });
        },
      },
    },
  };
  return stub;
}

const fast = { intervalMs: 1, timeoutMs: 1_000 };

describe("waitForServerStatus", () => {
  it("reports status and task-state transitions until ACTIVE", async () => {
    const client = scripted([
      { status: "BUILD", "OS-EXT-STS:task_state": "scheduling" },
      { status: "BUILD", "OS-EXT-STS:task_state": "scheduling" },
      { status: "BUILD", "OS-EXT-STS:task_state": "networking" },
      { status: "BUILD", "OS-EXT-STS:task_state": "spawning" },
      { status: "ACTIVE", "OS-EXT-STS:task_state": null },
    ]);
    const seen: string[] = [];
    const result = await waitForServerStatus(client, "s1", ["ACTIVE"], {
      ...fast,
      onChange: (t) => seen.push(`${t.status}/${t.taskState ?? "-"}`),
    });
    expect(result.outcome).toBe("reached");
    expect(result.server?.status).toBe("ACTIVE");
    expect(seen).toEqual(["BUILD/scheduling", "BUILD/networking", "BUILD/spawning", "ACTIVE/-"]);
    expect(client.polls).toBe(5);
  });

  it("returns Nova's fault when the server ends in ERROR", async () => {
    const client = scripted([
      { status: "BUILD", "OS-EXT-STS:task_state": "scheduling" },
      {
        status: "ERROR",
        fault: { code: 500, message: "No valid host was found. There are not enough hosts available.", created: "2026-01-01T00:00:00Z" },
      },
    ]);
    const result = await waitForServerStatus(client, "s1", ["ACTIVE"], fast);
    expect(result.outcome).toBe("error");
    expect(result.fault).toMatchObject({ code: 500, message: "No valid host was found. There are not enough hosts available." });
  });

  it("treats disappearance as DELETED when asked for it", async () => {
    const client = scripted([{ status: "ACTIVE", "OS-EXT-STS:task_state": "deleting" }, "gone"]);
    const result = await waitForServerStatus(client, "s1", ["DELETED"], fast);
    expect(result).toMatchObject({ outcome: "reached", server: null });
    expect(result.transitions.map((t) => t.status)).toEqual(["ACTIVE", "DELETED"]);
  });

  it("a 404 while waiting for ACTIVE is an error", async () => {
    await expect(waitForServerStatus(scripted(["gone"]), "s1", ["ACTIVE"], fast)).rejects.toMatchObject({ status: 404 });
  });

  it("gives up after the timeout with the last observation", async () => {
    const client = scripted([{ status: "BUILD", "OS-EXT-STS:task_state": "spawning" }]);
    const result = await waitForServerStatus(client, "s1", ["ACTIVE"], { intervalMs: 20, timeoutMs: 100 });
    expect(result.outcome).toBe("timeout");
    expect(result.server?.taskState).toBe("spawning");
    expect(client.polls).toBeGreaterThan(2);
  });
});
