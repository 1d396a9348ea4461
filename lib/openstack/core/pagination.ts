import type { z } from "zod";

import { OpenStackResponseError } from "./errors";
import type { Query } from "./http";
import type { CallOptions, ServiceClient } from "./service-client";

export interface PageRequest<S extends z.ZodType> {
  /** Path under the API root, e.g. "/servers/detail". */
  path: string;
  query?: Query;
  /** Key of the item array in the body ("servers", "images", …). */
  itemsKey: string;
  item: S;
  headers?: CallOptions["headers"];
}

/**
 * Walks a collection page by page. The next page is announced three ways, and one
 * detector handles them all: Nova/Neutron/Cinder `<items>_links` with rel=next, Glance's
 * relative `next`, Keystone's `links.next`. Only the link's query (marker, limit, filters)
 * is used, applied to our own endpoint: services behind proxies often put an internal
 * host or the wrong scheme in their links.
 */
export async function* paginate<S extends z.ZodType>(
  sc: ServiceClient,
  req: PageRequest<S>,
): AsyncGenerator<z.output<S>[], void, undefined> {
  let query: Query = { ...req.query };
  const seen = new Set<string>();
  for (;;) {
    const res = await sc.request("GET", req.path, { query, headers: req.headers });
    const body = (res.body ?? {}) as Record<string, unknown>;
    const rawItems = body[req.itemsKey];
    if (!Array.isArray(rawItems)) {
      throw new OpenStackResponseError(`${sc.displayName} answered ${res.url} without a "${req.itemsKey}" list`);
    }
    // Glance announces a next page whenever a page is full, so the last page may be empty.
    if (rawItems.length === 0) return;
    yield rawItems.map((raw, i) =>
      sc.parse(req.item, { ...res, body: raw, url: `${res.url} (${req.itemsKey}[${i}])` }),
    );

    const next = nextLink(body, req.itemsKey);
    if (!next) return;
    const nextQuery = Object.fromEntries(new URL(next, "http://relative.invalid").searchParams);
    const key = JSON.stringify(nextQuery);
    if (seen.has(key)) throw new OpenStackResponseError(`${sc.displayName} pagination loops at ${next}`);
    seen.add(key);
    query = { ...req.query, ...nextQuery };
  }
}

/** Collects every page into one array. */
export async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...page);
  return all;
}

function nextLink(body: Record<string, unknown>, itemsKey: string): string | null {
  const links = body[`${itemsKey}_links`];
  if (Array.isArray(links)) {
    const next = links.find((l) => l && typeof l === "object" && (l as { rel?: unknown }).rel === "next");
    const href = (next as { href?: unknown } | undefined)?.href;
    return typeof href === "string" && href ? href : null;
  }
  if (typeof body.next === "string" && body.next) return body.next;
  const keystone = body.links as { next?: unknown } | undefined;
  return typeof keystone?.next === "string" && keystone.next ? keystone.next : null;
}
