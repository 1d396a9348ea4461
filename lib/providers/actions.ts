// Action definitions; the routes' "use server" actions.ts files wrap them with defineAction/defineFormAction.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { actionDefinition } from "@/lib/actions/safe-action";
import {
  deleteProviderChecked,
  rerunProviderPreflight,
  setProviderActive,
  updateProviderSettings,
} from "@/lib/providers/manage";
import { credentialSecretOf } from "@/lib/providers/connection";
import { rotateCredentialDef, switchCredentialDef } from "@/lib/providers/credential-actions";
import { accountsSchema, connectSchema, deploySchema, networkSchema } from "@/lib/providers/schemas";

const providerId = z.coerce.number("This provider link is broken.").int("This provider link is broken.").positive("This provider link is broken.");

function refresh(id: number) {
  revalidatePath("/providers");
  revalidatePath(`/providers/${id}`);
}

const counts = (checks: Array<{ status: string }>) => ({
  failed: checks.filter((c) => c.status === "fail").length,
  warnings: checks.filter((c) => c.status === "warn").length,
});

export const rerunPreflight = actionDefinition({
  name: "rerunPreflight",
  permission: "providers.manage",
  input: z.object({ providerId }),
  async handler({ providerId }, ctx) {
    const report = await rerunProviderPreflight(ctx.db, providerId);
    const summary = { ok: report.ok, ...counts(report.checks) };
    await ctx.audit({ action: "provider.preflight", targetType: "provider", targetId: providerId, details: summary });
    refresh(providerId);
    return summary;
  },
});

export const setActive = actionDefinition({
  name: "setProviderActive",
  permission: "providers.manage",
  input: z.object({ providerId, active: z.enum(["true", "false"]).transform((v) => v === "true") }),
  async handler({ providerId, active }, ctx) {
    const { provider, changed } = await setProviderActive(ctx.db, providerId, active);
    if (changed) {
      await ctx.audit({
        action: active ? "provider.activate" : "provider.deactivate",
        targetType: "provider",
        targetId: providerId,
        details: { name: provider.name },
      });
    }
    refresh(providerId);
    return { active: provider.isActive };
  },
});

export const deleteProvider = actionDefinition({
  name: "deleteProvider",
  permission: "providers.manage",
  input: z.object({ providerId, confirmName: z.string().max(200).default("") }),
  async handler({ providerId, confirmName }, ctx) {
    const provider = await deleteProviderChecked(ctx.db, providerId, confirmName);
    await ctx.audit({
      action: "provider.delete",
      targetType: "provider",
      targetId: providerId,
      details: { name: provider.name, authUrl: provider.authUrl, region: provider.region },
    });
    revalidatePath("/providers");
    redirect(`/providers?deleted=${encodeURIComponent(provider.name)}`);
  },
});

const secretText = z.preprocess((v) => (typeof v === "string" && v !== "" ? v : undefined), z.string().max(1000).optional());

// The form sends public routers as one comma-separated field.
const splitRouters = (raw: unknown) => {
  if (!raw || typeof raw !== "object") return raw;
  const r = raw as Record<string, unknown>;
  if (typeof r.publicRouters !== "string") return raw;
  return {
    ...r,
    publicRouters: r.publicRouters
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  };
};

const editSchema = z.preprocess(
  splitRouters,
  z.intersection(
    z.intersection(connectSchema, networkSchema),
    z.intersection(
      z.intersection(accountsSchema, deploySchema),
      z.object({ providerId, password: secretText, applicationCredentialSecret: secretText }),
    ),
  ),
);

export const updateProvider = actionDefinition({
  name: "updateProvider",
  permission: "providers.manage",
  input: editSchema,
  async handler(v, ctx) {
    const result = await updateProviderSettings(ctx.db, v.providerId, {
      connect: {
        authUrl: v.authUrl,
        adminUrl: v.adminUrl,
        region: v.region,
        authMethod: v.authMethod,
        username: v.username,
        projectName: v.projectName,
        projectId: v.projectId,
        userDomainName: v.userDomainName,
        projectDomainName: v.projectDomainName,
        userDomainId: v.userDomainId,
        projectDomainId: v.projectDomainId,
        applicationCredentialId: v.applicationCredentialId,
        caBundle: v.caBundle,
      },
      network: {
        topology: v.topology,
        publicRouters: v.publicRouters,
        externalNetwork: v.externalNetwork,
        dnsNameservers: v.dnsNameservers,
        securityRules: v.securityRules,
      },
      accounts: {
        adminRoleName: v.adminRoleName,
        userRoleName: v.userRoleName,
        domain: v.domain,
        federationIdp: v.federationIdp,
        federationProtocol: v.federationProtocol,
      },
      deploy: {
        name: v.name,
        platform: v.platform,
        isPublic: v.isPublic,
        hostnameFormat: v.hostnameFormat,
        instanceDomain: v.instanceDomain,
      },
      credentialSecret: credentialSecretOf(v.authMethod, v),
      accountSecret: v.accountSecret,
    }, { audit: ctx.audit, ctx });
    if (result.changed.length) {
      // Field names only: audit rows never carry a secret's value.
      await ctx.audit({
        action: "provider.update",
        targetType: "provider",
        targetId: v.providerId,
        details: { changed: result.changed, verified: Boolean(result.preflight) },
      });
      refresh(v.providerId);
    }
    return {
      changed: result.changed,
      preflight: result.preflight ? { ok: result.preflight.ok, ...counts(result.preflight.checks) } : null,
    };
  },
});

// Issue 12 §6: the definitions live in lib/providers/credential-actions.ts; these refresh the pages.
export const switchToAppCredential = actionDefinition({
  ...switchCredentialDef,
  async handler(input, ctx) {
    const r = await switchCredentialDef.handler(input, ctx);
    refresh(input.providerId);
    return r;
  },
});

export const rotateAppCredential = actionDefinition({
  ...rotateCredentialDef,
  async handler(input, ctx) {
    const r = await rotateCredentialDef.handler(input, ctx);
    refresh(input.providerId);
    return r;
  },
});
