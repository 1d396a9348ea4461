// The part of the OpenStack client the importers use. Declared structurally so the database
// tests can feed pages from a small fake, and so scripts run under tsx without "server-only".
import type { Flavor, ListFlavorsOptions } from "@/lib/openstack/compute/v2/flavors/types";
import type { ListServersOptions, Server } from "@/lib/openstack/compute/v2/servers/types";
import type { Image, ListImagesOptions } from "@/lib/openstack/image/v2/images/types";
import type { ImageMember } from "@/lib/openstack/image/v2/members/types";
import type { ListVolumesOptions, Volume } from "@/lib/openstack/blockstorage/v3/volumes/types";

export type { Flavor, Image, ImageMember, Server, Volume };

export interface ImportClient {
  compute: {
    flavors: {
      pages(opts?: ListFlavorsOptions): AsyncIterable<Flavor[]>;
      extraSpecs(id: string): Promise<Record<string, string>>;
    };
    servers: { pages(opts?: ListServersOptions): AsyncIterable<Server[]> };
  };
  image: {
    images: { pages(opts?: ListImagesOptions): AsyncIterable<Image[]> };
    members: { list(imageId: string): Promise<ImageMember[]> };
  };
  blockStorage: { volumes: { pages(opts?: ListVolumesOptions): AsyncIterable<Volume[]> } };
  /** Whether the catalog offers a service type (a cloud without Cinder has no volumes to import). */
  hasService(type: string): boolean;
}
