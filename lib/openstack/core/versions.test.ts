import { afterEach, describe, expect, it } from "vitest";

import { createClient } from "../client";
import { FakeCloud } from "../testing/fake-cloud";
import versions from "../testing/fixtures/versions.json";
import { compareVersions, negotiateMicroversion, pickVersion, versionEntries } from "./versions";

const doc = (name: keyof typeof versions) => JSON.parse(versions[name].body);

describe("version documents recorded from the lab", () => {
  it("Keystone root (300 Multiple Choices) offers v3 with its self link", () => {
    expect(pickVersion(versionEntries(doc("keystoneRoot")), 3)).toMatchObject({
      id: "v3.14",
      status: "stable",
      selfHref: "http://lab:5000/v3/",
    });
  });

  it("Nova root lists v2.0 (no microversions) and v2.1 (2.1–2.93); CURRENT wins", () => {
    expect(pickVersion(versionEntries(doc("novaRoot")), 2)).toMatchObject({ id: "v2.1", min: "2.1", max: "2.93" });
    expect(pickVersion(versionEntries(doc("novaV21")), 2)).toMatchObject({ id: "v2.1", max: "2.93" });
  });

  it("Placement uses max_version, Cinder uses version", () => {
    expect(pickVersion(versionEntries(doc("placementRoot")), 1)).toMatchObject({ min: "1.0", max: "1.39" });
    expect(pickVersion(versionEntries(doc("cinderRoot")), 3)).toMatchObject({ min: "3.0", max: "3.70" });
  });
});

describe("negotiation", () => {
  const nova = (max: string, min = "2.1") => ({ id: "v2.1", status: "CURRENT", max, min, selfHref: null });

  it("picks the highest both support", () => {
    expect(negotiateMicroversion(nova("2.93"), "2.90", "Nova")).toBe("2.90");
    expect(negotiateMicroversion(nova("2.60"), "2.90", "Nova")).toBe("2.60");
    expect(negotiateMicroversion(nova("2.100"), "2.90", "Nova")).toBe("2.90");
  });

  it("sends nothing to legacy endpoints and refuses impossible ranges", () => {
    expect(negotiateMicroversion({ ...nova(""), max: null }, "2.90", "Nova")).toBeNull();
    expect(() => negotiateMicroversion(nova("3.5", "3.0"), "2.90", "Nova")).toThrow(
      "Nova supports microversions 3.0–3.5; this client needs at most 2.90",
    );
  });

  it("compares numerically", () => {
    expect(compareVersions("2.10", "2.9")).toBeGreaterThan(0);
    expect(compareVersions("2.9", "2.9")).toBe(0);
    expect(compareVersions("1.39", "1.4")).toBeGreaterThan(0);
  });
});

describe("microversion headers on the wire", () => {
  let fake: FakeCloud;
  afterEach(() => fake.close());

  it("negotiates once from Nova's version document and sends both headers", async () => {
    fake = await FakeCloud.start({ computeMaxVersion: "2.60" });
    fake.on("GET", "/compute/v2.1/servers/detail", { json: { servers: [] } });
    fake.on("GET", "/image/v2/images", { json: { images: [] } });
    const os = await createClient(fake.clientOptions());
    await os.compute.servers.list();
    await os.compute.servers.list();
    await os.image.images.list();
    await os.close();

    expect(fake.seen("GET", "/compute/v2.1")).toHaveLength(1);
    for (const req of fake.seen("GET", "/compute/v2.1/servers/detail")) {
      expect(req.headers["openstack-api-version"]).toBe("compute 2.60");
      expect(req.headers["x-openstack-nova-api-version"]).toBe("2.60");
    }
    expect(fake.seen("GET", "/image/v2/images")[0].headers["openstack-api-version"]).toBeUndefined();
  });

  it("caps at the client's maximum on newer clouds", async () => {
    fake = await FakeCloud.start({ computeMaxVersion: "2.96" });
    fake.on("GET", "/compute/v2.1/flavors/detail", { json: { flavors: [] } });
    const os = await createClient(fake.clientOptions());
    expect(await os.compute.microversion()).toBe("2.90");
    await os.compute.flavors.list();
    await os.close();
    expect(fake.seen("GET", "/compute/v2.1/flavors/detail")[0].headers["openstack-api-version"]).toBe("compute 2.90");
  });
});
