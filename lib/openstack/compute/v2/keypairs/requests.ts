import { z } from "zod";

import { collect, paginate } from "../../../core/pagination";
import type { ServiceClient } from "../../../core/service-client";
import { keypairListItemSchema, keypairSchema, type CreateKeypairOptions, type Keypair } from "./types";
import { keypairsUrl, keypairUrl } from "./urls";

/** Lists the current user's key pairs page by page. GET /v2.1/os-keypairs */
export function keypairPages(sc: ServiceClient, opts: { limit?: number } = {}): AsyncGenerator<Keypair[]> {
  return paginate(sc, {
    path: keypairsUrl(),
    itemsKey: "keypairs",
    item: keypairListItemSchema,
    query: { limit: opts.limit },
  });
}

/** Lists the current user's key pairs. GET /v2.1/os-keypairs */
export function listKeypairs(sc: ServiceClient, opts: { limit?: number } = {}): Promise<Keypair[]> {
  return collect(keypairPages(sc, opts));
}

/** Gets one key pair by name. GET /v2.1/os-keypairs/{name} */
export async function getKeypair(sc: ServiceClient, name: string): Promise<Keypair> {
  return (await sc.getJson(keypairUrl(name), z.object({ keypair: keypairSchema }))).keypair;
}

/** Imports a public key, or has Nova generate a pair (privateKey is then set). POST /v2.1/os-keypairs */
export async function createKeypair(
  sc: ServiceClient,
  opts: CreateKeypairOptions,
): Promise<Keypair & { privateKey: string | null }> {
  const res = await sc.request("POST", keypairsUrl(), {
    json: { keypair: { name: opts.name, public_key: opts.publicKey, type: opts.type } },
  });
  const keypair = sc.parse(z.object({ keypair: keypairSchema }), res).keypair;
  return { ...keypair, privateKey: keypair.raw.private_key ?? null };
}

/** Deletes a key pair. DELETE /v2.1/os-keypairs/{name} */
export async function deleteKeypair(sc: ServiceClient, name: string): Promise<void> {
  await sc.request("DELETE", keypairUrl(name));
}
