// Provisioning the members of an LDAP group on a provider (the Accounts page's card and the
// ldap.sync job), through the accounts path (lib/accounts/service.ts startProvisioning): this
// module only decides who, it never provisions or removes anybody itself.
import { formatCount, plural } from "@/lib/domain/format";
import { and, eq, lte, sql } from "drizzle-orm";
import { z } from "zod";
import { startProvisioning } from "@/lib/accounts/service";
import { ActionError } from "@/lib/actions/errors";
import type { Db } from "@/lib/db/client";
import { createAuditEntry, type AuditActor } from "@/lib/db/queries/audit";
import { ldapGroupSources, type LdapGroupResult } from "@/lib/db/schema";
import { enqueueJob } from "@/lib/jobs/queue";
import type { JobContext } from "@/lib/jobs/runner";
import { redactSecrets } from "@/lib/redact";
import { groupMembers, LdapError, type GroupMembers } from "./directory";
import { planGroup, type SkippedMember } from "./plan";
import { startRemoval } from "@/lib/accounts/service";
import { directoryForConnect, getSource, liveAccountsOf, memberStatuses, upsertSource, type MemberStatus } from "./store";

export const LDAP_SYNC_JOB = "ldap.sync";
const MAX_LEFT = 1000;

export type GroupPreview = GroupMembers & { directory: { id: number; name: string }; members: MemberStatus[] };

/** Reads the group and says, per member, whether they have a portal user and an account here. Changes nothing. */
export async function previewGroup(db: Db, providerId: number, directoryId: number, groupName: string): Promise<GroupPreview> {
  const dir = await directoryForConnect(db, directoryId);
  if (!dir) throw new LdapError(`There is no LDAP directory ${directoryId}: it was deleted, reload the page.`);
  const found = await groupMembers(dir, groupName);
  return { ...found, directory: { id: dir.id, name: dir.name }, members: await memberStatuses(db, providerId, found.usernames) };
}

export type GroupProvisionResult = {
  preview: GroupPreview;
  /** Members queued for an account (they had none, or it failed). */
  queued: string[];
  /** Members without an account who were held back, with why (lib/ldap/plan.ts). */
  skipped: SkippedMember[];
  createdUsers: string[];
  /** Members of the last run who are no longer in the group (nothing is done to them). */
  left: string[];
  jobId: string | null;
  alreadyQueued: boolean;
  sourceId: number;
};

/**
 * Provisions the group's members who have no account on the provider yet: portal users are
 * created (no password) and one accounts.provision job is queued. A second run creates nothing:
 * members with an account are skipped and the same queued job is returned. Who is held back
 * (deactivated, privileged or SSO-bound unless confirmed, removed by staff on a scheduled run)
 * is decided by planGroup.
 */
export async function provisionGroup(
  db: Db,
  input: {
    providerId: number;
    directoryId: number;
    groupName: string;
    createdBy: number | null;
    /** The ldap.sync job: never re-provisions a removed account nor a privileged user. */
    scheduled?: boolean;
    /** Members a staff click confirmed by name although they match a privileged or SSO-bound user. */
    confirmed?: string[];
    sync?: { enabled: boolean; intervalSeconds: number };
  },
): Promise<GroupProvisionResult> {
  const preview = await previewGroup(db, input.providerId, input.directoryId, input.groupName);
  const key = { providerId: input.providerId, directoryId: input.directoryId, groupName: input.groupName };
  const [previous] = await db
    .select({ lastResult: ldapGroupSources.lastResult })
    .from(ldapGroupSources)
    .where(and(eq(ldapGroupSources.providerId, key.providerId), eq(ldapGroupSources.directoryId, key.directoryId), eq(ldapGroupSources.groupName, key.groupName)));
  const current = new Set(preview.usernames.map((u) => u.toLowerCase()));
  // Who left stays listed (until they rejoin) so an operator can decide about their accounts.
  const left = [...new Map([...(previous?.lastResult?.left ?? []), ...(previous?.lastResult?.members ?? [])].map((u) => [u.toLowerCase(), u])).values()]
    .filter((u) => !current.has(u.toLowerCase()))
    .sort()
    .slice(0, MAX_LEFT);
  const { queue: wanted, skipped } = planGroup(preview.members, { scheduled: Boolean(input.scheduled), confirmed: input.confirmed });
  let jobId: string | null = null;
  let alreadyQueued = false;
  let createdUsers: string[] = [];
  if (wanted.length) {
    const r = await startProvisioning(db, { providerId: input.providerId, selection: { usernames: wanted }, createdBy: input.createdBy });
    jobId = r.job.id;
    alreadyQueued = !r.queued;
    createdUsers = r.createdUsers;
  }
  const lastResult: LdapGroupResult = { at: new Date().toISOString(), members: preview.usernames, new: wanted, left, rejected: preview.rejected, skipped, jobId };
  const source = await upsertSource(db, key, {
    lastResult,
    lastRunAt: new Date(),
    // Just ran: the next scheduled run is one interval away.
    ...(input.sync ? { syncEnabled: input.sync.enabled, intervalSeconds: input.sync.intervalSeconds, nextRunAt: new Date(Date.now() + input.sync.intervalSeconds * 1000) } : {}),
  });
  return { preview, queued: wanted, skipped, createdUsers, left, jobId, alreadyQueued, sourceId: source.id };
}

export type Leaver = { identityId: number; username: string; state: string };

/**
 * The live accounts here of members who left the group: the last run's "left" list, read
 * against the group now (someone who rejoined is not a leaver). Changes nothing.
 */
export async function groupLeavers(db: Db, providerId: number, sourceId: number): Promise<{ group: string; leavers: Leaver[] }> {
  const source = await getSource(db, providerId, sourceId);
  if (!source) throw new ActionError("not_found", "This group is no longer provisioned here: reload the page.");
  const left = source.lastResult?.left ?? [];
  if (left.length === 0) return { group: source.groupName, leavers: [] };
  const dir = await directoryForConnect(db, source.directoryId);
  if (!dir) throw new LdapError(`There is no LDAP directory ${source.directoryId}: it was deleted, reload the page.`);
  const now = new Set((await groupMembers(dir, source.groupName)).usernames.map((u) => u.toLowerCase()));
  const accounts = await liveAccountsOf(db, providerId, left.filter((u) => !now.has(u.toLowerCase())));
  return { group: source.groupName, leavers: accounts.map((a) => ({ identityId: a.identityId, username: a.username, state: a.state })) };
}

/**
 * Removes, through the accounts removal job, the accounts of leavers the operator confirmed by
 * name (groupLeavers is read again: a confirmed name that rejoined, or has no account, is not
 * removed). Never called by the schedule.
 */
export async function removeGroupLeavers(db: Db, input: { providerId: number; sourceId: number; confirmed: string[]; createdBy: number | null }) {
  const { group, leavers } = await groupLeavers(db, input.providerId, input.sourceId);
  const confirmed = new Set(input.confirmed.map((u) => u.toLowerCase()));
  const chosen = leavers.filter((l) => confirmed.has(l.username.toLowerCase()));
  const notRemoved = input.confirmed.filter((u) => !chosen.some((l) => l.username.toLowerCase() === u.toLowerCase()));
  if (chosen.length === 0) return { group, removed: [] as Leaver[], notRemoved, jobId: null as string | null, alreadyQueued: false };
  const r = await startRemoval(db, { providerId: input.providerId, identityIds: chosen.map((l) => l.identityId), createdBy: input.createdBy });
  return { group, removed: chosen, notRemoved, jobId: r.job.id as string | null, alreadyQueued: !r.queued };
}

const syncParams = z.object({ sourceId: z.number().int().positive() });
const SYSTEM: AuditActor = { id: null, username: "system" };

/** Queues a sync of one group source (or returns the one queued or running). */
export function enqueueLdapSync(db: Db, source: { id: number; providerId: number }, createdBy: number | null = null) {
  return enqueueJob(db, {
    kind: LDAP_SYNC_JOB,
    providerId: source.providerId,
    params: { sourceId: source.id },
    createdBy,
    maxAttempts: 1,
    dedupeKey: `${LDAP_SYNC_JOB}:${source.id}`,
  });
}

/** The ldap.sync job: provisions new members of the group, records who left; never removes anybody. */
export async function ldapSyncJobHandler({ job, db, progress }: JobContext) {
  const { sourceId } = syncParams.parse(job.params);
  const [source] = await db.select().from(ldapGroupSources).where(eq(ldapGroupSources.id, sourceId));
  if (!source) return { skipped: "the group source was deleted" };
  await progress({ progress: 0.1, progressText: `Reading group ${source.groupName}` });
  try {
    const r = await provisionGroup(db, { providerId: source.providerId, directoryId: source.directoryId, groupName: source.groupName, createdBy: null, scheduled: true });
    await createAuditEntry(db, SYSTEM, {
      action: "ldap.sync",
      targetType: "provider",
      targetId: source.providerId,
      details: { sourceId, group: source.groupName, members: r.preview.usernames.length, queued: r.queued.slice(0, 200), skipped: r.skipped.slice(0, 200), left: r.left.slice(0, 200), createdUsers: r.createdUsers.slice(0, 200), provisionJobId: r.jobId, jobId: job.id },
    });
    const text = `${plural(r.preview.usernames.length, "member")}, ${formatCount(r.queued.length)} queued for an account, ${formatCount(r.skipped.length)} held back, ${formatCount(r.left.length)} left the group`;
    await progress({ progress: 1, progressText: text });
    return { members: r.preview.usernames.length, queued: r.queued.length, skipped: r.skipped.length, left: r.left.length, provisionJobId: r.jobId };
  } catch (error) {
    const message = redactSecrets(error instanceof Error ? error.message : String(error));
    const last = source.lastResult;
    await db
      .update(ldapGroupSources)
      .set({ lastRunAt: new Date(), lastResult: { at: new Date().toISOString(), members: last?.members ?? [], new: [], left: last?.left ?? [], rejected: [], jobId: null, error: message } })
      .where(eq(ldapGroupSources.id, sourceId));
    await createAuditEntry(db, SYSTEM, { action: "ldap.sync_failed", targetType: "provider", targetId: source.providerId, details: { sourceId, group: source.groupName, error: message, jobId: job.id } });
    throw new Error(message);
  }
}

export function registerLdapJobHandlers(register: (kind: string, handler: (ctx: JobContext) => Promise<unknown>) => void): void {
  register(LDAP_SYNC_JOB, ldapSyncJobHandler);
}

/** Queues a sync for every source whose schedule is due; claiming is one UPDATE. */
export async function runLdapSchedulerTick(db: Db): Promise<number> {
  const due = await db
    .update(ldapGroupSources)
    .set({ nextRunAt: sql`now() + make_interval(secs => ${ldapGroupSources.intervalSeconds})` })
    .where(and(eq(ldapGroupSources.syncEnabled, true), lte(ldapGroupSources.nextRunAt, sql`now()`)))
    .returning({ id: ldapGroupSources.id, providerId: ldapGroupSources.providerId });
  for (const d of due) await enqueueLdapSync(db, d);
  return due.length;
}

/** Ticks the LDAP sync schedule in this process; returns a stop function. */
export function startLdapScheduler(getDb: () => Promise<Db>, tickMs = 60_000): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = async () => {
    if (stopped) return;
    try {
      await runLdapSchedulerTick(await getDb());
    } catch (error) {
      console.error(`[ldap] scheduler tick failed: ${redactSecrets(error instanceof Error ? error.message : String(error))}`);
    }
    if (!stopped) timer = setTimeout(tick, tickMs);
  };
  timer = setTimeout(tick, Math.min(tickMs, 15_000));
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
