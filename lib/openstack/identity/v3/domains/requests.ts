import { z } from "zod";

import { onlyOne } from "../../../core/lookup";
import type { ServiceClient } from "../../../core/service-client";
import { domainSchema, type Domain, type ListDomainsOptions } from "./types";
import { domainsUrl, domainUrl } from "./urls";

/** Lists domains. GET /v3/domains */
export async function listDomains(sc: ServiceClient, opts: ListDomainsOptions = {}): Promise<Domain[]> {
  const body = await sc.getJson(domainsUrl(), z.object({ domains: z.array(domainSchema) }), {
    query: { name: opts.name, enabled: opts.enabled },
  });
  return body.domains;
}

/** Gets one domain. GET /v3/domains/{id} */
export async function getDomain(sc: ServiceClient, id: string): Promise<Domain> {
  return (await sc.getJson(domainUrl(id), z.object({ domain: domainSchema }))).domain;
}

/** Finds a domain by its name, or null. GET /v3/domains?name= */
export async function findDomainByName(sc: ServiceClient, name: string): Promise<Domain | null> {
  return onlyOne(await listDomains(sc, { name }), "domain", name);
}
