import { describe, expect, it } from "vitest";

import recorded from "../testing/fixtures/token.json";
import { Catalog, catalogSchema } from "./catalog";
import { OpenStackCatalogError } from "./errors";
import { blockStorage, compute, image, network, placement } from "./services";

const labProject = recorded.token.project.id;
const lab = new Catalog(catalogSchema.parse(recorded.token.catalog), labProject);

function catalog(services: Array<{ type: string; endpoints: Array<[iface: string, region: string, url: string]> }>) {
  return new Catalog(
    services.map((s) => ({
      type: s.type,
      name: s.type,
      id: `id-${s.type}`,
      endpoints: s.endpoints.map(([iface, region, url], i) => ({ id: `${s.type}-${i}`, interface: iface, region_id: region, url })),
    })),
    "p-123",
  );
}

describe("Catalog (recorded from the lab)", () => {
  it("lists every service × endpoint", () => {
    const entries = lab.entries();
    expect(entries).toHaveLength(21);
    expect(new Set(entries.map((e) => e.serviceType))).toEqual(
      new Set(["identity", "compute", "image", "network", "placement", "volumev3", "block-storage"]),
    );
    expect(entries.every((e) => e.region === "RegionOne" && /^http:\/\/lab:\d+/.test(e.url))).toBe(true);
  });

  it.each(["block-storage", "volumev3", "volume", "block-store"])("finds Cinder as %s", (type) => {
    expect(lab.endpoint(type).url).toBe(`http://lab:8776/v3/${labProject}`);
  });

  it("defaults to the public interface", () => {
    expect(lab.endpoint("compute")).toMatchObject({ interface: "public", url: "http://lab:8774/v2.1" });
  });
});

describe("Catalog lookup rules", () => {
  const multi = catalog([
    {
      type: "compute",
      endpoints: [
        ["public", "RegionOne", "https://nova.one.example/v2.1"],
        ["internal", "RegionOne", "http://nova.internal:8774/v2.1"],
        ["public", "RegionTwo", "https://nova.two.example/v2.1"],
      ],
    },
    { type: "volumev3", endpoints: [["public", "RegionOne", "https://cinder.example/v3/%(tenant_id)s"]] },
    { type: "block-storage", endpoints: [["public", "RegionOne", "https://bs.example/v3/$(project_id)s"]] },
    { type: "volume", endpoints: [["public", "RegionOne", "https://old.example/v1/%(project_id)s"]] },
    { type: "image", endpoints: [["public", "RegionOne", "https://glance.example/$(tenant_id)s"]] },
  ]);

  it("chooses by region, first region when none is given", () => {
    expect(multi.endpoint("compute", { region: "RegionTwo" }).url).toBe("https://nova.two.example/v2.1");
    expect(multi.endpoint("compute", { region: "RegionOne" }).url).toBe("https://nova.one.example/v2.1");
    expect(multi.endpoint("compute").url).toBe("https://nova.one.example/v2.1");
  });

  it("chooses by interface, accepting the old publicURL/internalURL spelling", () => {
    expect(multi.endpoint("compute", { interface: "internal" }).url).toBe("http://nova.internal:8774/v2.1");
    expect(multi.endpoint("compute", { interface: "internalURL" }).url).toBe("http://nova.internal:8774/v2.1");
    expect(multi.endpoint("compute", { interface: "publicURL", region: "RegionTwo" }).url).toBe(
      "https://nova.two.example/v2.1",
    );
  });

  it("prefers the exact type asked for, then aliases in official order", () => {
    expect(multi.endpoint("volumev3").url).toBe("https://cinder.example/v3/p-123");
    expect(multi.endpoint("block-storage").url).toBe("https://bs.example/v3/p-123");
    expect(multi.endpoint("volume").url).toBe("https://old.example/v1/p-123");
  });

  it("substitutes all four project placeholder spellings and keeps the raw URL", () => {
    const e = multi.endpoint("image");
    expect(e.url).toBe("https://glance.example/p-123");
    expect(e.rawUrl).toBe("https://glance.example/$(tenant_id)s");
  });

  it("a missing service names the type, interface, region and what exists", () => {
    const err = (() => {
      try {
        multi.endpoint("placement", { region: "RegionOne" });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(OpenStackCatalogError);
    expect((err as Error).message).toBe(
      'No public "placement" endpoint in region "RegionOne": the catalog has no "placement" service at all (it has: block-storage, compute, image, volume, volumev3)',
    );
    expect(err).toMatchObject({ serviceType: "placement", region: "RegionOne", endpointInterface: "public" });
  });

  it("a service missing in one region or interface says where it does exist", () => {
    expect(() => multi.endpoint("compute", { region: "RegionThree" })).toThrow(
      'No public "compute" endpoint in region "RegionThree": "compute" endpoints exist only as: public@RegionOne, internal@RegionOne, public@RegionTwo',
    );
    expect(() => multi.endpoint("compute", { interface: "admin" })).toThrow(/^No admin "compute" endpoint:/);
    expect(() => multi.endpoint("block-storage", { region: "RegionTwo" })).toThrow(
      /^No public "block-storage" endpoint \(also tried volumev3, volumev2, volume, block-store\) in region "RegionTwo"/,
    );
  });

  it("has() and regions()", () => {
    expect(multi.has("compute", { region: "RegionTwo" })).toBe(true);
    expect(multi.has("image", { region: "RegionTwo" })).toBe(false);
    expect(multi.regions()).toEqual(["RegionOne", "RegionTwo"]);
  });
});

describe("version suffixes of catalog URLs", () => {
  it.each([
    [compute, "http://h:8774/v2.1", "http://h:8774/v2.1"],
    [compute, "http://h:8774/v2.1/", "http://h:8774/v2.1"],
    [compute, "http://h:8774/v2.1/p-1", "http://h:8774/v2.1/p-1"],
    [compute, "http://h:8774", "http://h:8774/v2.1"],
    [compute, "https://cloud.example/compute/", "https://cloud.example/compute/v2.1"],
    [image, "http://h:9292", "http://h:9292/v2"],
    [image, "http://h:9292/v2/", "http://h:9292/v2"],
    [image, "https://cloud.example/image", "https://cloud.example/image/v2"],
    [network, "http://h:9696/", "http://h:9696/v2.0"],
    [network, "http://h:9696/v2.0", "http://h:9696/v2.0"],
    [placement, "http://h:8778/", "http://h:8778"],
    [blockStorage, "http://h:8776/v3/p-1", "http://h:8776/v3/p-1"],
    [blockStorage, "http://h:8776/v3", "http://h:8776/v3/p-1"],
    [blockStorage, "http://h:8776/", "http://h:8776/v3/p-1"],
  ])("%# %s → %s", (spec, url, root) => {
    expect(spec.apiRoot(url, "p-1")).toBe(root);
  });

  it("Nova's version document sits at /v2.1 even when the endpoint carries a project", () => {
    expect(compute.microversion?.versionDocument("http://h:8774/v2.1/p-1")).toBe("http://h:8774/v2.1");
    expect(compute.microversion?.versionDocument("http://h:8774/v2.1")).toBe("http://h:8774/v2.1");
  });
});
