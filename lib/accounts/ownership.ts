// Which Cloudport provider a Keystone user or project found by name belongs to. Two providers on
// one Keystone derive account passwords from different secrets: the second must not adopt the
// first one's user (it could not give that user a password its owner can log in with).
import { and, eq, isNull, ne } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { identities } from "@/lib/db/schema";
import { accountSecretShared } from "@/lib/providers/connection";

/** The marker Cloudport writes into the description of what it creates, naming the provider. */
export const providerMarker = (providerId: number) => `(provider ${providerId})`;

/** The provider id a description's marker names, or null (none, or written before markers named it). */
export function markedProvider(description: string | null | undefined): number | null {
  const m = /\(provider (\d+)\)/.exec(description ?? "");
  return m ? Number(m[1]) : null;
}

/**
 * Why this provider may not use a Keystone user or project that another provider made, or
 * null when it may: the description's marker names another provider, or another provider's
 * live account records its id, and that provider has a different account secret (or is not in
 * this database, so its secret cannot be compared).
 */
export async function otherProviderClaim(
  db: Db,
  env: { providerId: number; accountSecret: string },
  kind: "user" | "project",
  found: { id: string; name: string; description?: string | null },
): Promise<string | null> {
  let owner = markedProvider(found.description);
  if (owner === env.providerId) return null;
  if (owner === null) {
    const column = kind === "user" ? identities.openstackUserId : identities.projectId;
    const [row] = await db
      .select({ providerId: identities.providerId })
      .from(identities)
      .where(and(eq(column, found.id), ne(identities.providerId, env.providerId), isNull(identities.endDate)))
      .limit(1);
    owner = row?.providerId ?? null;
  }
  if (owner === null) return null;
  const other = await accountSecretShared(db, owner, env.accountSecret);
  // The same secret derives the same passwords: sharing is harmless then.
  if (other?.sameSecret) return null;
  const who = other ? `provider ${owner} ("${other.name}")` : `provider ${owner} (of another Cloudport)`;
  return (
    `Keystone ${kind} "${found.name}" belongs to ${who} on this cloud, which derives account passwords from another account secret, ` +
    // No "secret:" in the text: the step's error redaction would take the next word for a secret.
    `so this provider cannot use it. Remove that account on provider ${owner} first, or give this provider its own account domain.`
  );
}
