import "server-only";
import { z } from "zod";
import type { ActionDefinition } from "@/lib/actions/safe-action";
import { DEFAULT_CREDENTIAL_DAYS, MAX_CREDENTIAL_DAYS, rotateApplicationCredential, switchToApplicationCredential } from "./app-credential";
import { requireFreshSignInForConnectionChange } from "./manage";

// Issue 12 §6: the provider page's "Switch to an application credential" and "Rotate".
// Audit rows name credential ids and expiry dates, never a secret or the password.

const providerId = z.coerce.number().int().positive("This provider link is broken.");
const days = z.coerce
  .number()
  .int()
  .min(1, `Choose an expiry between 1 and ${MAX_CREDENTIAL_DAYS} days.`)
  .max(MAX_CREDENTIAL_DAYS, `Choose an expiry between 1 and ${MAX_CREDENTIAL_DAYS} days.`)
  .default(DEFAULT_CREDENTIAL_DAYS);

export const switchCredentialSchema = z.object({ providerId, days });
export type CredentialResult = { name: string; expiresAt: string; note?: string };

export const switchCredentialDef: ActionDefinition<typeof switchCredentialSchema, CredentialResult> = {
  name: "switchToApplicationCredential",
  permission: "providers.manage",
  input: switchCredentialSchema,
  async handler(input, ctx) {
    await requireFreshSignInForConnectionChange(ctx);
    await ctx.audit({ action: "provider.credential_switch_attempt", targetType: "provider", targetId: input.providerId, details: { days: input.days } });
    const { minted } = await switchToApplicationCredential(ctx.db, input.providerId, input.days);
    await ctx.audit({
      action: "provider.credential_switch",
      targetType: "provider",
      targetId: input.providerId,
      details: { applicationCredentialId: minted.id, name: minted.name, expiresAt: minted.expiresAt.toISOString() },
    });
    return { name: minted.name, expiresAt: minted.expiresAt.toISOString() };
  },
};

export const rotateCredentialSchema = z.object({
  providerId,
  days,
  password: z.string().max(1000).default(""),
});

export const rotateCredentialDef: ActionDefinition<typeof rotateCredentialSchema, CredentialResult> = {
  name: "rotateApplicationCredential",
  permission: "providers.manage",
  input: rotateCredentialSchema,
  async handler(input, ctx) {
    await requireFreshSignInForConnectionChange(ctx);
    await ctx.audit({ action: "provider.credential_rotate_attempt", targetType: "provider", targetId: input.providerId, details: { days: input.days } });
    const r = await rotateApplicationCredential(ctx.db, input.providerId, { password: input.password, days: input.days });
    await ctx.audit({
      action: "provider.credential_rotate",
      targetType: "provider",
      targetId: input.providerId,
      details: {
        applicationCredentialId: r.minted.id,
        name: r.minted.name,
        expiresAt: r.minted.expiresAt.toISOString(),
        oldApplicationCredentialId: r.oldId,
        oldDeleted: r.oldDeleted,
      },
    });
    return { name: r.minted.name, expiresAt: r.minted.expiresAt.toISOString(), note: r.oldDeleteError };
  },
};
