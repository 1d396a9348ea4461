import { UnsafeTextError } from "./dns-name";
// Keystone federation (OS-FEDERATION): the provider setting "users sign in to this cloud through
// identity provider <idp> with protocol <protocol>", the id checks done before an id goes into a
// URL or a generated file, and the check that a mapping's rules put users in the account domain.

/**
 * Keystone identity-provider, protocol and mapping ids: letters, digits, "-", "_" and "." (what
 * Keystone's own id_string and the ids used by EGI/NERC-style clouds need), 1–64 characters.
 * Anything else (a "/", "?", space or line break) is refused before it reaches a URL or a file.
 */
export const KEYSTONE_FEDERATION_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function isFederationId(value: string): boolean {
  return KEYSTONE_FEDERATION_ID.test(value) && value !== "." && value !== "..";
}

export class FederationIdError extends UnsafeTextError {}

/** The id itself when valid; otherwise a FederationIdError that says which id and why. */
export function federationId(value: string, what: string): string {
  if (!isFederationId(value)) {
    throw new FederationIdError(`${what} "${value.slice(0, 80)}" is not a Keystone id: use 1–64 letters, digits, ".", "_" or "-".`);
  }
  return value;
}

/** The stored setting (cloud_config.user.federation). */
export type FederationSetting = { idp: string; protocol: string };

/** Reads the stored setting; anything that does not validate reads as "not federated". */
export function readFederation(raw: unknown): FederationSetting | undefined {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return undefined;
  const r = raw as Record<string, unknown>;
  const idp = typeof r.idp === "string" ? r.idp.trim() : "";
  const protocol = typeof r.protocol === "string" ? r.protocol.trim() : "";
  if (!isFederationId(idp) || !isFederationId(protocol)) return undefined;
  return { idp, protocol };
}

/**
 * The unique_id of a portal user's federated Keystone user. Keystone sets a shadow user's
 * unique_id from the mapped `user.id` (or, without one, from `user.name`); Cloudport's mappings
 * map the IdP's username claim there, so the unique id is the portal username. It is the only
 * key a federated user is looked up by: never the name.
 */
export function federatedUniqueId(username: string): string {
  return username;
}

// ---------------------------------------------------------------------------
// mapping rules → the domain users land in
// ---------------------------------------------------------------------------

export type DomainRef = { id: string; name: string };

type MappingRule = { local?: unknown; remote?: unknown };

const rec = (v: unknown): Record<string, unknown> | null => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

/** What a mapping's domain reference names: { id } or { name }, or null if it names none. */
function domainOf(v: unknown): { id?: string; name?: string } | null {
  const d = rec(v);
  if (!d) return null;
  const id = typeof d.id === "string" ? d.id : undefined;
  const name = typeof d.name === "string" ? d.name : undefined;
  return id || name ? { id, name } : null;
}

export type MappingDomainCheck = { ok: true } | { ok: false; problems: string[] };

/**
 * Whether every rule of a mapping that makes a user puts that user in the account domain.
 * A rule's user goes to `user.domain` if it has one, else to a `domain` entry of the same
 * rule's local list, else (Keystone's default) to the identity provider's own domain.
 * A rule with `user.type: "local"` maps onto an existing local user, which federation
 * provisioning must never do: it is refused.
 */
export function checkMappingDomain(rules: unknown, account: DomainRef, idpDomainId: string | null): MappingDomainCheck {
  const problems: string[] = [];
  const list = Array.isArray(rules) ? (rules as MappingRule[]) : [];
  let users = 0;
  const matches = (d: { id?: string; name?: string }) =>
    (d.id !== undefined && d.id === account.id) || (d.id === undefined && d.name !== undefined && d.name === account.name);
  list.forEach((rule, i) => {
    const local = Array.isArray(rule?.local) ? rule.local : [];
    const sibling = local.map((l) => domainOf(rec(l)?.domain)).find(Boolean) ?? null;
    for (const entry of local) {
      const user = rec(rec(entry)?.user);
      if (!user) continue;
      users++;
      if (user.type === "local") {
        problems.push(`Rule ${i + 1} maps onto existing local users (type "local"): federated accounts need ephemeral users.`);
        continue;
      }
      const d = domainOf(user.domain) ?? sibling ?? (idpDomainId ? { id: idpDomainId } : null);
      if (!d) {
        problems.push(`Rule ${i + 1} names no domain for its users and the identity provider has none.`);
      } else if (!matches(d)) {
        const where = d.id !== undefined ? `domain id "${d.id}"` : `domain "${d.name}"`;
        problems.push(`Rule ${i + 1} puts users in ${where}, not in the account domain "${account.name}" (${account.id}).`);
      }
    }
  });
  if (users === 0) problems.push("The mapping has no rule that makes a user.");
  return problems.length ? { ok: false, problems } : { ok: true };
}
