// Action definitions for the Drift tab; app/…/drift/actions.ts wraps them.
import { plural } from "@/lib/domain/format";
import { withRevalidate } from "@/lib/actions/revalidate";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { ActionDefinition } from "@/lib/actions/safe-action";
import { ActionError } from "@/lib/actions/errors";
import { requireFreshAuth } from "@/lib/auth/fresh";
import { getProvider } from "@/lib/db/queries/providers";
import { driftFindings, driftSettings } from "@/lib/db/schema";
import { formatInterval } from "@/lib/imports/resources";
import { scheduleFields, scheduleInterval } from "@/lib/imports/schemas";
import { describeFinding } from "@/lib/domain/drift";
import { acceptFinding, ignoreFinding } from "./apply";
import { enqueueDriftApply, enqueueDriftCheck } from "./jobs";

const id = z.coerce.number().int().positive().max(2_147_483_647);

export type DriftJobResult = { jobId: string; message: string };

async function provider(ctx: { db: Parameters<typeof getProvider>[0] }, providerId: number) {
  const p = await getProvider(ctx.db, providerId);
  if (!p) throw new ActionError("not_found", `There is no provider ${providerId}.`);
  return p;
}

/** Whether a (live) drift.apply job already works on every one of these findings. */
function covers(job: { params: unknown }, findingIds: number[]): boolean {
  const ids = new Set(((job.params as { findingIds?: unknown })?.findingIds as number[] | undefined) ?? []);
  return findingIds.every((i) => ids.has(i));
}

const busy = (what: string) =>
  new ActionError("conflict", `Another Apply is running on this provider and does not include ${what}; try again when it ends (its progress is shown on this tab).`);

export const driftBulkSchema = z.object({ providerId: id, op: z.enum(["check", "apply_all"]) });

/** "Check now" and "Apply all": both queue a job the page follows. */
export const driftBulkDef: ActionDefinition<typeof driftBulkSchema, DriftJobResult> = {
  name: "driftBulk",
  permission: "accounts.manage",
  input: driftBulkSchema,
  async handler({ providerId, op }, ctx) {
    await provider(ctx, providerId);
    const by = { id: ctx.user.id, username: ctx.user.username };
    if (op === "check") {
      const { job, created } = await enqueueDriftCheck(ctx.db, providerId, by);
      await ctx.audit({ action: "drift.check_requested", targetType: "provider", targetId: providerId, details: { jobId: job.id, alreadyQueued: !created } });
      return { jobId: job.id, message: created ? "Drift check started." : "A drift check is already running; showing it." };
    }
    // Apply all rewrites many accounts on the cloud at once: a recent sign-in, like a secret export.
    requireFreshAuth(ctx);
    const open = await ctx.db
      .select({ id: driftFindings.id })
      .from(driftFindings)
      .where(and(eq(driftFindings.providerId, providerId), eq(driftFindings.status, "open"), eq(driftFindings.fixable, true)));
    if (!open.length) throw new ActionError("invalid_input", "There is no open difference that Apply can fix: run a check first.");
    const { job, created } = await enqueueDriftApply(ctx.db, providerId, open.map((o) => o.id), by);
    if (!created && !covers(job, open.map((o) => o.id))) throw busy("every open difference");
    await ctx.audit({ action: "drift.apply_all", targetType: "provider", targetId: providerId, details: { jobId: job.id, count: open.length, alreadyQueued: !created } });
    return { jobId: job.id, message: created ? `Applying ${plural(open.length, "difference")}.` : "Differences are already being applied; showing that job." };
  },
};

export const driftRowSchema = z.object({ providerId: id, findingId: id, op: z.enum(["apply", "accept", "ignore"]) });

export type DriftRowResult = { message: string; jobId?: string };

/** Apply (as a job), Accept (quota values) or Ignore one difference. */
export const driftRowDef: ActionDefinition<typeof driftRowSchema, DriftRowResult> = {
  name: "driftRow",
  permission: "accounts.manage",
  input: driftRowSchema,
  async handler({ providerId, findingId, op }, ctx) {
    const [f] = await ctx.db
      .select()
      .from(driftFindings)
      .where(and(eq(driftFindings.providerId, providerId), eq(driftFindings.id, findingId)));
    if (!f) throw new ActionError("not_found", "This difference is gone (fixed or re-checked meanwhile): reload the page.");
    const text = describeFinding(f);
    if (op === "apply") {
      if (!f.fixable) throw new ActionError("invalid_input", "Extra roles are listed, never removed by Cloudport: remove them on the cloud, or ignore this.");
      const { job, created } = await enqueueDriftApply(ctx.db, providerId, [f.id], { id: ctx.user.id, username: ctx.user.username });
      // One apply job per provider at a time: a live one that does not hold this row would drop it.
      if (!created && !covers(job, [f.id])) throw busy("this difference");
      await ctx.audit({ action: "drift.apply_requested", targetType: "identity", targetId: f.identityId, details: { providerId, difference: text, jobId: job.id, alreadyQueued: !created } });
      return { message: created ? `Applying: ${text}.` : `Already being applied: ${text}.`, jobId: job.id };
    }
    if (op === "accept") {
      try {
        const r = await acceptFinding(ctx.db, f);
        await ctx.audit({ action: "drift.accept", targetType: "identity", targetId: f.identityId, details: { providerId, difference: text, before: f.desired, after: r.value } });
        return { message: `Accepted: ${r.key} is now ${r.value} for this account.` };
      } catch (e) {
        throw new ActionError("invalid_input", e instanceof Error ? e.message : String(e));
      }
    }
    await ignoreFinding(ctx.db, f);
    await ctx.audit({ action: "drift.ignore", targetType: "identity", targetId: f.identityId, details: { providerId, difference: text } });
    return { message: `Ignored until the cloud's value changes: ${text}.` };
  },
};

/** The drift check's schedule form (the fields of every schedule form). */
export const driftScheduleSchema = z.object({ providerId: id, ...scheduleFields }).transform((v, ctx) => {
  const intervalSeconds = scheduleInterval(v, ctx, "Check");
  if (intervalSeconds === null) return z.NEVER;
  return { providerId: v.providerId, intervalSeconds, enabled: v.enabled };
});

export type DriftScheduleResult = { message: string; intervalSeconds: number; enabled: boolean; nextRunAt: string };

/** Saves the drift check's interval and on/off switch (drift_settings); the next check is one interval after the last. */
export const driftScheduleDef: ActionDefinition<typeof driftScheduleSchema, DriftScheduleResult> = {
  name: "driftSchedule",
  permission: "accounts.manage",
  input: driftScheduleSchema,
  labels: { every: "check every" },
  async handler({ providerId, intervalSeconds, enabled }, ctx) {
    await provider(ctx, providerId);
    const [before] = await ctx.db.select().from(driftSettings).where(eq(driftSettings.providerId, providerId));
    // A shorter interval whose next check is already overdue runs at the scheduler's next tick.
    const nextRunAt = sql`coalesce(${driftSettings.lastCheckedAt}, now()) + make_interval(secs => ${intervalSeconds})`;
    const [row] = await ctx.db
      .insert(driftSettings)
      .values({ providerId, intervalSeconds, enabled })
      .onConflictDoUpdate({ target: driftSettings.providerId, set: { intervalSeconds, enabled, nextRunAt } })
      .returning();
    await ctx.audit({
      action: "drift.schedule_saved",
      targetType: "provider",
      targetId: providerId,
      details: { before: before ? { intervalSeconds: before.intervalSeconds, enabled: before.enabled } : null, after: { intervalSeconds, enabled } },
    });
    return {
      message: enabled ? `Saved: the drift check runs every ${formatInterval(intervalSeconds)}.` : "Saved: the drift check runs only when you press Check now.",
      intervalSeconds: row.intervalSeconds,
      enabled: row.enabled,
      nextRunAt: row.nextRunAt.toISOString(),
    };
  },
};

// What the Drift tab's route wraps.
const driftPath = (input: { providerId: number }) => `/providers/${input.providerId}/drift`;
export const driftBulk = driftBulkDef;
export const driftRow = withRevalidate(driftRowDef, driftPath);
export const driftSchedule = withRevalidate(driftScheduleDef, driftPath);
