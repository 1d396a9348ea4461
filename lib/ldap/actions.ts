// Action definitions for LDAP directories (Settings → LDAP) and for provisioning an LDAP group
// from the provider's Accounts page; the routes' "use server" files wrap them.
import { plural } from "@/lib/domain/format";
import { z } from "zod";
import { withRevalidate } from "@/lib/actions/revalidate";
import type { ActionDefinition } from "@/lib/actions/safe-action";
import { ActionError } from "@/lib/actions/errors";
import { requireFreshAuth } from "@/lib/auth/fresh";
import { can } from "@/lib/auth/permissions";
import { getProvider } from "@/lib/db/queries/providers";
import { redactSecrets } from "@/lib/redact";
import { checkDirectory, LdapError, type LdapDirectory } from "./directory";
import { deleteDirectory, directoryForConnect, getDirectoryView, saveDirectory, setSourceSync } from "./store";
import { groupLeavers, previewGroup, provisionGroup, removeGroupLeavers, type GroupPreview, type GroupProvisionResult, type Leaver } from "./sync";

// A directory's bind password is a secret like a cloud credential: adding, changing and deleting
// a directory is for superusers (ldap.manage) with a sign-in from the last 10 minutes, like a
// provider's connection. Staff may test a saved directory as saved (the stored URL only).
const SETTINGS_PERMISSION = "ldap.manage" as const;

const id = z.coerce.number().int().positive().max(2_147_483_647);
const optionalId = z.preprocess((v) => (v === "" || v === null ? undefined : v), id.optional());
const text = (label: string, max = 500) => z.string({ message: `Enter the ${label}.` }).trim().min(1, `Enter the ${label}.`).max(max, `The ${label} is too long (at most ${max} characters).`);

export const directorySchema = z.object({
  id: optionalId,
  name: text("name", 100),
  url: text("directory URL").refine((v) => /^ldaps?:\/\/[^\s/]+\/?$/i.test(v), "Use ldap://host:port or ldaps://host:port (ldap:// to anything but this machine is upgraded with StartTLS)."),
  bindDn: text("bind DN", 1000),
  bindPassword: z.string().max(1000, "The bind password is too long.").optional().default(""),
  baseDn: text("base DN", 1000),
  groupFilter: text("group filter", 1000).refine((v) => /^\(.*\)$/s.test(v), "One LDAP filter in parentheses, e.g. (objectClass=groupOfNames)."),
  usernameAttribute: text("username attribute", 100).refine((v) => /^[A-Za-z][A-Za-z0-9-]*$/.test(v), "An attribute name such as uid or sAMAccountName."),
  caBundle: z
    .string()
    .max(200_000, "The CA bundle is too long.")
    .optional()
    .default("")
    .refine((v) => !v.trim() || v.includes("-----BEGIN CERTIFICATE-----"), "Paste PEM certificates (-----BEGIN CERTIFICATE----- …), or leave it empty for the system CAs."),
});

const labels = { name: "name", url: "directory URL", bindDn: "bind DN", bindPassword: "bind password", baseDn: "base DN", groupFilter: "group filter", usernameAttribute: "username attribute", caBundle: "CA bundle", groupName: "group name", directoryId: "directory", intervalHours: "sync every" };

/** An LDAP failure as a message an operator can act on (no stack, never the password). */
function ldapFailure(error: unknown, password?: string): ActionError {
  if (error instanceof ActionError) return error;
  let message = error instanceof Error ? error.message : String(error);
  if (password) message = message.split(password).join("[password]");
  message = redactSecrets(message);
  if (!(error instanceof LdapError) && !/decrypt/.test(message)) message = `The directory could not be read: ${message}`;
  return new ActionError("upstream", message);
}

/** The same PEM text, whatever line endings the browser sent it with. */
const samePem = (a: string | null, b: string) => (a ?? "").replace(/\r\n/g, "\n").trim() === b.replace(/\r\n/g, "\n").trim();

/**
 * The stored password is only ever sent to the server (and trust anchors) it was saved for:
 * keeping it while pointing the directory elsewhere would hand it to whoever runs that server.
 */
function refuseStoredPasswordElsewhere(stored: { url: string; caBundle: string | null }, fields: { url: string; caBundle: string }) {
  const sameUrl = stored.url.replace(/\/$/, "").toLowerCase() === fields.url.replace(/\/$/, "").toLowerCase();
  const sameCa = samePem(stored.caBundle, fields.caBundle);
  if (sameUrl && sameCa) return;
  throw new ActionError("invalid_input", `The ${sameUrl ? "CA bundle" : "directory URL"} changed: enter the bind password again (the stored one is only sent to the server it was saved for).`, {
    bindPassword: ["Enter the bind password again."],
  });
}

const isUniqueViolation = (e: unknown) => {
  const err = e as { code?: string; cause?: { code?: string } };
  return err?.code === "23505" || err?.cause?.code === "23505";
};

export type DirectorySaved = { id: number; message: string };

export const saveLdapDirectoryDef: ActionDefinition<typeof directorySchema, DirectorySaved> = {
  name: "saveLdapDirectory",
  permission: SETTINGS_PERMISSION,
  input: directorySchema,
  labels,
  async handler({ id: dirId, bindPassword, ...fields }, ctx) {
    requireFreshAuth(ctx);
    if (dirId === undefined && !bindPassword) throw new ActionError("invalid_input", "Enter the bind password of the new directory.", { bindPassword: ["Enter the bind password."] });
    if (dirId !== undefined) {
      const stored = await getDirectoryView(ctx.db, dirId);
      if (!stored) throw new ActionError("not_found", "This directory was deleted meanwhile: reload the page.");
      if (!bindPassword) refuseStoredPasswordElsewhere(stored, fields);
    }
    let r: Awaited<ReturnType<typeof saveDirectory>>;
    try {
      r = await saveDirectory(ctx.db, dirId, { ...fields, bindPassword });
    } catch (e) {
      if (isUniqueViolation(e)) throw new ActionError("conflict", `A directory named "${fields.name}" exists already: choose another name.`, { name: ["This name is taken."] });
      throw e;
    }
    // Never the password, only whether it changed.
    await ctx.audit({
      action: r.created ? "ldap.directory_created" : "ldap.directory_updated",
      targetType: "ldap_directory",
      targetId: r.id,
      details: { name: fields.name, url: fields.url, bindDn: fields.bindDn, baseDn: fields.baseDn, groupFilter: fields.groupFilter, usernameAttribute: fields.usernameAttribute, caBundle: Boolean(fields.caBundle.trim()), passwordChanged: r.passwordChanged },
    });
    return { id: r.id, message: r.created ? `Directory "${fields.name}" saved.` : `Directory "${fields.name}" updated${r.passwordChanged ? " with the new password" : "; the stored password was kept"}.` };
  },
};

export type DirectoryTested = { message: string; groups: number; members: number; sample: string[] };

/** The form's connection fields differ from the saved directory's. */
function differsFromStored(stored: { url: string; bindDn: string; baseDn: string; groupFilter: string; usernameAttribute: string; caBundle: string | null }, fields: z.infer<typeof directorySchema>) {
  return (
    stored.url.replace(/\/$/, "").toLowerCase() !== fields.url.replace(/\/$/, "").toLowerCase() ||
    stored.bindDn !== fields.bindDn ||
    stored.baseDn !== fields.baseDn ||
    stored.groupFilter !== fields.groupFilter ||
    stored.usernameAttribute !== fields.usernameAttribute ||
    !samePem(stored.caBundle, fields.caBundle)
  );
}

/**
 * "Test connection": the form's values (a blank password means the stored one), bound and
 * counted. Staff without ldap.manage test a saved directory as it is saved (never another URL,
 * DN or password: the console would otherwise probe any server they name).
 */
export const testLdapDirectoryDef: ActionDefinition<typeof directorySchema, DirectoryTested> = {
  name: "testLdapDirectory",
  permission: "accounts.manage",
  input: directorySchema,
  labels,
  async handler(input, ctx) {
    const { id: dirId, bindPassword } = input;
    let fields: Omit<typeof input, "id" | "bindPassword"> = input;
    if (!can(ctx.user, SETTINGS_PERMISSION)) {
      const stored = dirId === undefined ? undefined : await getDirectoryView(ctx.db, dirId);
      if (dirId === undefined || bindPassword || (stored && differsFromStored(stored, input))) {
        throw new ActionError("forbidden", "Staff can test a saved directory as it is saved; only a superuser can test other settings or another password. Reload the page to reset the form.");
      }
      // Exactly the stored settings, not the form's spelling of them.
      if (stored) fields = { name: stored.name, url: stored.url, bindDn: stored.bindDn, baseDn: stored.baseDn, groupFilter: stored.groupFilter, usernameAttribute: stored.usernameAttribute, caBundle: stored.caBundle ?? "" };
    }
    let password = bindPassword;
    if (!password) {
      if (dirId === undefined) throw new ActionError("invalid_input", "Enter the bind password to test the connection.", { bindPassword: ["Enter the bind password."] });
      try {
        const stored = await directoryForConnect(ctx.db, dirId);
        if (!stored) throw new ActionError("not_found", "This directory was deleted meanwhile: reload the page.");
        refuseStoredPasswordElsewhere({ url: stored.url, caBundle: stored.caBundle ?? null }, fields);
        password = stored.bindPassword;
      } catch (e) {
        throw ldapFailure(e);
      }
    }
    const dir: LdapDirectory = { ...fields, bindPassword: password, caBundle: fields.caBundle.trim() || null };
    let r;
    try {
      r = await checkDirectory(dir);
    } catch (e) {
      const failure = ldapFailure(e, password);
      await ctx.audit({ action: "ldap.directory_tested", targetType: "ldap_directory", targetId: dirId, details: { url: fields.url, ok: false, error: failure.message } });
      throw failure;
    }
    await ctx.audit({ action: "ldap.directory_tested", targetType: "ldap_directory", targetId: dirId, details: { url: fields.url, ok: true, groups: r.groups, members: r.members } });
    const message =
      r.groups === 0
        ? `Bound to ${new URL(fields.url).host}, but no group under ${fields.baseDn} matches ${fields.groupFilter}: check the base DN and the group filter.`
        : `Connected: ${r.groups} group${r.groups === 1 ? "" : "s"} with ${r.members} member${r.members === 1 ? "" : "s"} in all (${r.sample.join(", ")}${r.groups > r.sample.length ? ", …" : ""}).`;
    return { message, ...r };
  },
};

export const deleteDirectorySchema = z.object({ id });

export const deleteLdapDirectoryDef: ActionDefinition<typeof deleteDirectorySchema, { message: string }> = {
  name: "deleteLdapDirectory",
  permission: SETTINGS_PERMISSION,
  input: deleteDirectorySchema,
  async handler({ id: dirId }, ctx) {
    requireFreshAuth(ctx);
    const dir = await getDirectoryView(ctx.db, dirId);
    if (!dir || !(await deleteDirectory(ctx.db, dirId))) throw new ActionError("not_found", "This directory was deleted already: reload the page.");
    await ctx.audit({ action: "ldap.directory_deleted", targetType: "ldap_directory", targetId: dirId, details: { name: dir.name, url: dir.url } });
    return { message: `Directory "${dir.name}" deleted; accounts provisioned from its groups stay.` };
  },
};

const checkbox = z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean());

export const groupSchema = z.object({
  providerId: id,
  directoryId: z.coerce.number({ message: "Choose a directory." }).int("Choose a directory.").positive("Choose a directory (add one under Settings → LDAP)."),
  groupName: text("group name", 200),
});

async function requireProvider(ctx: { db: Parameters<typeof getProvider>[0] }, providerId: number) {
  const p = await getProvider(ctx.db, providerId);
  if (!p) throw new ActionError("not_found", `There is no provider ${providerId}.`);
  return p;
}

export type GroupPreviewResult = Omit<GroupPreview, "usernames">;

/** Preview: the group's members and, for each, a portal user / an account here or not. Changes nothing. */
export const previewLdapGroupDef: ActionDefinition<typeof groupSchema, GroupPreviewResult> = {
  name: "previewLdapGroup",
  permission: "accounts.manage",
  input: groupSchema,
  labels,
  async handler({ providerId, directoryId, groupName }, ctx) {
    await requireProvider(ctx, providerId);
    try {
      const { usernames: _usernames, ...preview } = await previewGroup(ctx.db, providerId, directoryId, groupName);
      return preview;
    } catch (e) {
      throw ldapFailure(e);
    }
  },
};

// Usernames the operator ticked in the preview: a list, or one comma/space separated string.
const usernameList = z.preprocess(
  (v) => (typeof v === "string" ? v.split(/[\s,]+/).filter(Boolean) : v ?? []),
  z.array(z.string().max(200)).max(10_000, "Confirm at most 10,000 members at once.").optional(),
);

export const provisionGroupSchema = groupSchema.extend({
  sync: checkbox.default(false),
  confirm: usernameList,
  intervalHours: z.coerce.number({ message: "Give the interval in hours." }).int("Whole hours.").min(1, "At least every hour.").max(24 * 7, "At most once a week.").default(24),
});

export type GroupProvisioned = {
  message: string;
  jobId: string | null;
  queued: string[];
  createdUsers: string[];
  left: string[];
  rejected: number;
  skipped: GroupProvisionResult["skipped"];
};

const list = (names: string[], max = 20) => `${names.slice(0, max).join(", ")}${names.length > max ? `, and ${names.length - max} more` : ""}`;

/** Provision: portal users for members without one, and one accounts.provision job for members without an account here. */
export const provisionLdapGroupDef: ActionDefinition<typeof provisionGroupSchema, GroupProvisioned> = {
  name: "provisionLdapGroup",
  permission: "accounts.manage",
  input: provisionGroupSchema,
  labels,
  async handler({ providerId, directoryId, groupName, sync, intervalHours, confirm }, ctx) {
    await requireProvider(ctx, providerId);
    let r;
    try {
      r = await provisionGroup(ctx.db, { providerId, directoryId, groupName, createdBy: ctx.user.id, confirmed: confirm ?? [], sync: { enabled: sync, intervalSeconds: intervalHours * 3600 } });
    } catch (e) {
      throw ldapFailure(e);
    }
    await ctx.audit({
      action: "ldap.group_provision",
      targetType: "provider",
      targetId: providerId,
      details: {
        directory: r.preview.directory.name,
        group: groupName,
        members: r.preview.members.length,
        queued: r.queued.slice(0, 200),
        queuedCount: r.queued.length,
        createdUsers: r.createdUsers.slice(0, 200),
        createdCount: r.createdUsers.length,
        rejected: r.preview.rejected.length,
        left: r.left.slice(0, 200),
        // Who was provisioned although they match a staff, superuser or SSO-bound portal user.
        confirmed: r.preview.members.filter((m) => m.privileged.length && r.queued.includes(m.username)).map((m) => ({ username: m.username, portalUser: m.portalUsername ?? m.username, privileged: m.privileged })),
        skipped: r.skipped.slice(0, 200),
        jobId: r.jobId,
        alreadyQueued: r.alreadyQueued,
        sync,
        intervalHours,
      },
    });
    const syncText = sync ? ` New members will be provisioned every ${intervalHours} h.` : "";
    const held = r.skipped.length
      ? ` Not provisioned: ${list(r.skipped.map((m) => `${m.username} (${m.kind === "deactivated" ? "deactivated" : "needs your confirmation"})`))}.`
      : "";
    const message = !r.queued.length
      ? r.skipped.length
        ? `Nothing provisioned.${held}${syncText}`
        : `Nothing to do: ${r.preview.members.length === 1 ? `the one member of ${groupName} has` : `all ${plural(r.preview.members.length, "member")} of ${groupName} have`} an account here.${syncText}`
      : r.alreadyQueued
        ? `${r.queued.length === 1 ? "This member is" : `These ${plural(r.queued.length, "member")} are`} already being provisioned; showing that job.${syncText}`
        : `Provisioning ${plural(r.queued.length, "member")} of ${groupName}${r.createdUsers.length ? ` (${plural(r.createdUsers.length, "new portal user")})` : ""}.${held}${syncText}`;
    return { message, jobId: r.jobId, queued: r.queued, createdUsers: r.createdUsers, left: r.left, rejected: r.preview.rejected.length, skipped: r.skipped };
  },
};

export const groupSyncSchema = z.object({ providerId: id, sourceId: id, enabled: checkbox });

/** Turns a group's scheduled sync on (the first run is due now) or off. */
export const setLdapGroupSyncDef: ActionDefinition<typeof groupSyncSchema, { message: string }> = {
  name: "setLdapGroupSync",
  permission: "accounts.manage",
  input: groupSyncSchema,
  async handler({ providerId, sourceId, enabled }, ctx) {
    const row = await setSourceSync(ctx.db, providerId, sourceId, enabled);
    if (!row) throw new ActionError("not_found", "This group is no longer provisioned here: reload the page.");
    await ctx.audit({ action: enabled ? "ldap.sync_enabled" : "ldap.sync_disabled", targetType: "provider", targetId: providerId, details: { sourceId, group: row.groupName, intervalSeconds: row.intervalSeconds } });
    return { message: enabled ? `Sync of ${row.groupName} is on; the first run starts within a minute.` : `Sync of ${row.groupName} is off; its accounts stay.` };
  },
};

export const leaversSchema = z.object({ providerId: id, sourceId: id });

/** "Remove those who left", first step: the accounts that would be removed (read against the group now). */
export const previewLdapLeaversDef: ActionDefinition<typeof leaversSchema, { group: string; leavers: Leaver[] }> = {
  name: "previewLdapLeavers",
  permission: "accounts.manage",
  input: leaversSchema,
  async handler({ providerId, sourceId }, ctx) {
    await requireProvider(ctx, providerId);
    try {
      return await groupLeavers(ctx.db, providerId, sourceId);
    } catch (e) {
      throw ldapFailure(e);
    }
  },
};

export const removeLeaversSchema = leaversSchema.extend({ confirm: usernameList });

export type LeaversRemoved = { message: string; jobId: string | null; removed: string[]; notRemoved: string[] };

/** "Remove those who left": queues the removal of the accounts of the leavers listed in the confirmation. */
export const removeLdapLeaversDef: ActionDefinition<typeof removeLeaversSchema, LeaversRemoved> = {
  name: "removeLdapLeavers",
  permission: "accounts.manage",
  input: removeLeaversSchema,
  async handler({ providerId, sourceId, confirm }, ctx) {
    await requireProvider(ctx, providerId);
    if (!confirm?.length) throw new ActionError("invalid_input", "Confirm the accounts to remove: open the list of those who left first.");
    let r;
    try {
      r = await removeGroupLeavers(ctx.db, { providerId, sourceId, confirmed: confirm, createdBy: ctx.user.id });
    } catch (e) {
      throw ldapFailure(e);
    }
    const removed = r.removed.map((l) => l.username);
    await ctx.audit({
      action: "ldap.remove_left",
      targetType: "provider",
      targetId: providerId,
      details: { sourceId, group: r.group, removed: removed.slice(0, 200), removedCount: removed.length, notRemoved: r.notRemoved.slice(0, 200), jobId: r.jobId, alreadyQueued: r.alreadyQueued },
    });
    const skipped = r.notRemoved.length ? ` Not removed (back in the group, or no account here now): ${list(r.notRemoved)}.` : "";
    const message = !removed.length
      ? `Nothing removed.${skipped}`
      : r.alreadyQueued
        ? `These ${removed.length} accounts are already being removed; showing that job.${skipped}`
        : `Removing ${removed.length} account${removed.length === 1 ? "" : "s"} of members who left ${r.group}: ${list(removed)}.${skipped}`;
    return { message, jobId: r.jobId, removed, notRemoved: r.notRemoved };
  },
};

// What the routes wrap.
export const saveLdapDirectory = withRevalidate(saveLdapDirectoryDef, () => "/settings/ldap");
export const deleteLdapDirectory = withRevalidate(deleteLdapDirectoryDef, () => "/settings/ldap");
export const testLdapDirectory = testLdapDirectoryDef;
export const previewLdapGroup = previewLdapGroupDef;
export const provisionLdapGroup = withRevalidate(provisionLdapGroupDef, (input) => `/providers/${input.providerId}/accounts`);
export const previewLdapLeavers = previewLdapLeaversDef;
export const removeLdapLeavers = withRevalidate(removeLdapLeaversDef, (input) => `/providers/${input.providerId}/accounts`);
export const setLdapGroupSync = withRevalidate(setLdapGroupSyncDef, (input) => `/providers/${input.providerId}/accounts`);
