import { z } from "zod";

import { OpenStackResponseError } from "../../../core/errors";
import type { ServiceClient } from "../../../core/service-client";
import {
  applicationCredentialSchema,
  type ApplicationCredential,
  type CreateApplicationCredentialOptions,
  type CreatedApplicationCredential,
} from "./types";
import { applicationCredentialsUrl, applicationCredentialUrl } from "./urls";

const currentUserId = (sc: ServiceClient) => sc.session.current.info.user.id;

/** Lists the current user's application credentials. GET /v3/users/{me}/application_credentials */
export async function listApplicationCredentials(
  sc: ServiceClient,
  opts: { name?: string } = {},
): Promise<ApplicationCredential[]> {
  const body = await sc.getJson(
    applicationCredentialsUrl(currentUserId(sc)),
    z.object({ application_credentials: z.array(applicationCredentialSchema) }),
    { query: { name: opts.name } },
  );
  return body.application_credentials;
}

/** Creates an application credential for the current user and project. POST /v3/users/{me}/application_credentials */
export async function createApplicationCredential(
  sc: ServiceClient,
  opts: CreateApplicationCredentialOptions,
): Promise<CreatedApplicationCredential> {
  const res = await sc.request("POST", applicationCredentialsUrl(currentUserId(sc)), {
    json: {
      application_credential: {
        name: opts.name,
        secret: opts.secret,
        description: opts.description,
        expires_at: opts.expiresAt?.toISOString(),
        roles: opts.roles,
        unrestricted: opts.unrestricted,
      },
    },
  });
  const body = sc.parse(z.object({ application_credential: applicationCredentialSchema }), res);
  const created = body.application_credential;
  const secret = created.raw.secret;
  if (!secret) throw new OpenStackResponseError("Keystone created an application credential but returned no secret");
  return { ...created, secret };
}

/** Deletes one of the current user's application credentials. DELETE /v3/users/{me}/application_credentials/{id} */
export async function deleteApplicationCredential(sc: ServiceClient, id: string): Promise<void> {
  await sc.request("DELETE", applicationCredentialUrl(currentUserId(sc), id));
}

/** One of the current user's application credentials. GET /v3/users/{me}/application_credentials/{id} */
export async function getApplicationCredential(sc: ServiceClient, id: string): Promise<ApplicationCredential> {
  const body = await sc.getJson(
    applicationCredentialUrl(currentUserId(sc), id),
    z.object({ application_credential: applicationCredentialSchema }),
  );
  return body.application_credential;
}
