import { ActionError } from "@/lib/actions/errors";
import type { ClientOptions, OpenStackClient } from "@/lib/openstack/client";
import { isStatus } from "@/lib/openstack/core/errors";
import { checkMappingDomain, type DomainRef, type FederationSetting, type MappingDomainCheck } from "@/lib/domain/federation";
import type { FederationProtocol, IdentityProvider, Mapping } from "@/lib/openstack/identity/v3/federation/types";

// What Keystone's OS-FEDERATION API says about a provider's federation setting: its identity
// providers, the chosen one's protocols and the mappings, and whether the chosen protocol's
// mapping puts users in the account domain. Used by the provider page and by provisioning.

export type FederationOverview = {
  identityProviders: IdentityProvider[];
  protocols: FederationProtocol[];
  mappings: Mapping[];
  /** Null when there is no setting or a part of it is missing (see `problem`). */
  check: MappingDomainCheck | null;
  /** What is wrong with the setting, in words a person can act on. */
  problem: string | null;
};

export async function federationOverview(client: OpenStackClient, setting: FederationSetting | null, account: DomainRef): Promise<FederationOverview> {
  const fed = client.identity.federation;
  const [identityProviders, mappings] = await Promise.all([fed.listIdentityProviders(), fed.listMappings()]);
  const out: FederationOverview = { identityProviders, protocols: [], mappings, check: null, problem: null };
  if (!setting) return out;
  const idp = identityProviders.find((p) => p.id === setting.idp);
  if (!idp) return { ...out, problem: `Keystone has no identity provider "${setting.idp}".` };
  out.protocols = await fed.listProtocols(idp.id);
  const protocol = out.protocols.find((p) => p.id === setting.protocol);
  if (!protocol) return { ...out, problem: `Identity provider "${idp.id}" has no protocol "${setting.protocol}".` };
  const mapping = mappings.find((m) => m.id === protocol.mappingId);
  if (!mapping) return { ...out, problem: `Protocol "${protocol.id}" uses mapping "${protocol.mappingId}", which Keystone does not list.` };
  out.check = checkMappingDomain(mapping.rules, account, idp.domainId);
  if (!out.check.ok) {
    out.problem = `Mapping "${mapping.id}" does not put users in the account domain: ${out.check.problems.join(" ")}`;
  } else if (!idp.enabled) {
    out.problem = `Identity provider "${idp.id}" is disabled in Keystone.`;
  }
  return out;
}

/**
 * Refuses a federation setting Keystone cannot honour: the account domain must exist, and the
 * identity provider, its protocol and the protocol's mapping too, the mapping putting users in
 * that domain. The wizard's accounts step and the edit form both call it.
 */
export async function checkFederationSetting(client: OpenStackClient, domain: string, setting: FederationSetting): Promise<void> {
  const domains = await client.identity.domains.list();
  const d = domains.find((x) => x.id === domain || x.name === domain);
  if (!d) throw new ActionError("invalid_input", `Keystone has no domain "${domain}".`, { domain: [`Keystone has no domain "${domain}".`] });
  const overview = await federationOverview(client, setting, { id: d.id, name: d.name });
  if (overview.problem) {
    const message = `Keystone federation: ${overview.problem}`;
    throw new ActionError("invalid_input", message, { federationIdp: [message] });
  }
}

/** checkFederationSetting through a client opened with `options` (and closed again). */
export type FederationCheck = (options: ClientOptions, domain: string, setting: FederationSetting) => Promise<void>;

/** Whether Keystone has the OS-FEDERATION API at all (404 when the extension is off). */
export async function hasFederationApi(client: OpenStackClient): Promise<boolean> {
  try {
    await client.identity.federation.listIdentityProviders();
    return true;
  } catch (e) {
    if (isStatus(e, 404)) return false;
    throw e;
  }
}

/** Every identity provider × protocol Keystone has, each with its mapping check against the account domain. */
export async function federationChoices(
  client: OpenStackClient,
  account: DomainRef,
): Promise<Array<{ idp: string; protocol: string; mapping: string; problem: string | null }>> {
  const overview = await federationOverview(client, null, account);
  const out: Array<{ idp: string; protocol: string; mapping: string; problem: string | null }> = [];
  for (const idp of overview.identityProviders.slice(0, 50)) {
    for (const protocol of await client.identity.federation.listProtocols(idp.id)) {
      const mapping = overview.mappings.find((m) => m.id === protocol.mappingId);
      const check = mapping ? checkMappingDomain(mapping.rules, account, idp.domainId) : null;
      out.push({
        idp: idp.id,
        protocol: protocol.id,
        mapping: protocol.mappingId,
        problem: !mapping ? `mapping ${protocol.mappingId} not found` : check && !check.ok ? check.problems.join(" ") : null,
      });
    }
  }
  return out;
}
