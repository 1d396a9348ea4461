// A small in-memory cloud for the database tests: shapes a real cloud cannot easily produce on
// demand (flavors disappearing, resizes, images going inactive, listings failing half-way).
import { flavorSchema } from "@/lib/openstack/compute/v2/flavors/types";
import { serverSchema } from "@/lib/openstack/compute/v2/servers/types";
import { imageSchema } from "@/lib/openstack/image/v2/images/types";
import { imageMemberSchema } from "@/lib/openstack/image/v2/members/types";
import { volumeSchema } from "@/lib/openstack/blockstorage/v3/volumes/types";
import type { ProgressUpdate } from "@/lib/jobs/queue";
import type { Flavor, Image, ImageMember, ImportClient, Server, Volume } from "../client";

export type WireFlavor = { id: string; name: string; vcpus?: number; ram?: number; disk?: number; public?: boolean; extraSpecs?: Record<string, string> | null };
export type WireImage = Record<string, unknown> & { id: string; name?: string; status?: string };
export type WireServer = Record<string, unknown> & { id: string; name?: string; status?: string };

export function flavor(f: WireFlavor): Flavor {
  return flavorSchema.parse({
    id: f.id,
    name: f.name,
    vcpus: f.vcpus ?? 1,
    ram: f.ram ?? 512,
    disk: f.disk ?? 1,
    swap: "",
    "OS-FLV-EXT-DATA:ephemeral": 0,
    "os-flavor-access:is_public": f.public ?? true,
    ...(f.extraSpecs === null ? {} : { extra_specs: f.extraSpecs ?? {} }),
  });
}

export function image(i: WireImage): Image {
  return imageSchema.parse({
    status: "active",
    visibility: "public",
    disk_format: "qcow2",
    container_format: "bare",
    created_at: "2024-01-01T00:00:00Z",
    updated_at: "2024-01-02T00:00:00Z",
    size: 1024,
    tags: [],
    ...i,
    name: i.name ?? i.id,
  });
}

export function server(s: WireServer): Server {
  return serverSchema.parse({
    status: "ACTIVE",
    tenant_id: "proj-a",
    created: "2024-03-01T10:00:00Z",
    "OS-SRV-USG:launched_at": "2024-03-01T10:01:00.000000",
    flavor: { original_name: "m1.small", vcpus: 1, ram: 2048, disk: 20 },
    image: { id: "img-1" },
    addresses: { selfservice: [{ addr: "192.0.2.5", version: 4, "OS-EXT-IPS:type": "fixed", "OS-EXT-IPS-MAC:mac_addr": "fa:16:3e:00:00:01" }] },
    "OS-EXT-SRV-ATTR:host": "compute-1",
    "OS-EXT-STS:task_state": null,
    ...s,
    name: s.name ?? s.id,
  });
}

export type WireVolume = Record<string, unknown> & { id: string; name?: string; size?: number };

export function volume(v: WireVolume): Volume {
  return volumeSchema.parse({
    status: "available",
    size: 1,
    volume_type: "lvmdriver-1",
    availability_zone: "nova",
    bootable: "false",
    created_at: "2024-03-01T10:00:00.000000",
    attachments: [],
    "os-vol-tenant-attr:tenant_id": "proj-a",
    ...v,
    name: v.name ?? v.id,
  });
}

export type FakeCloud = {
  flavors: Flavor[];
  images: Image[];
  servers: Server[];
  volumes: Volume[];
  /** Service types the catalog offers (default: all). */
  services?: string[];
  members: Record<string, string[]>;
  /** Items per page the fake hands out (the API's page size is ignored, like a clamping server). */
  pageSize: number;
  /** Throw after this many pages of the next listings, as a dropped connection would. */
  failAfterPages?: number;
  /** Requests made, for assertions ("extraSpecs:f1", "members:img-2", "images?status=active"). */
  calls: string[];
};

async function* pagesOf<T>(cloud: FakeCloud, items: T[]): AsyncGenerator<T[]> {
  // A copy: a test may change the cloud between runs, never during one.
  const all = [...items];
  for (let i = 0, pages = 0; ; i += cloud.pageSize, pages++) {
    if (cloud.failAfterPages !== undefined && pages >= cloud.failAfterPages) throw new Error("connection reset by the fake cloud");
    if (i >= all.length) return;
    yield all.slice(i, i + cloud.pageSize);
  }
}

/** A fake cloud and the client the importers take. */
export function fakeCloud(init: Partial<Omit<FakeCloud, "calls">> = {}): { cloud: FakeCloud; client: ImportClient } {
  const cloud: FakeCloud = { flavors: [], images: [], servers: [], volumes: [], members: {}, pageSize: 2, calls: [], ...init };
  const client: ImportClient = {
    compute: {
      flavors: {
        pages: (opts) => {
          cloud.calls.push(`flavors?visibility=${String(opts?.visibility)}`);
          return pagesOf(cloud, cloud.flavors);
        },
        extraSpecs: async (id) => {
          cloud.calls.push(`extraSpecs:${id}`);
          return { "hw:cpu_policy": "dedicated" };
        },
      },
      servers: {
        pages: (opts) => {
          cloud.calls.push(`servers?allTenants=${String(opts?.allTenants)}`);
          return pagesOf(cloud, cloud.servers);
        },
      },
    },
    image: {
      images: {
        pages: (opts) => {
          // Ignores the status filter on purpose: the importer must filter by itself too.
          cloud.calls.push(`images?status=${opts?.status ?? ""}&visibility=${opts?.visibility ?? ""}`);
          return pagesOf(cloud, cloud.images);
        },
      },
      members: {
        list: async (imageId): Promise<ImageMember[]> => {
          cloud.calls.push(`members:${imageId}`);
          return (cloud.members[imageId] ?? []).map((m) => imageMemberSchema.parse({ member_id: m, image_id: imageId, status: "accepted" }));
        },
      },
    },
    blockStorage: {
      volumes: {
        pages: (opts) => {
          cloud.calls.push(`volumes?allTenants=${String(opts?.allTenants)}`);
          return pagesOf(cloud, cloud.volumes);
        },
      },
    },
    hasService: (type) => !cloud.services || cloud.services.includes(type),
  };
  return { cloud, client };
}

/** Records what an importer reports, in place of a job's progress. */
export function progressRecorder() {
  const updates: ProgressUpdate[] = [];
  const progress = async (u: ProgressUpdate) => {
    updates.push(structuredClone(u));
  };
  return { updates, progress };
}
