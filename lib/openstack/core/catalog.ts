import { z } from "zod";

import { OpenStackCatalogError } from "./errors";

export type EndpointInterface = "public" | "internal" | "admin";

export const catalogSchema = z.array(
  z.looseObject({
    type: z.string(),
    name: z.string().nullish(),
    id: z.string().nullish(),
    endpoints: z.array(
      z.looseObject({
        id: z.string().nullish(),
        interface: z.string(),
        region: z.string().nullish(),
        region_id: z.string().nullish(),
        url: z.string(),
      }),
    ),
  }),
);

export interface CatalogEntry {
  serviceType: string;
  serviceName: string | null;
  serviceId: string | null;
  endpointId: string | null;
  interface: string;
  region: string | null;
  /** URL with `%(project_id)s`-style placeholders replaced by the token's project. */
  url: string;
  /** URL exactly as registered. */
  rawUrl: string;
}

export interface EndpointQuery {
  interface?: EndpointInterface | `${EndpointInterface}URL`;
  region?: string | null;
}

/**
 * Groups of service types that name the same API, official name first (from the
 * service-types-authority). Clouds register either, or both, e.g. volumev3 and block-storage.
 */
const ALIAS_GROUPS: readonly (readonly string[])[] = [
  ["block-storage", "volumev3", "volumev2", "volume", "block-store"],
  ["compute"],
  ["image"],
  ["network"],
  ["placement"],
  ["identity"],
  ["object-store"],
  ["orchestration"],
  ["load-balancer"],
  ["dns"],
  ["key-manager"],
  ["shared-file-system", "sharev2", "share"],
];

/** Every type that may stand for the given one, the requested type first. */
export function serviceTypeAliases(type: string): string[] {
  const group = ALIAS_GROUPS.find((g) => g.includes(type));
  return group ? [type, ...group.filter((t) => t !== type)] : [type];
}

const PLACEHOLDER = /[%$]\((?:tenant_id|project_id)\)s/g;

/** The service catalog of a token, with endpoint lookup by type (and aliases), interface and region. */
export class Catalog {
  readonly #entries: CatalogEntry[];

  constructor(raw: z.output<typeof catalogSchema>, projectId: string | null) {
    this.#entries = raw.flatMap((service) =>
      service.endpoints.map((ep) => ({
        serviceType: service.type,
        serviceName: service.name ?? null,
        serviceId: service.id ?? null,
        endpointId: ep.id ?? null,
        interface: normaliseInterface(ep.interface),
        region: ep.region_id ?? ep.region ?? null,
        url: projectId ? ep.url.replace(PLACEHOLDER, projectId) : ep.url,
        rawUrl: ep.url,
      })),
    );
  }

  /** Every service × endpoint in the catalog (for the endpoint audit). */
  entries(): CatalogEntry[] {
    return this.#entries.map((e) => ({ ...e }));
  }

  /** The distinct service types present. */
  serviceTypes(): string[] {
    return [...new Set(this.#entries.map((e) => e.serviceType))];
  }

  /** The distinct regions present. */
  regions(): string[] {
    return [...new Set(this.#entries.map((e) => e.region).filter((r): r is string => !!r))];
  }

  /** The matching endpoint, or undefined. Aliases are tried in order; the first region wins when none is given. */
  find(type: string, query: EndpointQuery = {}): CatalogEntry | undefined {
    const iface = normaliseInterface(query.interface ?? "public");
    for (const candidate of serviceTypeAliases(type)) {
      const match = this.#entries.find(
        (e) =>
          e.serviceType === candidate && e.interface === iface && (!query.region || e.region === query.region),
      );
      if (match) return { ...match };
    }
    return undefined;
  }

  /** Whether an endpoint of this type exists for the interface and region. */
  has(type: string, query: EndpointQuery = {}): boolean {
    return this.find(type, query) !== undefined;
  }

  /** The matching endpoint; throws an error naming the type, interface and region otherwise. */
  endpoint(type: string, query: EndpointQuery = {}): CatalogEntry {
    const found = this.find(type, query);
    if (found) return found;
    const iface = normaliseInterface(query.interface ?? "public");
    const region = query.region ?? null;
    const aliases = serviceTypeAliases(type);
    const ofType = this.#entries.filter((e) => aliases.includes(e.serviceType));
    const where = region ? ` in region "${region}"` : "";
    let detail: string;
    if (ofType.length === 0) {
      const present = this.serviceTypes().sort().join(", ") || "nothing";
      detail = `the catalog has no "${type}" service at all (it has: ${present})`;
    } else {
      const seen = [...new Set(ofType.map((e) => `${e.interface}@${e.region ?? "no region"}`))].join(", ");
      detail = `"${type}" endpoints exist only as: ${seen}`;
    }
    const tried = aliases.length > 1 ? ` (also tried ${aliases.slice(1).join(", ")})` : "";
    throw new OpenStackCatalogError(
      `No ${iface} "${type}" endpoint${tried}${where}: ${detail}`,
      type,
      region,
      iface,
    );
  }
}

/** Keystone v2-era names (`publicURL`) still appear in openrc files. */
function normaliseInterface(value: string): EndpointInterface {
  return value.replace(/URL$/, "") as EndpointInterface;
}
