import { z } from "zod";

import type { ServiceClient } from "../../../core/service-client";
import { userSchema, type User } from "../users/types";
import {
  identityProviderSchema,
  mappingSchema,
  protocolSchema,
  type CreateIdentityProviderOptions,
  type FederationProtocol,
  type IdentityProvider,
  type Mapping,
} from "./types";
import { idpsUrl, idpUrl, mappingsUrl, mappingUrl, protocolsUrl, protocolUrl } from "./urls";
import { usersUrl, userUrl } from "../users/urls";
import { federationId } from "@/lib/domain/federation";

const idps = z.object({ identity_providers: z.array(identityProviderSchema) });
const idp = z.object({ identity_provider: identityProviderSchema });
const protocols = z.object({ protocols: z.array(protocolSchema) });
const protocol = z.object({ protocol: protocolSchema });
const mappings = z.object({ mappings: z.array(mappingSchema) });
const mapping = z.object({ mapping: mappingSchema });
const users = z.object({ users: z.array(userSchema) });
const user = z.object({ user: userSchema });

/** GET /v3/OS-FEDERATION/identity_providers */
export async function listIdentityProviders(sc: ServiceClient): Promise<IdentityProvider[]> {
  return (await sc.getJson(idpsUrl(), idps)).identity_providers;
}

/** GET /v3/OS-FEDERATION/identity_providers/{idp} */
export async function getIdentityProvider(sc: ServiceClient, id: string): Promise<IdentityProvider> {
  return (await sc.getJson(idpUrl(id), idp)).identity_provider;
}

/** PUT /v3/OS-FEDERATION/identity_providers/{idp} */
export async function createIdentityProvider(sc: ServiceClient, opts: CreateIdentityProviderOptions): Promise<IdentityProvider> {
  const res = await sc.request("PUT", idpUrl(opts.id), {
    json: {
      identity_provider: {
        enabled: opts.enabled ?? true,
        description: opts.description,
        domain_id: opts.domainId,
        remote_ids: opts.remoteIds,
      },
    },
  });
  return sc.parse(idp, res).identity_provider;
}

/** DELETE /v3/OS-FEDERATION/identity_providers/{idp} (its protocols go with it) */
export async function deleteIdentityProvider(sc: ServiceClient, id: string): Promise<void> {
  await sc.request("DELETE", idpUrl(id));
}

/** GET /v3/OS-FEDERATION/identity_providers/{idp}/protocols */
export async function listProtocols(sc: ServiceClient, idpId: string): Promise<FederationProtocol[]> {
  return (await sc.getJson(protocolsUrl(idpId), protocols)).protocols;
}

/** GET /v3/OS-FEDERATION/identity_providers/{idp}/protocols/{protocol} */
export async function getProtocol(sc: ServiceClient, idpId: string, id: string): Promise<FederationProtocol> {
  return (await sc.getJson(protocolUrl(idpId, id), protocol)).protocol;
}

/** PUT /v3/OS-FEDERATION/identity_providers/{idp}/protocols/{protocol} */
export async function createProtocol(sc: ServiceClient, idpId: string, id: string, mappingId: string): Promise<FederationProtocol> {
  const res = await sc.request("PUT", protocolUrl(idpId, id), { json: { protocol: { mapping_id: federationId(mappingId, "The mapping id") } } });
  return sc.parse(protocol, res).protocol;
}

/** DELETE /v3/OS-FEDERATION/identity_providers/{idp}/protocols/{protocol} */
export async function deleteProtocol(sc: ServiceClient, idpId: string, id: string): Promise<void> {
  await sc.request("DELETE", protocolUrl(idpId, id));
}

/** GET /v3/OS-FEDERATION/mappings */
export async function listMappings(sc: ServiceClient): Promise<Mapping[]> {
  return (await sc.getJson(mappingsUrl(), mappings)).mappings;
}

/** GET /v3/OS-FEDERATION/mappings/{id} */
export async function getMapping(sc: ServiceClient, id: string): Promise<Mapping> {
  return (await sc.getJson(mappingUrl(id), mapping)).mapping;
}

/** PUT /v3/OS-FEDERATION/mappings/{id} */
export async function createMapping(sc: ServiceClient, id: string, rules: unknown[]): Promise<Mapping> {
  const res = await sc.request("PUT", mappingUrl(id), { json: { mapping: { rules } } });
  return sc.parse(mapping, res).mapping;
}

/** DELETE /v3/OS-FEDERATION/mappings/{id} */
export async function deleteMapping(sc: ServiceClient, id: string): Promise<void> {
  await sc.request("DELETE", mappingUrl(id));
}

export type FederatedUserOptions = {
  name: string;
  domainId: string;
  idpId: string;
  protocolId: string;
  uniqueId: string;
  description?: string;
  defaultProjectId?: string;
};

/** Creates a federated (shadow) user with no password. POST /v3/users with `federated` */
export async function createFederatedUser(sc: ServiceClient, opts: FederatedUserOptions): Promise<User> {
  const res = await sc.request("POST", usersUrl(), {
    json: {
      user: {
        name: opts.name,
        domain_id: opts.domainId,
        description: opts.description,
        default_project_id: opts.defaultProjectId,
        federated: [
          {
            idp_id: federationId(opts.idpId, "The identity provider id"),
            protocols: [{ protocol_id: federationId(opts.protocolId, "The protocol id"), unique_id: opts.uniqueId }],
          },
        ],
      },
    },
  });
  return sc.parse(user, res).user;
}

/**
 * The federated users of an identity provider and protocol with this unique id. GET
 * /v3/users?unique_id=…&idp_id=…&protocol_id=… — Keystone filters on the federated_user table,
 * so a local user of the same name never appears here. Results are checked again against the
 * user's `federated` list (an older Keystone that ignored the filters would return every user).
 * Never falls back to a name.
 */
export async function findFederatedUsers(sc: ServiceClient, ref: { idpId: string; protocolId: string; uniqueId: string }): Promise<User[]> {
  const query = {
    unique_id: ref.uniqueId,
    idp_id: federationId(ref.idpId, "The identity provider id"),
    protocol_id: federationId(ref.protocolId, "The protocol id"),
  };
  const listed = (await sc.getJson(usersUrl(), users, { query })).users;
  // The list leaves the `federated` attribute out: each hit is read again by id and kept only
  // if Keystone says it is federated as asked.
  const full = await Promise.all(listed.map(async (u) => (await sc.getJson(userUrl(u.id), user)).user));
  return full.filter((u) => isFederatedAs(u, ref));
}

/** Whether a user (as Keystone returns it) is federated through this idp/protocol with this unique id. */
export function isFederatedAs(u: Pick<User, "raw">, ref: { idpId: string; protocolId: string; uniqueId: string }): boolean {
  const fed = (u.raw as { federated?: unknown }).federated;
  if (!Array.isArray(fed)) return false;
  return fed.some(
    (f: { idp_id?: unknown; protocols?: unknown }) =>
      f?.idp_id === ref.idpId &&
      Array.isArray(f.protocols) &&
      f.protocols.some((p: { protocol_id?: unknown; unique_id?: unknown }) => p?.protocol_id === ref.protocolId && p?.unique_id === ref.uniqueId),
  );
}
