import { revalidatePath } from "next/cache";
import { z } from "zod";
import { actionDefinition, type ActionOf } from "@/lib/actions/safe-action";
import { ACCOUNT_STATES } from "./queries";
import { adoptAccountDef } from "./adopt";
import { openrcForAccount, startProvisioning, startRemoval } from "./service";

// Action definitions for accounts, shared by the provider's accounts page and the user page
// (their routes' "use server" actions.ts files wrap them).

const providerId = z.coerce.number("This provider link is broken.").int("This provider link is broken.").positive("This provider link is broken.");
const stateFilter = z.enum(["live", "all", ...ACCOUNT_STATES]).optional();
const LISTED = 200;

const refresh = (id: number) => revalidatePath(`/providers/${id}/accounts`);

/** Audit details name the users (never passwords); very long lists are cut, with the count kept. */
const listed = (usernames: string[]) => ({
  usernames: usernames.slice(0, LISTED),
  count: usernames.length,
  ...(usernames.length > LISTED ? { more: usernames.length - LISTED } : {}),
});

export const provisionAccounts = actionDefinition({
  name: "provisionAccounts",
  permission: "accounts.manage",
  input: z.object({
    providerId,
    usernamesText: z.string().max(200_000).optional(),
    usernames: z.array(z.string().max(100)).max(10_000).optional(),
    candidatesMatching: z.object({ q: z.string().max(200).optional() }).optional(),
    accountsMatching: z.object({ q: z.string().max(200).optional(), state: stateFilter }).optional(),
    rebuild: z.boolean().default(false),
  }),
  async handler(input, ctx) {
    const { providerId: id, rebuild, ...selection } = input;
    const r = await startProvisioning(ctx.db, { providerId: id, selection, rebuild, createdBy: ctx.user.id });
    await ctx.audit({
      action: "accounts.provision",
      targetType: "provider",
      targetId: id,
      details: {
        ...listed(r.usernames),
        // Cut like the usernames: pasting 10,000 new names must not make a 10,000-name audit row.
        createdUsers: r.createdUsers.slice(0, LISTED),
        createdCount: r.createdUsers.length,
        rebuild,
        jobId: r.job.id,
        alreadyQueued: !r.queued,
      },
    });
    refresh(id);
    return { jobId: r.job.id, count: r.usernames.length, createdUsers: r.createdUsers, alreadyQueued: !r.queued };
  },
});

export const removeAccounts = actionDefinition({
  name: "removeAccounts",
  permission: "accounts.manage",
  input: z.object({
    providerId,
    identityIds: z.array(z.coerce.number().int().positive().max(2_147_483_647)).max(10_000).optional(),
    matching: z.object({ q: z.string().max(200).optional(), state: stateFilter }).optional(),
  }),
  async handler(input, ctx) {
    const r = await startRemoval(ctx.db, { ...input, createdBy: ctx.user.id });
    await ctx.audit({
      action: "accounts.remove",
      targetType: "provider",
      targetId: input.providerId,
      details: { ...listed(r.usernames), jobId: r.job.id, alreadyQueued: !r.queued },
    });
    refresh(input.providerId);
    return { jobId: r.job.id, count: r.usernames.length, alreadyQueued: !r.queued };
  },
});

export const exportOpenrc = actionDefinition({
  name: "exportOpenrc",
  permission: "accounts.manage",
  input: z.object({ providerId, identityId: z.coerce.number().int().positive(), format: z.enum(["openrc", "clouds.yaml"]).default("openrc") }),
  async handler(input, ctx) {
    const file = await openrcForAccount(ctx.db, input.providerId, input.identityId, input.format);
    await ctx.audit({
      action: "accounts.export_openrc",
      targetType: "identity",
      targetId: file.account.id,
      details: { providerId: input.providerId, username: file.account.username, projectName: file.account.projectName, format: input.format },
    });
    return { fileName: file.fileName, body: file.body };
  },
});

/** The server actions made from these, as components take them in props. */
export type AccountActions = {
  provisionAccounts: ActionOf<typeof provisionAccounts>;
  removeAccounts: ActionOf<typeof removeAccounts>;
  exportOpenrc: ActionOf<typeof exportOpenrc>;
};

/** Issue 12 §2: a superuser adopts a project/user Cloudport did not create (lib/accounts/adopt.ts). */
export const adoptAccount = actionDefinition({
  ...adoptAccountDef,
  async handler(input, ctx) {
    const r = await adoptAccountDef.handler(input, ctx);
    refresh(input.providerId);
    return r;
  },
});
