// Action definitions; the routes' "use server" actions.ts files wrap them with defineAction/defineFormAction.
import { redirect } from "next/navigation";
import { z } from "zod";
import { ActionError } from "@/lib/actions/errors";
import { actionDefinition, type ActionContext } from "@/lib/actions/safe-action";
import {
  createProviderDraft,
  deleteProviderDraft,
  getProviderDraft,
  updateProviderDraft,
  type Draft,
} from "@/lib/db/queries/provider-drafts";
import { getProviderByName } from "@/lib/db/queries/providers";
import { clientOptions, connect, credentialSecretOf, credentialSecrets, importedStepValues } from "@/lib/providers/connection";
import { checkFederationSetting } from "@/lib/providers/federation";
import { DEFAULT_CREDENTIAL_DAYS, MAX_CREDENTIAL_DAYS, minterFor } from "@/lib/providers/app-credential";
import { createProviderFromDraft } from "@/lib/providers/create";
import { runPreflight } from "@/lib/providers/preflight";
import {
  accountsSchema,
  connectSchema,
  deploySchema,
  importedSettingsSchema,
  networkSchema,
  parseJsonField,
  type PreflightReport,
} from "@/lib/providers/schemas";

const draftId = z.string().uuid("This wizard link is broken: start again from Providers → Add provider.");

async function loadDraft(ctx: ActionContext, id: string): Promise<Draft> {
  const draft = await getProviderDraft(ctx.db, ctx.user.id, id);
  if (!draft) throw new ActionError("not_found", "This draft no longer exists (it was created or discarded). Start again.");
  return draft;
}

/**
 * A region the last verification's catalog does not list, for the same auth URL: refused with
 * the catalog's regions (a new auth URL may be another cloud, so its region is left to Verify).
 */
function regionNotInCatalog(draft: Draft, connect: { authUrl: string; region: string }): string | null {
  const catalog = draft.data.preflight?.catalog ?? [];
  if (!catalog.length || draft.data.connect?.authUrl !== connect.authUrl) return null;
  const regions = [...new Set(catalog.map((e) => e.region).filter(Boolean))].sort();
  if (!regions.length || regions.includes(connect.region)) return null;
  return `Region "${connect.region}" is not in this cloud's catalog; choose one of: ${regions.join(", ")}.`;
}

export const startProviderDraft = actionDefinition({
  name: "startProviderDraft",
  permission: "providers.manage",
  input: z.object({}),
  async handler(_input, ctx) {
    const draft = await createProviderDraft(ctx.db, ctx.user.id);
    await ctx.audit({ action: "provider_draft.start", targetType: "provider_draft", targetId: draft.id });
    redirect(`/providers/new/${draft.id}/connect`);
  },
});

export const discardProviderDraft = actionDefinition({
  name: "discardProviderDraft",
  permission: "providers.manage",
  input: z.object({ draftId }),
  async handler({ draftId }, ctx) {
    const draft = await loadDraft(ctx, draftId);
    await deleteProviderDraft(ctx.db, draftId);
    await ctx.audit({
      action: "provider_draft.discard",
      targetType: "provider_draft",
      targetId: draftId,
      details: { step: draft.step, authUrl: draft.data.connect?.authUrl ?? null, name: draft.data.deploy?.name ?? null },
    });
    redirect("/providers");
  },
});

const secretText = z.preprocess((v) => (typeof v === "string" && v !== "" ? v : undefined), z.string().max(1000).optional());

export const saveConnectStep = actionDefinition({
  name: "saveConnectStep",
  permission: "providers.manage",
  input: z.intersection(
    connectSchema,
    z.object({
      draftId,
      password: secretText,
      applicationCredentialSecret: secretText,
      // From an imported add_new_provider JSON: pre-fills the later steps.
      imported: z.preprocess(
        (v) => (typeof v === "string" && v ? parseJsonField(v) : undefined),
        importedSettingsSchema.optional(),
      ),
      importedAccountSecret: secretText,
    }),
  ),
  async handler({ draftId, password, applicationCredentialSecret, imported, importedAccountSecret, ...connect }, ctx) {
    const draft = await loadDraft(ctx, draftId);
    // A blank field keeps what was typed before, so Back never costs the password.
    const secret = credentialSecretOf(connect.authMethod, { password, applicationCredentialSecret }) ?? credentialSecretOf(connect.authMethod, draft.secrets);
    if (!secret) {
      const [field, message] =
        connect.authMethod === "password" ? ["password", "Enter the admin password."] : ["applicationCredentialSecret", "Enter the application credential secret."];
      throw new ActionError("invalid_input", message, { [field]: [message] });
    }
    // Only the chosen method's secret is kept; the other one is dropped.
    const secrets = { password: undefined, applicationCredentialSecret: undefined, ...credentialSecrets(connect.authMethod, secret) };
    const region = regionNotInCatalog(draft, connect);
    if (region) throw new ActionError("invalid_input", region, { region: [region] });
    // A changed connection invalidates the last verification.
    const same = JSON.stringify(draft.data.connect) === JSON.stringify(connect) && secrets.password === draft.secrets.password && secrets.applicationCredentialSecret === draft.secrets.applicationCredentialSecret;
    await updateProviderDraft(ctx.db, draft, {
      step: "verify",
      data: { connect, preflight: same ? draft.data.preflight : undefined, ...(imported ? { imported } : {}) },
      secrets: {
        ...secrets,
        // Too short a secret is not kept: the Accounts step asks for a proper one.
        ...(importedAccountSecret && importedAccountSecret.length >= 32 ? { accountSecret: importedAccountSecret } : {}),
      },
    });
    // Which secrets were typed, never their values (the audit log also strips secret-looking keys).
    await ctx.audit({
      action: "provider_draft.connect",
      targetType: "provider_draft",
      targetId: draftId,
      details: {
        authUrl: connect.authUrl,
        region: connect.region,
        authMethod: connect.authMethod,
        newCredential: Boolean(password ?? applicationCredentialSecret),
        imported: Boolean(imported),
      },
    });
    redirect(`/providers/new/${draftId}/verify`);
  },
});

export const verifyDraft = actionDefinition({
  name: "verifyDraft",
  permission: "providers.manage",
  input: z.object({ draftId }),
  async handler({ draftId }, ctx): Promise<PreflightReport> {
    const draft = await loadDraft(ctx, draftId);
    if (!draft.data.connect) throw new ActionError("invalid_input", "Fill in the Connect step first.");
    const report = await runPreflight({
      options: clientOptions(draft.data.connect, draft.secrets),
      adminUrl: draft.data.connect.adminUrl,
      // The role typed on Connect, else the Accounts step's, else the imported file's admin_role_name (the one reader's default: admin).
      adminRoleName:
        draft.data.connect.adminRoleName ?? draft.data.accounts?.adminRoleName ?? importedStepValues(draft.data.imported).accounts.adminRoleName,
    });
    await updateProviderDraft(ctx.db, draft, { step: report.ok ? "network" : "verify", data: { preflight: report } });
    await ctx.audit({
      action: "provider_draft.verify",
      targetType: "provider_draft",
      targetId: draftId,
      details: { ok: report.ok, failed: report.checks.filter((c) => c.status === "fail").length },
    });
    return report;
  },
});

export const saveNetworkStep = actionDefinition({
  name: "saveNetworkStep",
  permission: "providers.manage",
  input: z.intersection(networkSchema, z.object({ draftId })),
  async handler({ draftId, ...network }, ctx) {
    const draft = await loadDraft(ctx, draftId);
    await updateProviderDraft(ctx.db, draft, { step: "accounts", data: { network } });
    await ctx.audit({ action: "provider_draft.network", targetType: "provider_draft", targetId: draftId, details: { topology: network.topology } });
    redirect(`/providers/new/${draftId}/accounts`);
  },
});

/** The wizard's federation check (lib/providers/federation.ts), with the draft's connection. */
async function checkFederation(draft: Draft, domain: string, idp: string, protocol: string): Promise<void> {
  if (!draft.data.connect) throw new ActionError("conflict", "Connect to the cloud first.");
  const client = await connect(clientOptions(draft.data.connect, draft.secrets));
  try {
    await checkFederationSetting(client, domain, { idp, protocol });
  } finally {
    await client.close();
  }
}

export const saveAccountsStep = actionDefinition({
  name: "saveAccountsStep",
  permission: "providers.manage",
  input: z.intersection(accountsSchema, z.object({ draftId })),
  async handler({ draftId, accountSecret, ...accounts }, ctx) {
    const draft = await loadDraft(ctx, draftId);
    const secret = accountSecret ?? draft.secrets.accountSecret;
    if (!secret) {
      const message = "Enter an account secret of at least 32 characters, or press Generate.";
      throw new ActionError("invalid_input", message, { accountSecret: [message] });
    }
    if (accounts.federationIdp && accounts.federationProtocol) await checkFederation(draft, accounts.domain, accounts.federationIdp, accounts.federationProtocol);
    await updateProviderDraft(ctx.db, draft, { step: "deploy", data: { accounts }, secrets: { accountSecret: secret } });
    await ctx.audit({
      action: "provider_draft.accounts",
      targetType: "provider_draft",
      targetId: draftId,
      details: { ...accounts, newAccountSecret: Boolean(accountSecret) },
    });
    redirect(`/providers/new/${draftId}/deploy`);
  },
});

export const saveDeployStep = actionDefinition({
  name: "saveDeployStep",
  permission: "providers.manage",
  input: z.intersection(deploySchema, z.object({ draftId })),
  async handler({ draftId, ...deploy }, ctx) {
    const draft = await loadDraft(ctx, draftId);
    if (await getProviderByName(ctx.db, deploy.name)) {
      throw new ActionError("conflict", `A provider named "${deploy.name}" exists already.`, {
        name: ["This name is taken: choose another."],
      });
    }
    await updateProviderDraft(ctx.db, draft, { step: "review", data: { deploy } });
    await ctx.audit({ action: "provider_draft.deploy", targetType: "provider_draft", targetId: draftId, details: { name: deploy.name } });
    redirect(`/providers/new/${draftId}/review`);
  },
});

export const createProvider = actionDefinition({
  name: "createProvider",
  permission: "providers.manage",
  input: z.object({
    draftId,
    // Issue 12 §6: trade the admin password for an expiring application credential (the default).
    appCredential: z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean()).default(false),
    appCredentialDays: z.coerce
      .number()
      .int()
      .min(1, `Choose an expiry between 1 and ${MAX_CREDENTIAL_DAYS} days.`)
      .max(MAX_CREDENTIAL_DAYS, `Choose an expiry between 1 and ${MAX_CREDENTIAL_DAYS} days.`)
      .default(DEFAULT_CREDENTIAL_DAYS),
  }),
  async handler({ draftId, appCredential, appCredentialDays }, ctx) {
    const draft = await loadDraft(ctx, draftId);
    const provider = await createProviderFromDraft(ctx.db, draft, appCredential ? { mint: minterFor(appCredentialDays) } : {});
    await deleteProviderDraft(ctx.db, draftId);
    await ctx.audit({
      action: "provider.create",
      targetType: "provider",
      targetId: provider.id,
      details: {
        name: provider.name,
        authUrl: provider.authUrl,
        region: provider.region,
        authMethod: provider.authMethod,
        ...(provider.credentialExpiresAt ? { appCredentialMadeFromPassword: true, credentialExpiresAt: provider.credentialExpiresAt.toISOString() } : {}),
      },
    });
    redirect(`/providers/${provider.id}`);
  },
});
