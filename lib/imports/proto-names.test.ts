import { describe, expect, it } from "vitest";
import { StatusBoard } from "@/lib/accounts/batch";
import { parseCloudsYaml } from "@/lib/domain/credentials-import";
import { serverSchema } from "@/lib/openstack/compute/v2/servers/types";
import { addressesOf } from "./instances";

// Names from the cloud (networks) and from people (usernames, cloud names) are never plain-object keys.
describe("names such as __proto__ and constructor", () => {
  const nova = (nets: string[]) =>
    JSON.parse(
      JSON.stringify({ id: "s1", name: "vm", status: "ACTIVE" }).slice(0, -1) +
        `,"addresses":{${nets.map((n, i) => `"${n}":[{"addr":"10.0.0.${i + 1}","version":4,"OS-EXT-IPS:type":"fixed"}]`).join(",")}}}`,
    );

  it.each(["__proto__", "constructor", "toString", "hasOwnProperty"])("a network named %s keeps its addresses through parse and import", (net) => {
    const server = serverSchema.parse(nova([net, "public"]));
    expect(server.addresses.map((a) => a.network)).toEqual([net, "public"]);
    const addresses = addressesOf(server as never);
    expect(Object.keys(addresses.networks)).toEqual([net, "public"]);
    expect(addresses.networks[net]).toEqual([{ addr: "10.0.0.1", version: 4, type: "fixed", mac: null }]);
    expect(JSON.parse(JSON.stringify(addresses)).networks[net][0].addr).toBe("10.0.0.1");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("a batch status board keeps a user named __proto__", () => {
    const board = new StatusBoard(["__proto__", "constructor"], "provision", undefined);
    board.set("__proto__", { status: "done" });
    board.set("constructor", { status: "failed" });
    expect(board.counts).toMatchObject({ total: 2, done: 1, failed: 1 });
  });

  it("a clouds.yaml cloud named __proto__ is not found on the prototype", () => {
    expect(() => parseCloudsYaml("clouds:\n  lab:\n    auth: {auth_url: 'https://k/v3'}\n", "constructor")).toThrow(/no cloud named "constructor"/);
  });
});
