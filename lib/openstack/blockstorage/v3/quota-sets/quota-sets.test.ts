import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { createClient, type OpenStackClient } from "../../../client";
import { OpenStackHttpError } from "../../../core/errors";
import { FakeCloud } from "../../../testing/fake-cloud";

let fake: FakeCloud;
let os: OpenStackClient;

beforeEach(async () => {
  fake = await FakeCloud.start();
  os = await createClient(fake.clientOptions());
});

afterEach(async () => {
  await os.close();
  await fake.close();
});

const admin = () => os.token.project!.id;

describe("Cinder quota sets", () => {
  it("reads values and usage under the admin project's root", async () => {
    const path = `/volume/v3/${admin()}/os-quota-sets/p1`;
    fake.on("GET", path, (req) =>
      req.query.get("usage") === "true"
        ? { json: { quota_set: { id: "p1", volumes: { limit: 10, in_use: 2, reserved: 0, allocated: 0 }, gigabytes: { limit: -1, in_use: 30, reserved: 1 }, snapshots: { limit: 5, in_use: 0, reserved: 0 }, "volumes_lvmdriver-1": { limit: -1, in_use: 2 } } } }
        : { json: { quota_set: { id: "p1", volumes: 10, gigabytes: -1, snapshots: 5, backups: 10, "volumes_lvmdriver-1": -1 } } },
    );
    const q = await os.blockStorage.quotaSets.get("p1");
    expect(q).toMatchObject({ volumes: 10, gigabytes: -1, snapshots: 5, backups: 10 });
    expect(q.raw["volumes_lvmdriver-1"]).toBe(-1);
    const u = await os.blockStorage.quotaSets.getUsage("p1");
    expect(u.volumes).toEqual({ limit: 10, inUse: 2, reserved: 0 });
    expect(u.gigabytes).toEqual({ limit: -1, inUse: 30, reserved: 1 });
  });

  it("sends only the values given, in Cinder's names", async () => {
    const path = `/volume/v3/${admin()}/os-quota-sets/p1`;
    fake.on("PUT", path, (req) => ({ json: { quota_set: { volumes: 3, gigabytes: 100, snapshots: 7, ...JSON.parse(req.body).quota_set } } }));
    const q = await os.blockStorage.quotaSets.update("p1", { volumes: 4, perVolumeGigabytes: 50 });
    expect(JSON.parse(fake.seen("PUT", path)[0].body)).toEqual({ quota_set: { volumes: 4, per_volume_gigabytes: 50 } });
    expect(q).toMatchObject({ volumes: 4, gigabytes: 100, perVolumeGigabytes: 50 });
  });

  it("a refusal is an HTTP error carrying Cinder's message", async () => {
    const path = `/volume/v3/${admin()}/os-quota-sets/p1`;
    fake.on("PUT", path, { status: 400, json: { badRequest: { code: 400, message: "Quota limit must be greater than 2." } } });
    const err = await os.blockStorage.quotaSets.update("p1", { volumes: 1 }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenStackHttpError);
    expect(String(err.message)).toContain("Quota limit must be greater than 2.");
  });
});
