// Raw admin calls the typed client leaves out (flavor create/delete, image data upload), for the
// imports integration tests. Test code only (no "server-only").
import type { ClientOptions } from "@/lib/openstack/client";
import { discoverIdentity, issueToken, Session } from "@/lib/openstack/core/auth";
import { isStatus } from "@/lib/openstack/core/errors";
import { HttpTransport } from "@/lib/openstack/core/http";
import { Redactor } from "@/lib/openstack/core/redact";
import { ServiceClient } from "@/lib/openstack/core/service-client";
import * as services from "@/lib/openstack/core/services";
import type { ImportClient } from "../client";

export type RawAdmin = { nova: ServiceClient; glance: ServiceClient; close: () => Promise<void> };

/** Nova and Glance service clients on their own admin session. Close it when done. */
export async function openRawAdmin(options: ClientOptions): Promise<RawAdmin> {
  const redactor = new Redactor();
  if (options.auth.type === "password") redactor.add(options.auth.password);
  const transport = new HttpTransport(redactor, options);
  try {
    const identity = await discoverIdentity(transport, options.authUrl);
    const token = await issueToken(transport, identity.url, options.auth);
    const session = new Session(transport, identity, options.auth, token, 120_000);
    const query = { interface: options.interface ?? "public", region: options.region ?? null };
    return {
      nova: new ServiceClient(session, services.compute, query),
      glance: new ServiceClient(session, services.image, query),
      close: () => transport.close(),
    };
  } catch (error) {
    await transport.close();
    throw error;
  }
}

/** A private flavor usable by one project. Returns its id. POST /flavors, POST /flavors/{id}/action */
export async function createPrivateFlavor(nova: ServiceClient, name: string, projectId: string): Promise<string> {
  const res = await nova.request("POST", "/flavors", {
    json: { flavor: { name, vcpus: 1, ram: 64, disk: 1, "os-flavor-access:is_public": false } },
  });
  const id = (res.body as { flavor: { id: string } }).flavor.id;
  await nova.request("POST", `/flavors/${id}/action`, { json: { addTenantAccess: { tenant: projectId } } });
  return id;
}

/** DELETE /flavors/{id}; already gone is fine. */
export async function deleteFlavor(nova: ServiceClient, id: string): Promise<void> {
  try {
    await nova.request("DELETE", `/flavors/${id}`);
  } catch (error) {
    if (!isStatus(error, 404)) throw error;
  }
}

/**
 * Uploads image data, which makes a queued image active. PUT /v2/images/{id}/file
 * (octet-stream: the client's transport only sends JSON bodies, so this one uses fetch).
 */
export async function uploadImageData(glance: ServiceClient, imageId: string, data: string): Promise<void> {
  const token = await glance.session.valid();
  const res = await fetch(`${glance.apiRoot(token)}/images/${encodeURIComponent(imageId)}/file`, {
    method: "PUT",
    headers: { "X-Auth-Token": token.reveal(), "Content-Type": "application/octet-stream" },
    body: data,
  });
  if (!res.ok) throw new Error(`Glance refused the upload of ${imageId}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
}

/** The client with an image listing that fails after `pages` pages, as a Glance going away mid-run would. */
export function failingImageListing(client: ImportClient, pages: number): ImportClient {
  return {
    ...client,
    image: {
      members: client.image.members,
      images: {
        async *pages(opts) {
          let n = 0;
          for await (const page of client.image.images.pages(opts)) {
            if (n++ >= pages) throw new Error("Glance went away in the middle of the listing (test)");
            yield page;
          }
        },
      },
    },
  };
}
