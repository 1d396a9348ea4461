import "server-only";
import { plural } from "@/lib/domain/format";
import { eq } from "drizzle-orm";
import { requireFreshAuth } from "@/lib/auth/fresh";
import { ActionError } from "@/lib/actions/errors";
import type { Db } from "@/lib/db/client";
import { countAllIdentities, countLiveIdentities, getProvider, getProviderByName } from "@/lib/db/queries/providers";
import { providers, providerSecrets, type Provider } from "@/lib/db/schema";
import { encryptSecret } from "@/lib/secrets";
import { loadProvider, providerColumns, settingsOf, storedClientOptions, clientOptions, connect, credentialSecrets } from "./connection";
import { checkFederationSetting, type FederationCheck } from "./federation";
import { buildCloudsYaml, exportFileName, providerJsonText, type ExportFormat } from "./export";
import { runPreflight, type PreflightInput } from "./preflight";
import type { AccountsData, ConnectData, DeployData, NetworkData, PreflightReport } from "./schemas";
import { changedSettings, CONNECT_FIELDS } from "./settings";

// Everything that changes a provider after the wizard created it. Functions take (db, …) and
// throw ActionError for what a person can fix, so actions stay thin and tests need no Next.

/** Runs the preflight; tests pass a fake so they need no cloud. */
export type Verify = (input: PreflightInput) => Promise<PreflightReport>;

function pgErrorCode(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 4; e = e.cause as typeof e, i++) {
    if (typeof e.code === "string" && /^\d{5}$/.test(e.code)) return e.code;
  }
  return undefined;
}

const nameTaken = (name: string) =>
  new ActionError("conflict", `A provider named "${name}" exists already: choose another name.`, {
    name: ["This name is taken: choose another."],
  });

/** Accounts on a provider: live ones, and all ever made (removed ones are kept as history). */
export async function accountCounts(db: Db, providerId: number): Promise<{ live: number; all: number }> {
  const [live, all] = await Promise.all([countLiveIdentities(db, providerId), countAllIdentities(db, providerId)]);
  return { live, all };
}

/** Why the account secret cannot change, or null when it still can. */
export function accountSecretLockReason(all: number): string | null {
  if (all === 0) return null;
  return `The account secret is locked: ${all} ${all === 1 ? "account was" : "accounts were"} made with it, and their OpenStack passwords are derived from it. Changing it would lock them out.`;
}

export type ProviderUpdate = {
  connect: ConnectData;
  network: NetworkData;
  accounts: AccountsData;
  deploy: DeployData;
  /** New admin password or application-credential secret; undefined keeps the stored one. */
  credentialSecret?: string;
  /** New account secret; undefined keeps the stored one. */
  accountSecret?: string;
};

export type ProviderUpdateResult = { provider: Provider; changed: string[]; preflight?: PreflightReport };

/** Writes one audit row (the action's ctx.audit); the connection-change path calls it before any network call. */
export type AuditFn = (entry: { action: string; targetType: string; targetId: number; details: Record<string, unknown> }) => Promise<void>;

/** Who is changing the connection, for the fresh-sign-in guard. */
export type FreshAuthContext = {
  user: { id: number; username: string; authTime?: number | null; hasPassword?: boolean; isSuperuser?: boolean };
};

/** The scheme, host and port of a URL, or the text itself when it does not parse. */
function originOf(url: string | null | undefined): string {
  try {
    return new URL(url ?? "").origin;
  } catch {
    return String(url ?? "");
  }
}

/**
 * Why this edit may not move the provider to another Keystone (and the field to show it at), or null. Once accounts exist,
 * whatever answers at the auth URL receives their derived OpenStack passwords and federated
 * application-credential secrets (provisioning, rebuilds, launch tests): a staff member who
 * typed a password for a Keystone they run would collect them. So only a superuser may point a
 * provider with live accounts at another host, or make it trust another CA.
 */
export function retargetRefusal(
  before: ConnectData,
  after: ConnectData,
  live: number,
  ctx: FreshAuthContext | undefined,
): { message: string; field: "authUrl" | "caBundle" } | null {
  const hostChanged = originOf(before.authUrl) !== originOf(after.authUrl);
  const caChanged = (before.caBundle ?? null) !== (after.caBundle ?? null);
  if (live === 0 || (!hostChanged && !caChanged) || ctx?.user.isSuperuser) return null;
  const what = hostChanged ? `move this provider to ${originOf(after.authUrl)}` : "change the CA bundle this provider trusts";
  return {
    field: hostChanged ? "authUrl" : "caBundle",
    message: `Only a superuser can ${what} while ${plural(live, "account")} ${live === 1 ? "lives" : "live"} on it: their OpenStack passwords and credentials would be sent to whichever server answers there.`,
  };
}

/**
 * Placeholder for teammate `auth`'s fresh-sign-in guard (a sign-in at most 10 minutes old is
 * needed to change a provider's connection). It does nothing yet: the lead replaces the body
 * with `await requireFreshAuth(ctx)` when that guard is merged.
 */
export async function requireFreshSignInForConnectionChange(ctx: FreshAuthContext | undefined): Promise<void> {
  // Without an action context (scripts, tests of the storage rules) there is no session to check.
  if (ctx) requireFreshAuth(ctx);
}

/** The connection fields an edit changes, with their old and new values (never a secret). */
export function connectionDiff(before: ConnectData, after: ConnectData): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const k of CONNECT_FIELDS) {
    const a = before[k] ?? null;
    const b = after[k] ?? null;
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    // A CA bundle is long and public; its presence is enough for the audit.
    out[k] = k === "caBundle" ? { from: a ? "(set)" : null, to: b ? "(changed)" : null } : { from: a, to: b };
  }
  return out;
}

/** Why a stored secret may not travel with this edit, or null: it is bound to the connection it was verified with. */
export function storedSecretRefusal(authMethod: ConnectData["authMethod"], connectionChanged: boolean, secretTyped: boolean): string | null {
  if (!connectionChanged || secretTyped) return null;
  return authMethod === "password"
    ? "Enter the password again to change the connection."
    : "Enter the application credential secret again to change the connection.";
}

/** The real federation check: opens a client with the (edited) connection and asks Keystone. */
const keystoneFederationCheck: FederationCheck = async (options, domain, setting) => {
  const client = await connect(options);
  try {
    await checkFederationSetting(client, domain, setting);
  } finally {
    await client.close();
  }
};

/**
 * Saves edited settings. A changed connection is verified first and nothing is saved when the
 * preflight fails; the account secret cannot change once any account exists. A federation
 * setting that is new or changed, or whose account domain changed, is checked against
 * Keystone like the wizard does (checkFederationSetting) before anything is saved.
 */
export async function updateProviderSettings(
  db: Db,
  id: number,
  update: ProviderUpdate,
  opts: { verify?: Verify; audit?: AuditFn; ctx?: FreshAuthContext; checkFederation?: FederationCheck } = {},
): Promise<ProviderUpdateResult> {
  const { provider, secrets } = await loadProvider(db, id);
  const connect: ConnectData = update.connect;
  if (connect.authMethod === "password" && !connect.projectName && !connect.projectId) {
    throw new ActionError("invalid_input", "Enter the admin project name or id.", { projectName: ["Enter the admin project name or id."] });
  }
  const before = settingsOf(provider);
  const after = { connect, network: update.network, accounts: update.accounts, deploy: update.deploy };
  const changed = changedSettings(before, after);

  if (changed.includes("name")) {
    const other = await getProviderByName(db, after.deploy.name);
    if (other && other.id !== id) throw nameTaken(after.deploy.name);
  }

  const secretField = connect.authMethod === "password" ? "password" : "applicationCredentialSecret";
  const methodChanged = connect.authMethod !== provider.authMethod;
  if (methodChanged && !update.credentialSecret) {
    const what = connect.authMethod === "password" ? "the admin password" : "the application credential secret";
    throw new ActionError("invalid_input", `Switching the sign-in method needs ${what}.`, { [secretField]: [`Enter ${what}.`] });
  }
  // A stored secret is bound to the connection it was verified with: sending it to a changed
  // auth URL (or CA, user, project, domain, region) would hand it to whoever runs that URL.
  const diff = connectionDiff(before.connect, connect);
  const connectionFieldsChanged = Object.keys(diff).length > 0;
  const secretTyped = Boolean(update.credentialSecret);
  // A new secret on the same connection is a connection change too: it is verified against the
  // cloud, so it gets the same attempt row and fresh-sign-in check before any network call.
  const secretChanged = secretTyped && update.credentialSecret !== secrets.credentialSecret;
  if (connectionFieldsChanged || methodChanged || secretChanged) {
    const refused = storedSecretRefusal(connect.authMethod, connectionFieldsChanged, secretTyped);
    const retarget = refused ? null : retargetRefusal(before.connect, connect, await countLiveIdentities(db, id), opts.ctx);
    // Every attempt is audited before any network call, whatever happens next.
    await opts.audit?.({
      action: "provider.connection_change_attempt",
      targetType: "provider",
      targetId: id,
      details: {
        changed: diff,
        retyped: secretTyped,
        outcome: refused
          ? "refused: stored credential not sent, it must be typed again"
          : retarget
            ? "refused: only a superuser may move a provider with accounts to another server"
            : "verifying",
      },
    });
    if (refused) throw new ActionError("invalid_input", refused, { [secretField]: [refused] });
    if (retarget) throw new ActionError("forbidden", retarget.message, { [retarget.field]: [retarget.message] });
    // Then a sign-in from the last 10 minutes (issue 12 §5), still before any network call.
    await requireFreshSignInForConnectionChange(opts.ctx);
  }
  const credentialSecret = update.credentialSecret ?? secrets.credentialSecret;
  if (credentialSecret !== secrets.credentialSecret) changed.push(secretField);

  const accountSecret = update.accountSecret ?? secrets.accountSecret;
  if (accountSecret !== secrets.accountSecret) {
    const { all } = await accountCounts(db, id);
    const locked = accountSecretLockReason(all);
    if (locked) throw new ActionError("conflict", locked, { accountSecret: [locked] });
    changed.push("accountSecret");
  }

  const fedBefore = `${before.accounts.federationIdp ?? ""}/${before.accounts.federationProtocol ?? ""}`;
  const fedAfter = `${after.accounts.federationIdp ?? ""}/${after.accounts.federationProtocol ?? ""}`;
  if (fedBefore !== fedAfter) {
    // Accounts made one way (local users with derived passwords, or federated users of one
    // identity provider) would be orphaned by the other: switch only while none are live.
    const { live } = await accountCounts(db, id);
    if (live > 0) {
      const message = `Keystone federation cannot change while ${live} ${live === 1 ? "account exists" : "accounts exist"} on this provider: remove them first.`;
      throw new ActionError("conflict", message, { federationIdp: [message] });
    }
  }

  if (changed.length === 0) return { provider, changed };

  let preflight: PreflightReport | undefined;
  const connectionChanged = changed.some((f) => (CONNECT_FIELDS as readonly string[]).includes(f) || f === secretField);
  if (connectionChanged) {
    const verify = opts.verify ?? runPreflight;
    preflight = await verify({
      options: clientOptions(connect, credentialSecrets(connect.authMethod, credentialSecret)),
      adminUrl: connect.adminUrl,
      adminRoleName: after.accounts.adminRoleName,
    });
    if (!preflight.ok) {
      const failures = preflight.checks.filter((c) => c.status === "fail").map((c) => `${c.label}: ${c.detail}`);
      await opts.audit?.({
        action: "provider.connection_change_failed",
        targetType: "provider",
        targetId: id,
        details: { changed: diff, failedChecks: preflight.checks.filter((c) => c.status === "fail").map((c) => c.id) },
      });
      throw new ActionError(
        "upstream",
        `Nothing was saved: the cloud failed verification with the new connection settings. ${failures.join(" · ")}`,
        { preflight: failures },
      );
    }
  }

  const federation = after.accounts.federationIdp && after.accounts.federationProtocol ? { idp: after.accounts.federationIdp, protocol: after.accounts.federationProtocol } : null;
  if (federation && (fedBefore !== fedAfter || before.accounts.domain !== after.accounts.domain || connectionChanged)) {
    const check = opts.checkFederation ?? keystoneFederationCheck;
    await check(clientOptions(connect, credentialSecrets(connect.authMethod, credentialSecret)), after.accounts.domain, federation);
  }

  // Keys this version does not edit (group_vars, from an import, or a later version) survive an edit.
  const columns = providerColumns(after, provider.cloudConfig);
  try {
    const saved = await db.transaction(async (tx) => {
      const [row] = await tx
        .update(providers)
        .set({
          ...columns,
          ...(preflight ? { lastPreflight: preflight, lastPreflightAt: new Date(preflight.at) } : {}),
        })
        .where(eq(providers.id, id))
        .returning();
      if (credentialSecret !== secrets.credentialSecret || accountSecret !== secrets.accountSecret) {
        await tx
          .update(providerSecrets)
          .set({ credentialSecret: encryptSecret(credentialSecret), accountSecret: encryptSecret(accountSecret) })
          .where(eq(providerSecrets.providerId, id));
      }
      return row;
    });
    return { provider: saved, changed, preflight };
  } catch (error) {
    if (pgErrorCode(error) === "23505") throw nameTaken(after.deploy.name);
    throw error;
  }
}

/** Activates or deactivates a provider; `changed` is false when it already was. */
export async function setProviderActive(db: Db, id: number, active: boolean): Promise<{ provider: Provider; changed: boolean }> {
  const provider = await getProvider(db, id);
  if (!provider) throw new ActionError("not_found", `There is no provider ${id}. It may have been deleted.`);
  if (provider.isActive === active) return { provider, changed: false };
  const [row] = await db.update(providers).set({ isActive: active }).where(eq(providers.id, id)).returning();
  return { provider: row, changed: true };
}

/** Why a provider cannot be deleted, or null. Identities keep it: they reference it for good. */
export function deleteBlockReason(id: number, counts: { live: number; all: number }): string | null {
  if (counts.all === 0) return null;
  const n = (k: number) => plural(k, "account");
  if (counts.live > 0) {
    const removed = counts.all - counts.live;
    return `Provider ${id} has ${n(counts.live)}${removed ? ` (and ${removed} removed, kept as history)` : ""}. Remove ${counts.live === 1 ? "it" : "them"} first, or deactivate the provider instead.`;
  }
  return `Provider ${id} had ${n(counts.all)}, removed but kept as history; their records keep the provider from being deleted. Deactivate it instead.`;
}

/** Deletes a provider with no accounts, with everything imported for it; `confirmName` must be its name. */
export async function deleteProviderChecked(db: Db, id: number, confirmName: string): Promise<Provider> {
  const provider = await getProvider(db, id);
  if (!provider) throw new ActionError("not_found", `There is no provider ${id}. It may have been deleted already.`);
  if (confirmName.trim() !== provider.name) {
    const message = `Type the provider's name, ${provider.name}, to confirm.`;
    throw new ActionError("invalid_input", message, { confirmName: [message] });
  }
  const blocked = deleteBlockReason(id, await accountCounts(db, id));
  if (blocked) throw new ActionError("conflict", blocked);
  try {
    await db.delete(providers).where(eq(providers.id, id));
  } catch (error) {
    // An account made while we were checking.
    if (pgErrorCode(error) === "23503") throw new ActionError("conflict", deleteBlockReason(id, await accountCounts(db, id)) ?? "The provider is in use.");
    throw error;
  }
  return provider;
}

/** Runs the preflight against a stored provider and keeps the report on it. */
export async function rerunProviderPreflight(db: Db, id: number, opts: { verify?: Verify } = {}): Promise<PreflightReport> {
  const { provider, secrets } = await loadProvider(db, id);
  const settings = settingsOf(provider);
  const verify = opts.verify ?? runPreflight;
  const report = await verify({
    options: storedClientOptions(provider, secrets.credentialSecret),
    adminUrl: settings.connect.adminUrl,
    adminRoleName: settings.accounts.adminRoleName,
  });
  await db.update(providers).set({ lastPreflight: report, lastPreflightAt: new Date(report.at) }).where(eq(providers.id, id));
  return report;
}

export type ExportFile = { provider: Provider; fileName: string; contentType: string; body: string };

/** The export file of a provider; secrets are decrypted only when `withSecrets` is set. */
export async function exportProvider(db: Db, id: number, format: ExportFormat, withSecrets: boolean): Promise<ExportFile> {
  const { provider, secrets } = withSecrets
    ? await loadProvider(db, id)
    : { provider: await getProvider(db, id), secrets: null };
  if (!provider) throw new ActionError("not_found", `There is no provider ${id}.`);
  if (format === "ca.pem") {
    if (!provider.caBundle) throw new ActionError("not_found", `Provider ${id} has no CA bundle.`);
    return { provider, fileName: exportFileName(provider.name, format), contentType: "application/x-pem-file", body: `${provider.caBundle.trim()}\n` };
  }
  if (format === "json") {
    return {
      provider,
      fileName: exportFileName(provider.name, format, withSecrets),
      contentType: "application/json; charset=utf-8",
      body: providerJsonText(provider, secrets),
    };
  }
  return {
    provider,
    fileName: exportFileName(provider.name, format, withSecrets),
    contentType: "application/yaml; charset=utf-8",
    body: buildCloudsYaml(provider, secrets),
  };
}
