import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { createClient, type OpenStackClient } from "../client";
import { FakeCloud, type SeenRequest } from "../testing/fake-cloud";
import { OpenStackResponseError } from "./errors";

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

/** Serves `items` in pages of `limit` after `marker`, letting `link` describe the next page. */
function pager<T extends { id: string }>(
  items: T[],
  key: string,
  link: (next: URLSearchParams, req: SeenRequest) => Record<string, unknown>,
) {
  return (req: SeenRequest) => {
    const limit = Number(req.query.get("limit") ?? 1000);
    const marker = req.query.get("marker");
    const start = marker ? items.findIndex((i) => i.id === marker) + 1 : 0;
    const page = items.slice(start, start + limit);
    const body: Record<string, unknown> = { [key]: page };
    if (page.length === limit) {
      const next = new URLSearchParams(req.query);
      next.set("marker", page[page.length - 1].id);
      Object.assign(body, link(next, req));
    }
    return { json: body };
  };
}

const markers = (reqs: SeenRequest[]) => reqs.map((r) => r.query.get("marker"));

describe("Nova *_links", () => {
  const servers = ["s1", "s2", "s3", "s4", "s5"].map((id) => ({ id, name: id, status: "ACTIVE" }));

  it("follows rel=next using only its query, even when the link names another host", async () => {
    fake.on(
      "GET",
      "/compute/v2.1/servers/detail",
      pager(servers, "servers", (next) => ({
        servers_links: [{ rel: "next", href: `http://nova-internal.example:8774/v2.1/servers/detail?${next}` }],
      })),
    );
    const pages: string[][] = [];
    for await (const page of os.compute.servers.pages({ allTenants: true, limit: 2 })) pages.push(page.map((s) => s.id));
    expect(pages).toEqual([["s1", "s2"], ["s3", "s4"], ["s5"]]);
    const seen = fake.seen("GET", "/compute/v2.1/servers/detail");
    expect(markers(seen)).toEqual([null, "s2", "s4"]);
    expect(seen.every((r) => r.query.get("all_tenants") === "1" && r.query.get("limit") === "2")).toBe(true);
  });

  it("list() collects every page", async () => {
    fake.on(
      "GET",
      "/compute/v2.1/flavors/detail",
      pager(
        ["f1", "f2", "f3"].map((id) => ({ id, name: id, vcpus: 1, ram: 64, disk: 1 })),
        "flavors",
        (next) => ({ flavors_links: [{ rel: "next", href: `${fake.url}/compute/v2.1/flavors/detail?${next}` }] }),
      ),
    );
    expect((await os.compute.flavors.list({ limit: 1 })).map((f) => f.id)).toEqual(["f1", "f2", "f3"]);
    expect(markers(fake.seen("GET", "/compute/v2.1/flavors/detail"))).toEqual([null, "f1", "f2", "f3"]);
    expect(fake.seen("GET", "/compute/v2.1/flavors/detail")[0].query.get("is_public")).toBe("None");
  });
});

describe("Neutron *_links", () => {
  it("keeps the filters on every page and ignores rel=previous", async () => {
    const nets = ["n1", "n2", "n3"].map((id) => ({ id, name: id, "router:external": true }));
    fake.on(
      "GET",
      "/network/v2.0/networks",
      pager(nets, "networks", (next) => ({
        networks_links: [
          { rel: "next", href: `${fake.url}/v2.0/networks?limit=2&marker=${next.get("marker")}` },
          { rel: "previous", href: `${fake.url}/v2.0/networks?limit=2&marker=n1&page_reverse=True` },
        ],
      })),
    );
    const found = await os.network.networks.list({ routerExternal: true, limit: 2 });
    expect(found.map((n) => [n.id, n.routerExternal])).toEqual([
      ["n1", true],
      ["n2", true],
      ["n3", true],
    ]);
    const seen = fake.seen("GET", "/network/v2.0/networks");
    expect(seen.map((r) => r.query.get("router:external"))).toEqual(["true", "true"]);
    expect(seen.map((r) => r.query.get("page_reverse"))).toEqual([null, null]);
  });
});

describe("Glance next", () => {
  const images = ["i1", "i2", "i3", "i4"].map((id) => ({ id, name: id, status: "active", created_at: "2026-01-01T00:00:00Z" }));

  it("follows the relative next link and stops at the empty page", async () => {
    fake.on("GET", "/image/v2/images", pager(images, "images", (next) => ({ next: `/v2/images?${next}` })));
    const pages: number[] = [];
    for await (const page of os.image.images.pages({ limit: 2, status: "active" })) pages.push(page.length);
    expect(pages).toEqual([2, 2]);
    const seen = fake.seen("GET", "/image/v2/images");
    expect(markers(seen)).toEqual([null, "i2", "i4"]);
    expect(seen.every((r) => r.query.get("status") === "active")).toBe(true);
  });

  it("streams: stopping after the first page fetches nothing more", async () => {
    fake.on("GET", "/image/v2/images", pager(images, "images", (next) => ({ next: `/v2/images?${next}` })));
    for await (const page of os.image.images.pages({ limit: 2 })) {
      expect(page).toHaveLength(2);
      break;
    }
    expect(fake.seen("GET", "/image/v2/images")).toHaveLength(1);
  });

  it("a next link that repeats itself is an error, not an endless loop", async () => {
    fake.on("GET", "/image/v2/images", { json: { images: [images[0]], next: "/v2/images?marker=i1" } });
    await expect(os.image.images.list()).rejects.toBeInstanceOf(OpenStackResponseError);
    expect(fake.seen("GET", "/image/v2/images")).toHaveLength(2);
  });
});

describe("Keystone links.next", () => {
  it("follows links.next when a deployment paginates", async () => {
    const projects = ["p1", "p2", "p3"].map((id) => ({ id, name: id, domain_id: "default" }));
    fake.on(
      "GET",
      "/identity/v3/projects",
      pager(projects, "projects", (next) => ({ links: { next: `${fake.url}/identity/v3/projects?${next}`, previous: null } })),
    );
    expect((await os.identity.projects.list({ limit: 2 })).map((p) => p.id)).toEqual(["p1", "p2", "p3"]);
    expect(markers(fake.seen("GET", "/identity/v3/projects"))).toEqual([null, "p2"]);
  });
});

describe("Placement has no pagination", () => {
  it("returns the single answer, with the placement microversion header", async () => {
    fake.on("GET", "/placement/resource_providers", {
      json: { resource_providers: [{ uuid: "rp1", name: "host1", generation: 3 }] },
    });
    expect((await os.placement.resourceProviders.list()).map((p) => p.name)).toEqual(["host1"]);
    const [req] = fake.seen("GET", "/placement/resource_providers");
    expect(req.headers["openstack-api-version"]).toBe("placement 1.39");
  });
});
