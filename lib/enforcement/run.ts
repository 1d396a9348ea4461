// One enforcement run on a provider: threshold notices (once per allocation period), the action
// at 100 % (stop / shelve the account's servers, or cores quota 0), and the restore once credit
// is back. Idempotent and resumable: a run that dies half-way is finished by the next one (stop
// and shelve touch only servers still running; the cores quota before enforcement is kept once).
import { byName } from "@/lib/domain/by-name";
import { eq } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { createAuditEntry, type AuditActor } from "@/lib/db/queries/audit";
import { enforcementStates, identities, notifications } from "@/lib/db/schema";
import { formatAmount } from "@/lib/domain/allocation";
import type { EnforcementPolicy, UserServer } from "@/lib/domain/enforcement";
import type { Mailer } from "@/lib/mail/mailer";
import type { OpenStackClient } from "@/lib/openstack/client";
import { isStatus } from "@/lib/openstack/core/errors";
import { desiredQuotaOf } from "@/lib/quotas/tiers";
import { leavesQuotaAlone } from "@/lib/accounts/adoption";
import { planProvider, scheduledRows, type PlanRow } from "./plan";
import { recordEvent } from "./store";

export type RunOptions = {
  now?: Date;
  jobId?: string | null;
  actor?: AuditActor;
  mailer: Mailer;
  /** Copies of actions and restores (CLOUDPORT_MAIL_STAFF). */
  staffEmails?: string[];
  providerName: string;
  onProgress?: (done: number, total: number, failed: number) => Promise<void>;
  signal?: AbortSignal;
  /** A scheduled run: while enforcement is off it acts only on "always" and held accounts. */
  scheduled?: boolean;
};

export type AccountOutcome = { username: string; status: "done" | "failed"; did: string[]; error?: string };

export type RunSummary = {
  accounts: number;
  looked: number;
  notified: number;
  enforced: number;
  restored: number;
  failed: number;
  mailed: number;
  mailErrors: number;
  outcomes: Record<string, AccountOutcome>;
};

const SYSTEM: AuditActor = { id: null, username: "system" };
const ACTION_WORDS = { stop: "stopped", shelve: "shelved" } as const;
const pct = (p: number) => (Number.isFinite(p) ? `${Math.round(p)} %` : "over (no allocation)");

type Ctx = RunOptions & { db: Db; client: OpenStackClient; providerId: number; now: Date; summary: RunSummary; policy: EnforcementPolicy };

async function notify(ctx: Ctx, row: PlanRow, kind: string, subject: string, body: string, copyStaff: boolean) {
  await ctx.db.insert(notifications).values({ userId: row.userId, providerId: ctx.providerId, kind, subject, body });
  if (!ctx.mailer.enabled) return;
  const to = [row.email, ...(copyStaff ? (ctx.staffEmails ?? []) : [])].filter((a): a is string => Boolean(a));
  if (!to.length) return;
  const sent = await ctx.mailer.send({ to, subject, text: body });
  if (sent.sent) ctx.summary.mailed++;
  else ctx.summary.mailErrors++;
}

function usageLine(ctx: Ctx, row: PlanRow) {
  return `${row.username} has used ${formatAmount(row.used)} of ${formatAmount(row.allocation)} ${row.unit} (${pct(row.percent)}) on ${ctx.providerName}`;
}

/** Threshold notices: every threshold reached is recorded once per period; the highest new one is sent. */
async function sendNotices(ctx: Ctx, row: PlanRow): Promise<string | null> {
  if (row.notifyAt === null) return null;
  const reached = ctx.policy.thresholds.filter((t) => row.percent >= t);
  let newest: number | null = null;
  for (const t of reached) {
    const fresh = await recordEvent(ctx.db, {
      providerId: ctx.providerId,
      identityId: row.identityId,
      kind: "notify",
      threshold: t,
      period: row.period,
      percent: Number.isFinite(row.percent) ? row.percent : null,
      message: `Reached ${t} % of the allocation.`,
      jobId: ctx.jobId ?? null,
    });
    if (fresh) newest = t;
  }
  if (newest === null) return null;
  const what =
    newest >= 100
      ? ctx.policy.action === "none" || row.override === "never"
        ? "The allocation is used up."
        : `The allocation is used up: ${ctx.policy.action === "zero_cores" ? "the cores quota will be set to 0" : `running servers will be ${ACTION_WORDS[ctx.policy.action]}`}${ctx.policy.graceHours ? ` after a grace period of ${ctx.policy.graceHours} h` : ""}${ctx.policy.enabled || row.override === "always" ? "" : " once enforcement is enabled"}.`
      : `At 100 % ${ctx.policy.action === "none" ? "nothing is done automatically" : ctx.policy.action === "zero_cores" ? "the cores quota is set to 0" : `running servers are ${ACTION_WORDS[ctx.policy.action]}`}.`;
  const resets = row.resetsAt ? ` The allocation is refreshed on ${row.resetsAt.toISOString().slice(0, 10)}.` : "";
  await notify(
    ctx,
    row,
    "enforcement.notice",
    `[Cloudport] ${row.username}: ${newest} % of the allocation on ${ctx.providerName}`,
    `${usageLine(ctx, row)}. ${what}${resets}\n\nAsk the cloud's staff for more allocation if you need it.`,
    false,
  );
  ctx.summary.notified++;
  return `notified at ${newest} %`;
}

async function saveState(ctx: Ctx, row: PlanRow, patch: Partial<typeof enforcementStates.$inferInsert>) {
  const values = { providerId: ctx.providerId, ...patch, updatedAt: ctx.now };
  await ctx.db
    .insert(enforcementStates)
    .values({ identityId: row.identityId, ...values })
    .onConflictDoUpdate({ target: enforcementStates.identityId, set: values });
}

async function coresLimit(client: OpenStackClient, projectId: string): Promise<number> {
  return (await client.compute.quotaSets.get(projectId)).cores;
}

/** The action at 100 %: returns what was done (empty: nothing left to do). */
async function enforce(ctx: Ctx, row: PlanRow): Promise<string[]> {
  const projectId = row.projectId;
  if (!projectId) return [];
  const did: string[] = [];
  let touched: UserServer[] = [];
  let coresBefore = row.state?.coresBefore ?? null;
  if (row.action === "stop" || row.action === "shelve") {
    for (const s of row.serversAffected) {
      ctx.signal?.throwIfAborted();
      try {
        if (row.action === "stop") await ctx.client.compute.servers.stop(s.id);
        else await ctx.client.compute.servers.shelve(s.id);
        touched.push(s);
      } catch (error) {
        // Gone since the listing, or already in that state (409): nothing to do for it.
        if (!isStatus(error, 404) && !isStatus(error, 409)) throw error;
      }
    }
    if (touched.length) did.push(`${touched.length} server${touched.length === 1 ? "" : "s"} ${ACTION_WORDS[row.action]} (${touched.map((s) => s.name).join(", ")})`);
  } else if (row.action === "zero_cores") {
    const cores = await coresLimit(ctx.client, projectId);
    if (cores !== 0) {
      // Kept from the first time only: a second run must not remember 0 as "before".
      coresBefore ??= cores;
      await saveState(ctx, row, { coresBefore, period: row.period });
      await ctx.client.compute.quotaSets.update(projectId, { cores: 0, force: true });
      did.push(`cores quota ${cores === -1 ? "unlimited" : cores} → 0`);
    }
  }
  const first = !row.state?.enforcedAt;
  await saveState(ctx, row, {
    overSince: row.state?.overSince ?? ctx.now,
    period: row.period,
    action: row.action,
    enforcedAt: row.state?.enforcedAt ?? ctx.now,
    coresBefore,
    servers: mergeServers(row.state?.servers ?? [], touched),
  });
  if (!did.length && !first) return [];
  if (!did.length) did.push(row.action === "zero_cores" ? "cores quota already 0" : "no running server to act on");
  const message = `${usageLine(ctx, row)}: ${did.join("; ")}.`;
  await recordEvent(ctx.db, {
    providerId: ctx.providerId,
    identityId: row.identityId,
    kind: row.action,
    period: row.period,
    percent: Number.isFinite(row.percent) ? row.percent : null,
    servers: touched.map(({ id, name }) => ({ id, name })),
    message,
    jobId: ctx.jobId ?? null,
  });
  await createAuditEntry(ctx.db, ctx.actor ?? SYSTEM, {
    action: `enforcement.${row.action}`,
    targetType: "identity",
    targetId: row.identityId,
    details: { providerId: ctx.providerId, username: row.username, used: row.used, allocation: row.allocation, did, servers: touched, jobId: ctx.jobId ?? null },
  });
  const undo =
    row.action === "zero_cores"
      ? "Running servers keep running, but no new server can start until the allocation is refreshed."
      : `When the allocation is refreshed the servers are not restarted by themselves: ${row.action === "stop" ? "start them again (openstack server start <name>)" : "unshelve them (openstack server unshelve <name>)"}.`;
  await notify(ctx, row, `enforcement.${row.action}`, `[Cloudport] ${row.username}: allocation used up on ${ctx.providerName}`, `${message}\n\n${undo}`, true);
  ctx.summary.enforced++;
  return did;
}

function mergeServers(a: { id: string; name: string }[], b: UserServer[]) {
  const out = new Map(a.map((s) => [s.id, s]));
  for (const s of b) out.set(s.id, { id: s.id, name: s.name });
  return [...out.values()];
}

/** Credit is back (or the account is exempted): give the cores quota back and say what to do. */
async function restore(ctx: Ctx, row: PlanRow): Promise<string[]> {
  const state = row.state!;
  const did: string[] = [];
  if (state.action === "zero_cores" && row.projectId) {
    const [identity] = await ctx.db.select().from(identities).where(eq(identities.id, row.identityId));
    // A project adopted with its quota left to its owners gets its own value back, not a tier's.
    const desired = identity && !leavesQuotaAlone(identity) ? (await desiredQuotaOf(ctx.db, identity)).values?.cores : undefined;
    const cores = desired ?? state.coresBefore;
    if (cores !== null && cores !== undefined && (await coresLimit(ctx.client, row.projectId)) === 0) {
      await ctx.client.compute.quotaSets.update(row.projectId, { cores });
      did.push(`cores quota 0 → ${cores === -1 ? "unlimited" : cores}`);
    }
  }
  const servers = state.servers ?? [];
  const why = row.restoreReason ?? "has allocation again";
  const after =
    state.action === "stop" && servers.length
      ? `The servers stopped by enforcement were not restarted: start them when you need them (${servers.map((s) => s.name).join(", ")}; openstack server start <name>).`
      : state.action === "shelve" && servers.length
        ? `The servers shelved by enforcement were not unshelved: unshelve them when you need them (${servers.map((s) => s.name).join(", ")}; openstack server unshelve <name>).`
        : "New servers can start again.";
  const message = `${row.username} ${why} on ${ctx.providerName} (${formatAmount(row.used)} of ${formatAmount(row.allocation)} ${row.unit} used)${did.length ? `: ${did.join("; ")}` : ""}. ${after}`;
  await ctx.db.delete(enforcementStates).where(eq(enforcementStates.identityId, row.identityId));
  await recordEvent(ctx.db, {
    providerId: ctx.providerId,
    identityId: row.identityId,
    kind: "restore",
    period: row.period,
    percent: Number.isFinite(row.percent) ? row.percent : null,
    servers,
    message,
    jobId: ctx.jobId ?? null,
  });
  await createAuditEntry(ctx.db, ctx.actor ?? SYSTEM, {
    action: "enforcement.restore",
    targetType: "identity",
    targetId: row.identityId,
    details: { providerId: ctx.providerId, username: row.username, was: state.action, did, servers, jobId: ctx.jobId ?? null },
  });
  await notify(ctx, row, "enforcement.restore", `[Cloudport] ${row.username}: allocation restored on ${ctx.providerName}`, message, true);
  ctx.summary.restored++;
  return did.length ? did : ["restored"];
}

/** Runs enforcement on the provider with an admin client; per-account failures do not stop the run. */
export async function runEnforcement(db: Db, client: OpenStackClient, providerId: number, opts: RunOptions): Promise<RunSummary> {
  const now = opts.now ?? new Date();
  const plan = await planProvider(db, providerId, { client, now });
  if (plan.serversError) throw new Error(plan.serversError);
  const summary: RunSummary = { accounts: plan.accounts, looked: plan.rows.length, notified: 0, enforced: 0, restored: 0, failed: 0, mailed: 0, mailErrors: 0, outcomes: byName<AccountOutcome>() };
  const ctx: Ctx = { ...opts, db, client, providerId, now, summary, policy: plan.policy };
  const rows = opts.scheduled ? scheduledRows(plan) : plan.rows;
  let done = 0;
  for (const row of rows) {
    opts.signal?.throwIfAborted();
    const did: string[] = [];
    try {
      if (row.restore) did.push(...(await restore(ctx, row)));
      else {
        const notice = await sendNotices(ctx, row);
        if (notice) did.push(notice);
        if (row.action !== "none") did.push(...(await enforce(ctx, row)));
        else if (row.percent >= 100 && !row.state?.overSince && row.override !== "never") {
          // Over, but not acted on yet (grace, or not enabled): the grace period starts now.
          await saveState(ctx, row, { overSince: now, period: row.period });
        } else if (row.percent < 100 && row.state && !row.state.enforcedAt) {
          await db.delete(enforcementStates).where(eq(enforcementStates.identityId, row.identityId));
        }
      }
      if (did.length) summary.outcomes[row.username] = { username: row.username, status: "done", did };
    } catch (error) {
      if (opts.signal?.aborted) throw error;
      summary.failed++;
      summary.outcomes[row.username] = { username: row.username, status: "failed", did, error: error instanceof Error ? error.message : String(error) };
    }
    done++;
    if (opts.onProgress && (done % 25 === 0 || done === rows.length)) await opts.onProgress(done, rows.length, summary.failed);
  }
  return summary;
}
