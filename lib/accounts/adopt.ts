import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { ActionError } from "@/lib/actions/errors";
import type { ActionDefinition } from "@/lib/actions/safe-action";
import type { Db } from "@/lib/db/client";
import { identities } from "@/lib/db/schema";
import { getAccount, type AccountRow } from "./queries";
import { startProvisioning } from "./service";

// Issue 12 §2: adopting a project or user Cloudport did not make is an explicit, audited
// superuser action per account. Provisioning then runs for that account; its security group
// and network are left alone unless the superuser opted in.

export type AdoptInput = { providerId: number; identityId: number; openNetwork: boolean; applyQuota?: boolean };

/** Records the adoption on the identity row; refuses removed accounts and ones adopted already. */
export async function recordAdoption(db: Db, input: AdoptInput, by: { id: number | null }): Promise<AccountRow> {
  const account = await getAccount(db, input.providerId, input.identityId);
  if (!account) throw new ActionError("not_found", `There is no account ${input.identityId} on provider ${input.providerId}.`);
  if (account.endDate) throw new ActionError("conflict", `${account.username}'s account was removed; provision it again instead.`);
  if (account.adoptedAt) throw new ActionError("conflict", `${account.username}'s project was adopted already; use Retry.`);
  const [row] = await db
    .update(identities)
    .set({ adoptedAt: new Date(), adoptedBy: by.id, adoptNetwork: input.openNetwork, adoptQuota: Boolean(input.applyQuota), lastError: null })
    .where(and(eq(identities.id, account.id), isNull(identities.endDate), isNull(identities.adoptedAt)))
    .returning();
  if (!row) throw new ActionError("conflict", `${account.username}'s account changed meanwhile; reload the page.`);
  return { ...row, username: account.username };
}

export const adoptAccountSchema = z.object({
  providerId: z.coerce.number().int().positive("This provider link is broken."),
  identityId: z.coerce.number().int().positive(),
  openNetwork: z.boolean().default(false),
  // Off unless the superuser opts in: a project someone else runs keeps the quota they gave it.
  applyQuota: z.boolean().default(false),
});

export const adoptAccountDef: ActionDefinition<typeof adoptAccountSchema, { jobId: string; username: string }> = {
  name: "adoptAccount",
  permission: "accounts.manage",
  input: adoptAccountSchema,
  async handler(input, ctx) {
    // Staff manage accounts; taking over a project someone else made is for superusers only.
    if (!ctx.user.isSuperuser) {
      throw new ActionError("forbidden", "Only a superuser can adopt a project or user that Cloudport did not create.");
    }
    const account = await recordAdoption(ctx.db, input, ctx.user);
    const started = await startProvisioning(ctx.db, {
      providerId: input.providerId,
      selection: { usernames: [account.username] },
      createdBy: ctx.user.id,
    });
    await ctx.audit({
      action: "accounts.adopt",
      targetType: "identity",
      targetId: account.id,
      details: {
        providerId: input.providerId,
        username: account.username,
        projectName: account.projectName,
        openNetwork: input.openNetwork,
        applyQuota: input.applyQuota,
        jobId: started.job.id,
      },
    });
    return { jobId: started.job.id, username: account.username };
  },
};
