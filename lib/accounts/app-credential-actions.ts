// Action definitions for federated accounts' application credentials (the provider's Launch test
// page); app/…/launch-test/actions.ts wraps them. The secret is never returned nor audited.
import { z } from "zod";
import { withRevalidate } from "@/lib/actions/revalidate";
import type { ActionDefinition } from "@/lib/actions/safe-action";
import { ActionError } from "@/lib/actions/errors";
import { deleteAccountAppCredential, saveAccountAppCredential } from "./app-credentials";

const id = z.coerce.number().int().positive().max(2_147_483_647);

export const saveAppCredentialSchema = z.object({
  providerId: id,
  username: z.string().trim().min(1, "Enter the account's username.").max(255, "That is not a username."),
  credentialId: z
    .string()
    .trim()
    .regex(/^[0-9a-f]{32}$/i, "An application credential ID is 32 hexadecimal characters (openstack application credential show <name> -c id)."),
  credentialSecret: z.string().min(8, "Enter the credential's secret (shown once, when it was created).").max(4096, "That secret is too long."),
});

export const saveAppCredentialDef: ActionDefinition<typeof saveAppCredentialSchema, { message: string }> = {
  name: "saveAccountAppCredential",
  permission: "accounts.manage",
  input: saveAppCredentialSchema,
  labels: { credentialId: "application credential ID", credentialSecret: "secret" },
  async handler({ providerId, username, credentialId, credentialSecret }, ctx) {
    const saved = await saveAccountAppCredential(ctx.db, providerId, username, { id: credentialId, secret: credentialSecret }, ctx.user.id);
    await ctx.audit({
      action: "account.app_credential_saved",
      targetType: "identity",
      targetId: saved.identityId,
      details: { providerId, username: saved.username, credentialId, keystoneUserId: saved.userId, projectId: saved.projectId },
    });
    return { message: `Saved: launch tests of ${saved.username} sign in with application credential ${credentialId} (checked with Keystone).` };
  },
};

export const deleteAppCredentialSchema = z.object({ providerId: id, identityId: id });

export const deleteAppCredentialDef: ActionDefinition<typeof deleteAppCredentialSchema, { message: string }> = {
  name: "deleteAccountAppCredential",
  permission: "accounts.manage",
  input: deleteAppCredentialSchema,
  async handler({ providerId, identityId }, ctx) {
    if (!(await deleteAccountAppCredential(ctx.db, identityId))) throw new ActionError("not_found", "That account has no stored application credential.");
    await ctx.audit({ action: "account.app_credential_deleted", targetType: "identity", targetId: identityId, details: { providerId } });
    return { message: "Application credential removed." };
  },
};

export const saveAppCredential = withRevalidate(saveAppCredentialDef, (i) => `/providers/${i.providerId}/launch-test`);
export const deleteAppCredential = withRevalidate(deleteAppCredentialDef, (i) => `/providers/${i.providerId}/launch-test`);
