// Action definitions for quota tiers and account quotas. app/…/quotas/actions.ts wraps them
// with defineAction/defineFormAction; tests run them through runAction with their own db.
import { withRevalidate } from "@/lib/actions/revalidate";
import { z } from "zod";
import type { ActionDefinition } from "@/lib/actions/safe-action";
import { ActionError } from "@/lib/actions/errors";
import { requireFreshAuth } from "@/lib/auth/fresh";
import { getAccount, liveAccountsByIds } from "@/lib/accounts/queries";
import { getProvider } from "@/lib/db/queries/providers";
import { QUOTA_KEYS, QUOTA_LABELS, validateQuotaValues, validateTierName, type QuotaValues } from "@/lib/domain/quotas";
import { enqueueJob } from "@/lib/jobs/queue";
import { openAdminClient } from "@/lib/providers/connection";
import { QUOTA_BULK_JOB } from "./jobs";
import { changeAccountQuota, QuotaBelowUsageError, QuotaLeftAloneError } from "./service";
import { getTier, listTiers, saveTier, type Tier } from "./tiers";

const id = z.coerce.number().int().positive().max(2_147_483_647);
const quotaNumber = z.union([z.literal(""), z.coerce.number()]).transform((v) => (v === "" ? undefined : v));

/** The 13 values as form fields (`v.cores`, …); an empty field means "not set". */
const valuesInput = z.object(Object.fromEntries(QUOTA_KEYS.map((k) => [k, quotaNumber.optional()]))) as z.ZodType<
  Partial<Record<keyof QuotaValues, number | undefined>>
>;

/** Form fields named `values.cores` etc. (flat in FormData) → `{ values: { cores } }`. */
function nested<S extends z.ZodType>(schema: S) {
  return z.preprocess((raw) => {
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) return raw;
    const out: Record<string, unknown> = {};
    const values: Record<string, unknown> = { ...((raw as { values?: object }).values ?? {}) };
    for (const [k, v] of Object.entries(raw)) {
      if (k.startsWith("values.")) values[k.slice(7)] = v;
      else if (k !== "values") out[k] = v;
    }
    return { ...out, values };
  }, schema);
}

function checked(values: Partial<Record<string, unknown>>): QuotaValues {
  const problems = validateQuotaValues(values);
  if (problems.length) {
    throw new ActionError(
      "invalid_input",
      problems.map((p) => p.message).join(" "),
      Object.fromEntries(problems.map((p) => [`values.${p.key}`, [p.message]])),
    );
  }
  return values as QuotaValues;
}

const checkbox = z.union([z.literal("on"), z.literal("true"), z.boolean()]).optional().transform((v) => v === true || v === "on" || v === "true");

export const saveTierSchema = nested(z.object({
  providerId: id,
  tierId: z.union([z.literal(""), id]).optional().transform((v) => (v === "" || v === undefined ? null : v)),
  name: z.string().trim().max(40),
  description: z.string().trim().max(500).default(""),
  isDefault: checkbox,
  values: valuesInput,
}));

export const saveTierDef: ActionDefinition<typeof saveTierSchema, { tier: Tier; message: string }> = {
  name: "saveQuotaTier",
  permission: "accounts.manage",
  input: saveTierSchema,
  async handler(input, ctx) {
    const provider = await getProvider(ctx.db, input.providerId);
    if (!provider) throw new ActionError("not_found", `There is no provider ${input.providerId}.`);
    const nameProblem = validateTierName(input.name);
    if (nameProblem) throw new ActionError("invalid_input", nameProblem, { name: [nameProblem] });
    const values = checked(input.values);
    const tiers = await listTiers(ctx.db, input.providerId);
    if (tiers.some((t) => t.name === input.name && t.id !== input.tierId)) {
      throw new ActionError("conflict", `This provider already has a tier named "${input.name}": choose another name.`);
    }
    const current = input.tierId ? tiers.find((t) => t.id === input.tierId) : undefined;
    if (input.tierId && !current) throw new ActionError("not_found", `Tier ${input.tierId} is not a tier of this provider.`);
    if (current?.isDefault && !input.isDefault) {
      throw new ActionError("invalid_input", "A provider always has a default tier: make another tier the default instead.");
    }
    const { before, after } = await saveTier(ctx.db, input.providerId, input.tierId, {
      name: input.name,
      description: input.description,
      values,
      isDefault: input.isDefault,
    });
    await ctx.audit({
      action: before ? "quotas.tier_update" : "quotas.tier_create",
      targetType: "provider",
      targetId: input.providerId,
      details: {
        tier: after.name,
        before: before && { name: before.name, description: before.description, isDefault: before.isDefault, values: before.values },
        after: { name: after.name, description: after.description, isDefault: after.isDefault, values: after.values },
      },
    });
    return { tier: after, message: `Tier ${after.name} saved. Accounts on it get the new values when their quota is next applied.` };
  },
};

export const setAccountQuotaSchema = nested(z.object({
  providerId: id,
  identityId: id,
  /** "" = the provider's default tier. */
  tierId: z.union([z.literal(""), id]).transform((v) => (v === "" ? null : v)),
  values: valuesInput.optional(),
}));

export type AccountQuotaActionResult = { message: string; before: Partial<QuotaValues>; after: Partial<QuotaValues>; note: string | null };

export const setAccountQuotaDef: ActionDefinition<typeof setAccountQuotaSchema, AccountQuotaActionResult> = {
  name: "setAccountQuota",
  permission: "accounts.manage",
  input: setAccountQuotaSchema,
  async handler(input, ctx) {
    const account = await getAccount(ctx.db, input.providerId, input.identityId);
    if (!account || account.endDate) throw new ActionError("not_found", "This account does not exist on this provider (or was removed).");
    if (!account.projectId) throw new ActionError("invalid_input", `${account.username} has no project yet: provision the account first.`);
    if (input.tierId !== null && !(await getTier(ctx.db, input.providerId, input.tierId))) {
      throw new ActionError("not_found", `Tier ${input.tierId} is not a tier of this provider.`);
    }
    const custom: Partial<QuotaValues> = {};
    for (const key of QUOTA_KEYS) {
      const v = input.values?.[key];
      if (v === undefined) continue;
      if (!Number.isInteger(v) || v < -1) {
        const m = `${QUOTA_LABELS[key]} must be a whole number, 0 or more, or -1 for unlimited.`;
        throw new ActionError("invalid_input", m, { [`values.${key}`]: [m] });
      }
      custom[key] = v;
    }
    const { client } = await openAdminClient(ctx.db, input.providerId);
    try {
      // A project adopted with its quota left to its owners: only a superuser takes it over.
      const r = await changeAccountQuota(ctx.db, client, account, { tierId: input.tierId, custom: Object.keys(custom).length ? custom : null }, undefined, {
        takeOverAdopted: ctx.user.isSuperuser,
      });
      await ctx.audit({
        action: "quotas.apply",
        targetType: "identity",
        targetId: account.id,
        details: {
          providerId: input.providerId,
          username: account.username,
          tier: r.tier?.name ?? null,
          custom,
          before: r.before,
          after: r.after,
          note: r.note,
          ...(r.tookOver ? { tookOverAdoptedQuota: true } : {}),
        },
      });
      const what = r.changed.length ? `${r.changed.length} value${r.changed.length === 1 ? "" : "s"} changed on the cloud` : "the cloud already had these values";
      const tookOver = r.tookOver ? " Cloudport keeps this adopted project's quota from now on (drift checks included)." : "";
      return { message: `${account.username}: ${what}.${r.note ? ` ${r.note}.` : ""}${tookOver}`, before: r.before, after: r.after, note: r.note };
    } catch (e) {
      if (e instanceof QuotaBelowUsageError) throw new ActionError("invalid_input", e.message);
      if (e instanceof QuotaLeftAloneError) throw new ActionError("forbidden", e.message);
      throw e;
    } finally {
      await client.close();
    }
  },
};

export const bulkQuotaSchema = z.object({
  providerId: id,
  identityIds: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(id).max(10_000)),
  tierId: z.union([z.literal(""), id]).transform((v) => (v === "" ? null : v)),
  clearCustom: checkbox,
});

export const bulkQuotaDef: ActionDefinition<typeof bulkQuotaSchema, { jobId: string; count: number; alreadyQueued: boolean }> = {
  name: "bulkAccountQuota",
  permission: "accounts.manage",
  input: bulkQuotaSchema,
  async handler(input, ctx) {
    const accounts = await liveAccountsByIds(ctx.db, input.providerId, input.identityIds);
    if (accounts.length === 0) throw new ActionError("invalid_input", "Choose at least one account that has not been removed.");
    // Changes many projects' quotas at once: a recent sign-in, like a secret export.
    requireFreshAuth(ctx);
    const tier = input.tierId === null ? null : await getTier(ctx.db, input.providerId, input.tierId);
    if (input.tierId !== null && !tier) throw new ActionError("not_found", `Tier ${input.tierId} is not a tier of this provider.`);
    const identityIds = accounts.map((a) => a.id).sort((a, b) => a - b);
    const { job, created } = await enqueueJob(ctx.db, {
      kind: QUOTA_BULK_JOB,
      providerId: input.providerId,
      params: { providerId: input.providerId, identityIds, tierId: input.tierId, clearCustom: input.clearCustom, actor: { id: ctx.user.id, username: ctx.user.username } },
      createdBy: ctx.user.id,
      maxAttempts: 1,
      dedupeKey: `${QUOTA_BULK_JOB}:${input.providerId}`,
    });
    await ctx.audit({
      action: "quotas.bulk",
      targetType: "provider",
      targetId: input.providerId,
      details: { tier: tier?.name ?? "provider default", count: identityIds.length, usernames: accounts.slice(0, 200).map((a) => a.username), jobId: job.id, alreadyQueued: !created },
    });
    return { jobId: job.id, count: identityIds.length, alreadyQueued: !created };
  },
};

// What the Quotas pages' route wraps: the definitions above, refreshing the pages after a change.
const quotasPath = (input: { providerId: number }) => `/providers/${input.providerId}/quotas`;
export const saveTierAction = withRevalidate(saveTierDef, quotasPath, "layout");
export const setAccountQuota = withRevalidate(setAccountQuotaDef, quotasPath, "layout");
export const bulkAccountQuota = bulkQuotaDef;
