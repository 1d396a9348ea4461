// Action definitions for the Enforcement tab, the user's allocation page and Notifications;
// the routes' "use server" files wrap them.
import { plural } from "@/lib/domain/format";
import { and, eq, inArray, isNull } from "drizzle-orm";
import { z } from "zod";
import { withRevalidate } from "@/lib/actions/revalidate";
import type { ActionDefinition } from "@/lib/actions/safe-action";
import { ActionError } from "@/lib/actions/errors";
import { requireFreshAuth } from "@/lib/auth/fresh";
import { getProvider } from "@/lib/db/queries/providers";
import { enforcementPolicies, identities, notifications, users } from "@/lib/db/schema";
import { formatAmount } from "@/lib/domain/allocation";
import { openAdminClient } from "@/lib/providers/connection";
import { enqueueEnforcementRun } from "./jobs";
import { planProvider, rowsOfInterest } from "./plan";
import { getOverride, getPolicy, policySchema, savePolicy, setOverride } from "./store";

const id = z.coerce.number().int().positive().max(2_147_483_647);

async function provider(ctx: { db: Parameters<typeof getProvider>[0] }, providerId: number) {
  const p = await getProvider(ctx.db, providerId);
  if (!p) throw new ActionError("not_found", `There is no provider ${providerId}.`);
  return p;
}

/** Thresholds come from a text field: "80, 100" (percent signs and spaces allowed). */
const thresholdsField = z.preprocess(
  (v) =>
    typeof v === "string"
      ? v
          .split(/[\s,;]+/)
          .map((t) => t.replace(/%$/, "").trim())
          .filter(Boolean)
      : v,
  policySchema.shape.thresholds,
);
const checkbox = z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean());

export const savePolicySchema = z.object({
  providerId: id,
  thresholds: thresholdsField,
  action: policySchema.shape.action,
  graceHours: policySchema.shape.graceHours,
  enabled: checkbox,
  intervalMinutes: z.coerce.number({ message: "Give the interval in minutes." }).int("Whole minutes.").min(5, "At least every 5 minutes.").max(7 * 24 * 60, "At most once a week.").default(60),
});

export const saveEnforcementPolicyDef: ActionDefinition<typeof savePolicySchema, { message: string }> = {
  name: "saveEnforcementPolicy",
  permission: "accounts.manage",
  input: savePolicySchema,
  labels: { thresholds: "notify at", graceHours: "grace period", intervalMinutes: "run every" },
  async handler({ providerId, intervalMinutes, ...policy }, ctx) {
    await provider(ctx, providerId);
    const before = await getPolicy(ctx.db, providerId);
    if (policy.enabled && policy.action !== "none" && !policy.thresholds.includes(100)) {
      throw new ActionError("invalid_input", "Keep 100 % among the thresholds: users are told when the action is taken.", {
        thresholds: ["Add 100 (the action happens at 100 %)."],
      });
    }
    // Turning on an action that stops or shelves people's servers needs a recent sign-in.
    const acts = (p: { enabled: boolean; action: string }) => p.enabled && (p.action === "stop" || p.action === "shelve");
    if (acts(policy) && !(acts(before) && before.action === policy.action)) requireFreshAuth(ctx);
    await savePolicy(ctx.db, providerId, policy, ctx.user.id, intervalMinutes * 60);
    // Switched on (or off, giving back what it holds): the next scheduled run is due now, not an interval later.
    if (policy.enabled !== before.enabled) await ctx.db.update(enforcementPolicies).set({ nextRunAt: new Date() }).where(eq(enforcementPolicies.providerId, providerId));
    await ctx.audit({ action: "enforcement.policy_saved", targetType: "provider", targetId: providerId, details: { before, after: { ...policy, intervalMinutes } } });
    return {
      message: policy.enabled
        ? `Enforcement policy saved; enforcement is on and runs every ${plural(intervalMinutes, "minute")}.`
        : "Enforcement policy saved; enforcement is off: scheduled runs only enforce accounts set to \"always\" and give back what enforcement still holds.",
    };
  },
};

export type DryRunRow = {
  username: string;
  userId: number;
  used: string;
  allocation: string;
  percent: number | null;
  notifyAt: number | null;
  action: string;
  servers: string[];
  reason: string;
  override: string;
  enforced: string | null;
};
export type DryRunResult = { rows: DryRunRow[]; shown: number; total: number; accounts: number; unit: string; at: string; serversError: string | null };

const DRY_RUN_ROWS = 500;

/** "If enforcement ran now": per account at a threshold, usage, allocation, action, servers. Changes nothing. */
export const dryRunEnforcementDef: ActionDefinition<z.ZodObject<{ providerId: typeof id }>, DryRunResult> = {
  name: "dryRunEnforcement",
  permission: "accounts.manage",
  input: z.object({ providerId: id }),
  async handler({ providerId }, ctx) {
    const db = ctx.db;
    await provider(ctx, providerId);
    const { client } = await openAdminClient(db, providerId);
    try {
      const plan = await planProvider(db, providerId, { client });
      const interesting = rowsOfInterest(plan);
      return {
        rows: interesting.slice(0, DRY_RUN_ROWS).map((r) => ({
          username: r.username,
          userId: r.userId,
          used: formatAmount(r.used),
          allocation: formatAmount(r.allocation),
          percent: Number.isFinite(r.percent) ? Math.round(r.percent * 10) / 10 : null,
          notifyAt: r.notifyAt,
          action: r.restore ? "restore" : r.action,
          servers: r.serversAffected.map((s) => `${s.name} (${s.status})`),
          reason: r.restore ? `${r.restoreReason ?? "has allocation again"}: what enforcement took is given back` : r.reason,
          override: r.override,
          enforced: r.state?.enforcedAt ? `${r.state.action} since ${r.state.enforcedAt.toISOString().slice(0, 16).replace("T", " ")} UTC` : null,
        })),
        shown: Math.min(interesting.length, DRY_RUN_ROWS),
        total: interesting.length,
        accounts: plan.accounts,
        unit: plan.unit,
        at: new Date().toISOString(),
        serversError: plan.serversError,
      };
    } finally {
      await client.close();
    }
  },
};

export type RunNowResult = { jobId: string; message: string };

export const runEnforcementNowDef: ActionDefinition<z.ZodObject<{ providerId: typeof id }>, RunNowResult> = {
  name: "runEnforcementNow",
  permission: "accounts.manage",
  input: z.object({ providerId: id }),
  async handler({ providerId }, ctx) {
    await provider(ctx, providerId);
    const { job, created } = await enqueueEnforcementRun(ctx.db, providerId, { id: ctx.user.id, username: ctx.user.username });
    await ctx.audit({ action: "enforcement.run_requested", targetType: "provider", targetId: providerId, details: { jobId: job.id, alreadyQueued: !created } });
    return { jobId: job.id, message: created ? "Enforcement run started." : "An enforcement run is already going; showing it." };
  },
};

export const setOverrideSchema = z.object({
  providerId: id,
  userId: id,
  override: z.enum(["default", "never", "always"], { message: "Choose provider default, never or always." }),
  reason: z.preprocess((v) => (typeof v === "string" && v.trim() ? v.trim() : null), z.string().max(500, "Keep the reason under 500 characters.").nullable()),
});

export const setEnforcementOverrideDef: ActionDefinition<typeof setOverrideSchema, { message: string }> = {
  name: "setEnforcementOverride",
  permission: "accounts.manage",
  input: setOverrideSchema,
  async handler({ providerId, userId, override, reason }, ctx) {
    const [row] = await ctx.db
      .select({ id: identities.id, username: users.username })
      .from(identities)
      .innerJoin(users, eq(users.id, identities.userId))
      .where(and(eq(identities.providerId, providerId), eq(identities.userId, userId), isNull(identities.endDate)))
      .limit(1);
    if (!row) throw new ActionError("not_found", "This user has no live account on the provider.");
    const before = await getOverride(ctx.db, row.id);
    await setOverride(ctx.db, row.id, override, ctx.user.id, reason);
    await ctx.audit({ action: "enforcement.override", targetType: "identity", targetId: row.id, details: { providerId, username: row.username, before, after: override, reason } });
    const words = { default: "follows the provider's policy", never: "is never enforced", always: "is always enforced (even while the provider's enforcement is off)" };
    return { message: `${row.username} ${words[override]}. It takes effect at the next run.` };
  },
};

export const markReadSchema = z.object({
  ids: z.preprocess((v) => (typeof v === "string" ? v.split(",").filter(Boolean) : v), z.array(id).max(500)).optional(),
  all: checkbox.optional(),
});

export const markNotificationsReadDef: ActionDefinition<typeof markReadSchema, { message: string }> = {
  name: "markNotificationsRead",
  permission: "console.view",
  input: markReadSchema,
  async handler({ ids, all }, ctx) {
    const where = all ? isNull(notifications.readAt) : ids?.length ? and(inArray(notifications.id, ids), isNull(notifications.readAt)) : undefined;
    if (!where) throw new ActionError("invalid_input", "Choose the notifications to mark as read.");
    const rows = await ctx.db.update(notifications).set({ readAt: new Date() }).where(where).returning({ id: notifications.id });
    return { message: rows.length === 1 ? "1 notification marked as read." : `${rows.length} notifications marked as read.` };
  },
};

// What the routes wrap.
export const saveEnforcementPolicy = withRevalidate(saveEnforcementPolicyDef, (i) => `/providers/${i.providerId}/enforcement`);
export const setEnforcementOverride = withRevalidate(setEnforcementOverrideDef, (i) => `/providers/${i.providerId}/allocation/users/${i.userId}`);
export const markNotificationsRead = withRevalidate(markNotificationsReadDef, () => "/notifications", "layout");
