// Queries for LDAP directories and provider group sources. The sealed bind password is read
// only by directoryForConnect (server code that binds); nothing else selects it.
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { identities, ldapDirectories, ldapGroupSources, users, type LdapGroupResult } from "@/lib/db/schema";
import { decryptSecret, encryptSecret } from "@/lib/secrets";
import type { LdapDirectory } from "./directory";

/** A directory as pages and the browser may see it: no password, only whether one is stored. */
export type DirectoryView = {
  id: number;
  name: string;
  url: string;
  bindDn: string;
  baseDn: string;
  groupFilter: string;
  usernameAttribute: string;
  caBundle: string | null;
  hasPassword: boolean;
  updatedAt: Date;
};

const viewColumns = {
  id: ldapDirectories.id,
  name: ldapDirectories.name,
  url: ldapDirectories.url,
  bindDn: ldapDirectories.bindDn,
  baseDn: ldapDirectories.baseDn,
  groupFilter: ldapDirectories.groupFilter,
  usernameAttribute: ldapDirectories.usernameAttribute,
  caBundle: ldapDirectories.caBundle,
  hasPassword: sql<boolean>`${ldapDirectories.bindPasswordSecret} <> ''`,
  updatedAt: ldapDirectories.updatedAt,
};

/** Every directory, by name, without the password. */
export function listDirectories(db: Db): Promise<DirectoryView[]> {
  return db.select(viewColumns).from(ldapDirectories).orderBy(ldapDirectories.name);
}

export async function getDirectoryView(db: Db, id: number): Promise<DirectoryView | undefined> {
  const [row] = await db.select(viewColumns).from(ldapDirectories).where(eq(ldapDirectories.id, id));
  return row;
}

/** The directory with its password unsealed, to bind with (never returned to a page). */
export async function directoryForConnect(db: Db, id: number): Promise<(LdapDirectory & { id: number; name: string }) | undefined> {
  const [row] = await db.select().from(ldapDirectories).where(eq(ldapDirectories.id, id));
  if (!row) return undefined;
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    bindDn: row.bindDn,
    bindPassword: decryptSecret(row.bindPasswordSecret),
    baseDn: row.baseDn,
    groupFilter: row.groupFilter,
    usernameAttribute: row.usernameAttribute,
    caBundle: row.caBundle,
  };
}

export type DirectoryInput = {
  name: string;
  url: string;
  bindDn: string;
  /** Empty or undefined on update: the stored password stays. */
  bindPassword?: string;
  baseDn: string;
  groupFilter: string;
  usernameAttribute: string;
  caBundle?: string | null;
};

/** Creates (id undefined) or updates a directory; the password is sealed before it is stored. */
export async function saveDirectory(db: Db, id: number | undefined, input: DirectoryInput): Promise<{ id: number; created: boolean; passwordChanged: boolean }> {
  const { bindPassword, ...rest } = input;
  const fields = { ...rest, caBundle: rest.caBundle?.trim() ? rest.caBundle : null };
  if (id === undefined) {
    if (!bindPassword) throw new Error("A new directory needs its bind password.");
    const [row] = await db
      .insert(ldapDirectories)
      .values({ ...fields, bindPasswordSecret: encryptSecret(bindPassword) })
      .returning({ id: ldapDirectories.id });
    return { id: row.id, created: true, passwordChanged: true };
  }
  const [row] = await db
    .update(ldapDirectories)
    .set({ ...fields, ...(bindPassword ? { bindPasswordSecret: encryptSecret(bindPassword) } : {}) })
    .where(eq(ldapDirectories.id, id))
    .returning({ id: ldapDirectories.id });
  if (!row) throw new Error(`There is no directory ${id}.`);
  return { id: row.id, created: false, passwordChanged: Boolean(bindPassword) };
}

export async function deleteDirectory(db: Db, id: number): Promise<boolean> {
  const rows = await db.delete(ldapDirectories).where(eq(ldapDirectories.id, id)).returning({ id: ldapDirectories.id });
  return rows.length > 0;
}

export type MemberStatus = {
  username: string;
  portalUser: boolean;
  /** The matching portal user's own username when it differs in case (the match ignores case). */
  portalUsername: string | null;
  /** The state of their live account on the provider, null when there is none. */
  account: string | null;
  /** When staff last removed their account here (ISO), set only while no account is live. */
  removedAt: string | null;
  /** The matching portal user is deactivated: never provisioned from a group. */
  deactivated: boolean;
  /** Why provisioning the matching portal user needs a staff confirmation (empty: it does not). */
  privileged: Array<"staff" | "superuser" | "sso">;
};

/**
 * For each username: the portal user it matches (case-insensitively) with what makes it
 * sensitive (roles, SSO binding, deactivated), the state of their live account on the provider,
 * and when staff removed their last account here if none is live.
 */
export async function memberStatuses(db: Db, providerId: number, usernames: string[]): Promise<MemberStatus[]> {
  if (usernames.length === 0) return [];
  const lower = usernames.map((u) => u.toLowerCase());
  // Accounts end only through the removal job, which staff start.
  const removedAt = sql<Date | string | null>`(select max(${identities.endDate}) from ${identities} where ${identities.userId} = ${users.id} and ${identities.providerId} = ${providerId} and ${identities.endDate} is not null)`;
  const rows = await db
    .select({
      username: users.username,
      isActive: users.isActive,
      isStaff: users.isStaff,
      isSuperuser: users.isSuperuser,
      oidcSubject: users.oidcSubject,
      state: identities.state,
      removedAt,
    })
    .from(users)
    .leftJoin(identities, and(eq(identities.userId, users.id), eq(identities.providerId, providerId), isNull(identities.endDate)))
    .where(inArray(sql`lower(${users.username})`, lower));
  const byName = new Map(rows.map((r) => [r.username.toLowerCase(), r]));
  return usernames.map((u) => {
    const r = byName.get(u.toLowerCase());
    if (!r) return { username: u, portalUser: false, portalUsername: null, account: null, removedAt: null, deactivated: false, privileged: [] };
    const privileged: MemberStatus["privileged"] = [];
    if (r.isSuperuser) privileged.push("superuser");
    else if (r.isStaff) privileged.push("staff");
    if (r.oidcSubject) privileged.push("sso");
    return {
      username: u,
      portalUser: true,
      portalUsername: r.username === u ? null : r.username,
      account: r.state ?? null,
      removedAt: !r.state && r.removedAt ? new Date(r.removedAt).toISOString() : null,
      deactivated: !r.isActive,
      privileged,
    };
  });
}

/** The source row of (provider, directory, group), created when missing. */
export async function upsertSource(
  db: Db,
  key: { providerId: number; directoryId: number; groupName: string },
  patch: { syncEnabled?: boolean; intervalSeconds?: number; nextRunAt?: Date; lastResult?: LdapGroupResult; lastRunAt?: Date } = {},
) {
  const [row] = await db
    .insert(ldapGroupSources)
    .values({ ...key, ...patch })
    .onConflictDoUpdate({ target: [ldapGroupSources.providerId, ldapGroupSources.directoryId, ldapGroupSources.groupName], set: { ...patch, updatedAt: new Date() } })
    .returning();
  return row;
}

/** A provider's group sources with their directory's name. */
export function listSources(db: Db, providerId: number) {
  return db
    .select({ source: ldapGroupSources, directoryName: ldapDirectories.name })
    .from(ldapGroupSources)
    .innerJoin(ldapDirectories, eq(ldapDirectories.id, ldapGroupSources.directoryId))
    .where(eq(ldapGroupSources.providerId, providerId))
    .orderBy(ldapDirectories.name, ldapGroupSources.groupName);
}

/** Turns a source's schedule on or off; returns the row, or undefined when it is not this provider's. */
export async function setSourceSync(db: Db, providerId: number, sourceId: number, enabled: boolean) {
  const [row] = await db
    .update(ldapGroupSources)
    .set({ syncEnabled: enabled, ...(enabled ? { nextRunAt: new Date() } : {}) })
    .where(and(eq(ldapGroupSources.id, sourceId), eq(ldapGroupSources.providerId, providerId)))
    .returning();
  return row;
}

/** A provider's group source, or undefined when it is not this provider's. */
export async function getSource(db: Db, providerId: number, sourceId: number) {
  const [row] = await db.select().from(ldapGroupSources).where(and(eq(ldapGroupSources.id, sourceId), eq(ldapGroupSources.providerId, providerId)));
  return row;
}

/** The live accounts on the provider of these usernames (matched case-insensitively), by username. */
export async function liveAccountsOf(db: Db, providerId: number, usernames: string[]): Promise<Array<{ identityId: number; username: string; memberName: string; state: string }>> {
  if (usernames.length === 0) return [];
  const byLower = new Map(usernames.map((u) => [u.toLowerCase(), u]));
  const rows = await db
    .select({ identityId: identities.id, username: users.username, state: identities.state })
    .from(identities)
    .innerJoin(users, eq(users.id, identities.userId))
    .where(and(eq(identities.providerId, providerId), isNull(identities.endDate), inArray(sql`lower(${users.username})`, [...byLower.keys()])))
    .orderBy(users.username);
  return rows.map((r) => ({ ...r, memberName: byLower.get(r.username.toLowerCase()) ?? r.username }));
}

