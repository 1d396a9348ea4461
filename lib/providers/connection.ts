import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { ActionError } from "@/lib/actions/errors";
import type { Db } from "@/lib/db/client";
import { accountAppCredentials, identities, providers, providerSecrets, users, type Provider } from "@/lib/db/schema";
import { deriveAccountPassword } from "@/lib/domain/account-password";
import { readFederation, type FederationSetting } from "@/lib/domain/federation";
import { DEFAULT_HOSTNAME_FORMAT } from "@/lib/domain/hostname-format";
import { DEFAULT_SECURITY_RULES, normalizeRule, type SecurityRule } from "@/lib/domain/security-rules";
import { securityRuleSchema } from "@/lib/domain/security-rules-schema";
import { createClient, type ClientOptions, type OpenStackClient } from "@/lib/openstack/client";
import { isStatus, OpenStackError } from "@/lib/openstack/core/errors";
import { decryptSecret } from "@/lib/secrets";
import {
  rulesToTuples,
  TOPOLOGIES,
  type CloudConfig,
  type ConnectData,
  type DraftData,
  type DraftSecrets,
  type ImportedSettings,
  type Topology,
} from "./schemas";
import type { ProviderSettings } from "./settings";

// The one place that knows how a provider row becomes an OpenStack client: the columns ↔ the
// wizard's settings, the cloud_config reader (with the only set of defaults), loading the
// sealed secrets, and the admin and account clients. Every feature (accounts, imports, launch,
// allocation, inventory, providers, benches) goes through here. Importable from tsx scripts:
// they run with `--conditions=react-server`, under which `server-only` is an empty module.

// ---------------------------------------------------------------------------
// cloud_config
// ---------------------------------------------------------------------------

const obj = (v: unknown): Record<string, unknown> => {
  // Some raw-SQL imports store cloud_config as a JSON string.
  if (typeof v === "string" && v.trim().startsWith("{")) {
    try {
      return obj(JSON.parse(v));
    } catch {
      return {};
    }
  }
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
};
const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v.trim() : undefined);

/** The defaults of a cloud_config that leaves keys out: the only ones in Cloudport. */
export const CLOUD_CONFIG_DEFAULTS = {
  topology: TOPOLOGIES[0] as Topology,
  dnsNameservers: [] as string[],
  /** Atmosphere's DEFAULT_RULES, as add_new_provider did; an explicit empty list means no rules. */
  securityRules: DEFAULT_SECURITY_RULES,
  adminRoleName: "admin",
  userRoleName: "_member_",
  domain: "default",
  hostnameFormat: DEFAULT_HOSTNAME_FORMAT,
} as const;

/** Rules as stored (tuples or objects); ones that no longer validate are dropped, not guessed at. */
function readSecurityRules(raw: unknown): SecurityRule[] {
  if (!Array.isArray(raw)) return [...CLOUD_CONFIG_DEFAULTS.securityRules];
  const out: SecurityRule[] = [];
  for (const r of raw) {
    const parsed = securityRuleSchema.safeParse(normalizeRule(r));
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

/** Reads a stored cloud_config into its typed shape, with CLOUD_CONFIG_DEFAULTS for what it leaves out. */
export function readCloudConfig(raw: unknown): CloudConfig {
  const root = obj(raw);
  const network = obj(root.network);
  const user = obj(root.user);
  const deploy = obj(root.deploy);
  const topology = TOPOLOGIES.includes(network.topology as Topology) ? (network.topology as Topology) : CLOUD_CONFIG_DEFAULTS.topology;
  const domain = str(deploy.domain);
  const federation = readFederation(user.federation);
  return {
    network: {
      topology,
      dns_nameservers: Array.isArray(network.dns_nameservers)
        ? network.dns_nameservers.map((s) => String(s).trim()).filter(Boolean)
        : [...CLOUD_CONFIG_DEFAULTS.dnsNameservers],
      default_security_rules: rulesToTuples(readSecurityRules(network.default_security_rules)),
    },
    user: {
      admin_role_name: str(user.admin_role_name) ?? CLOUD_CONFIG_DEFAULTS.adminRoleName,
      user_role_name: str(user.user_role_name) ?? CLOUD_CONFIG_DEFAULTS.userRoleName,
      domain: str(user.domain) ?? CLOUD_CONFIG_DEFAULTS.domain,
      ...(federation ? { federation } : {}),
    },
    deploy: { hostname_format: str(deploy.hostname_format) ?? CLOUD_CONFIG_DEFAULTS.hostnameFormat, ...(domain ? { domain } : {}) },
  };
}

/** The cloud_config of the wizard's network, accounts and deploy steps. */
export function cloudConfigOf(data: Required<Pick<DraftData, "network" | "accounts" | "deploy">>): CloudConfig {
  return {
    network: {
      topology: data.network.topology,
      dns_nameservers: data.network.dnsNameservers,
      default_security_rules: rulesToTuples(data.network.securityRules),
    },
    user: {
      admin_role_name: data.accounts.adminRoleName,
      user_role_name: data.accounts.userRoleName,
      domain: data.accounts.domain,
      ...(data.accounts.federationIdp && data.accounts.federationProtocol
        ? { federation: { idp: data.accounts.federationIdp, protocol: data.accounts.federationProtocol } }
        : {}),
    },
    deploy: {
      hostname_format: data.deploy.hostnameFormat,
      ...(data.deploy.instanceDomain ? { domain: data.deploy.instanceDomain } : {}),
    },
  };
}

/** The network and accounts settings of a cloud_config (read by readCloudConfig) and its router and network columns. */
function networkAndAccounts(
  cc: ReturnType<typeof readCloudConfig>,
  publicRouters: readonly string[],
  externalNetwork: string | undefined,
): Pick<ProviderSettings, "network" | "accounts"> {
  return {
    network: {
      topology: cc.network.topology,
      publicRouters: [...publicRouters],
      externalNetwork,
      dnsNameservers: cc.network.dns_nameservers,
      securityRules: readSecurityRules(cc.network.default_security_rules),
    },
    accounts: {
      adminRoleName: cc.user.admin_role_name,
      userRoleName: cc.user.user_role_name,
      domain: cc.user.domain,
      ...(cc.user.federation ? { federationIdp: cc.user.federation.idp, federationProtocol: cc.user.federation.protocol } : {}),
    },
  };
}

/**
 * What an imported add_new_provider file (or none) pre-fills on the wizard's network, accounts
 * and deploy steps: read through readCloudConfig, so a key the file leaves out gets
 * CLOUD_CONFIG_DEFAULTS (the 14 rules, no DNS servers) and an explicit empty rule list stays
 * empty, exactly as a stored provider would read.
 */
export function importedStepValues(imported: ImportedSettings | undefined): Omit<ProviderSettings, "connect"> {
  const cc = readCloudConfig(imported?.cloudConfig);
  return {
    ...networkAndAccounts(cc, imported?.publicRouters ?? [], imported?.networkName),
    deploy: {
      name: imported?.name ?? "",
      platform: imported?.platform ?? "KVM",
      isPublic: imported?.isPublic ?? true,
      hostnameFormat: cc.deploy.hostname_format,
      instanceDomain: cc.deploy.domain,
    },
  };
}

// ---------------------------------------------------------------------------
// columns ↔ settings
// ---------------------------------------------------------------------------

/** The provider columns that hold settings (everything but ids, timestamps and state). */
export type ProviderSettingsRow = Pick<
  Provider,
  | "name"
  | "platform"
  | "isPublic"
  | "authUrl"
  | "adminUrl"
  | "region"
  | "authMethod"
  | "adminUsername"
  | "adminProjectName"
  | "adminProjectId"
  | "userDomainName"
  | "projectDomainName"
  | "userDomainId"
  | "projectDomainId"
  | "applicationCredentialId"
  | "networkName"
  | "publicRouters"
  | "cloudConfig"
  | "caBundle"
>;

/** A stored provider's settings in the wizard's step shapes (secrets are not part of them). */
export function settingsOf(p: ProviderSettingsRow): ProviderSettings {
  const cc = readCloudConfig(p.cloudConfig);
  return {
    connect: {
      authUrl: p.authUrl,
      adminUrl: p.adminUrl ?? undefined,
      region: p.region,
      authMethod: p.authMethod,
      username: p.adminUsername ?? undefined,
      projectName: p.adminProjectName ?? undefined,
      projectId: p.adminProjectId ?? undefined,
      userDomainName: p.userDomainName,
      projectDomainName: p.projectDomainName,
      userDomainId: p.userDomainId ?? undefined,
      projectDomainId: p.projectDomainId ?? undefined,
      applicationCredentialId: p.applicationCredentialId ?? undefined,
      // Trimmed as the form's schema trims it, so an untouched bundle never reads as a change.
      caBundle: p.caBundle?.trim() || undefined,
    },
    ...networkAndAccounts(cc, p.publicRouters, p.networkName ?? undefined),
    deploy: {
      name: p.name,
      platform: p.platform,
      isPublic: p.isPublic,
      hostnameFormat: cc.deploy.hostname_format,
      instanceDomain: cc.deploy.domain,
    },
  };
}

/**
 * The provider columns of a set of settings (the inverse of settingsOf). `storedCloudConfig`
 * is the row's current cloud_config: keys this version does not edit (group_vars, keys from an
 * import or a later version) survive.
 */
export function providerColumns(s: ProviderSettings, storedCloudConfig?: unknown) {
  const { connect, network, deploy } = s;
  const password = connect.authMethod === "password";
  return {
    name: deploy.name,
    platform: deploy.platform,
    isPublic: deploy.isPublic,
    authUrl: connect.authUrl,
    adminUrl: connect.adminUrl ?? null,
    region: connect.region,
    authMethod: connect.authMethod,
    adminUsername: connect.username ?? null,
    adminProjectName: (password ? connect.projectName : undefined) ?? null,
    adminProjectId: (password ? connect.projectId : undefined) ?? null,
    userDomainName: connect.userDomainName,
    projectDomainName: connect.projectDomainName,
    userDomainId: connect.userDomainId ?? null,
    projectDomainId: (password ? connect.projectDomainId : undefined) ?? null,
    applicationCredentialId: (password ? undefined : connect.applicationCredentialId) ?? null,
    networkName: network.externalNetwork ?? null,
    publicRouters: network.topology === "External Router Topology" ? network.publicRouters : [],
    cloudConfig: { ...(storedCloudConfig === undefined ? {} : obj(storedCloudConfig)), ...cloudConfigOf(s) },
    caBundle: connect.caBundle ?? null,
  };
}

/** What account provisioning and removal need from a provider's settings. */
export type AccountSettings = {
  topology: Topology;
  dnsNameservers: string[];
  securityRules: SecurityRule[];
  adminRoleName: string;
  userRoleName: string;
  /** Keystone domain of user projects and users, as configured: an id ("default") or a name. */
  domain: string;
  publicRouters: string[];
  externalNetwork: string | null;
  /** Set when users sign in through Keystone federation: accounts get federated users, no password. */
  federation: FederationSetting | null;
};

/** The account settings of a provider row, read through the one cloud_config reader. */
export function accountSettings(p: Pick<Provider, "cloudConfig" | "publicRouters" | "networkName">): AccountSettings {
  const cc = readCloudConfig(p.cloudConfig);
  return {
    topology: cc.network.topology,
    dnsNameservers: cc.network.dns_nameservers,
    securityRules: readSecurityRules(cc.network.default_security_rules),
    adminRoleName: cc.user.admin_role_name,
    userRoleName: cc.user.user_role_name,
    domain: cc.user.domain,
    publicRouters: [...p.publicRouters],
    externalNetwork: p.networkName ?? null,
    federation: cc.user.federation ?? null,
  };
}

/**
 * Whether a configured domain names Keystone's domain by id: the Default domain's id is the
 * literal "default" (what add_new_provider's example uses), other ids are 32 hex digits.
 */
export function domainIsId(domain: string): boolean {
  return domain === "default" || /^[0-9a-f]{32}$/.test(domain);
}

// ---------------------------------------------------------------------------
// client options
// ---------------------------------------------------------------------------

type CredentialSecrets = Pick<DraftSecrets, "password" | "applicationCredentialSecret">;

/** The stored credential secret as the secret of the provider's sign-in method. */
export function credentialSecrets(authMethod: ConnectData["authMethod"], credentialSecret: string): CredentialSecrets {
  return authMethod === "password" ? { password: credentialSecret } : { applicationCredentialSecret: credentialSecret };
}

/** The wizard's secret that is stored as the provider's credential secret, if typed. */
export function credentialSecretOf(authMethod: ConnectData["authMethod"], secrets: CredentialSecrets): string | undefined {
  return authMethod === "password" ? secrets.password : secrets.applicationCredentialSecret;
}

/** Admin client options for a connection typed in the wizard or stored on a provider. */
export function clientOptions(conn: ConnectData, secrets: CredentialSecrets, timeoutMs = 10_000): ClientOptions {
  const base = { authUrl: conn.authUrl, region: conn.region, interface: "public" as const, caBundle: conn.caBundle, timeoutMs };
  const userDomain = conn.userDomainId ? { userDomainId: conn.userDomainId } : { userDomainName: conn.userDomainName };
  if (conn.authMethod === "application_credential") {
    if (!secrets.applicationCredentialSecret) throw new ActionError("invalid_input", "Enter the application credential secret.");
    return { ...base, auth: { type: "applicationCredential", id: conn.applicationCredentialId, secret: secrets.applicationCredentialSecret } };
  }
  if (!secrets.password) throw new ActionError("invalid_input", "Enter the admin password.");
  return {
    ...base,
    auth: {
      type: "password",
      username: conn.username,
      password: secrets.password,
      ...userDomain,
      // A project id wins over the name (and needs no domain).
      ...(conn.projectId
        ? { projectId: conn.projectId }
        : {
            projectName: conn.projectName,
            ...(conn.projectDomainId ? { projectDomainId: conn.projectDomainId } : { projectDomainName: conn.projectDomainName }),
          }),
    },
  };
}

export type AccountRef = { projectName: string; projectId?: string | null; username?: string };

/**
 * Client options that authenticate AS an account (not as the provider's admin): its username,
 * the password derived from the provider's account secret, scoped to its project in the
 * provider's domain. The password is derived here and kept only in the returned options.
 */
export function accountClientOptions(
  provider: Pick<Provider, "authUrl" | "region" | "caBundle" | "cloudConfig">,
  account: AccountRef,
  accountSecret: string,
  overrides: Partial<Omit<ClientOptions, "auth">> = {},
): ClientOptions {
  const username = account.username ?? account.projectName;
  const domain = readCloudConfig(provider.cloudConfig).user.domain;
  const byId = domainIsId(domain);
  return {
    authUrl: provider.authUrl,
    region: provider.region,
    interface: "public",
    caBundle: provider.caBundle ?? undefined,
    ...overrides,
    auth: {
      type: "password",
      username,
      password: deriveAccountPassword(username, accountSecret),
      ...(byId ? { userDomainId: domain } : { userDomainName: domain }),
      ...(account.projectId
        ? { projectId: account.projectId }
        : { projectName: account.projectName, ...(byId ? { projectDomainId: domain } : { projectDomainName: domain }) }),
    },
  };
}

// ---------------------------------------------------------------------------
// stored providers → clients
// ---------------------------------------------------------------------------

/** The decrypted secrets of a provider; never log or return them. */
export type ProviderSecrets = { credentialSecret: string; accountSecret: string };

/** A provider with its decrypted secrets: the only place they are loaded. */
export async function loadProvider(db: Db, providerId: number): Promise<{ provider: Provider; secrets: ProviderSecrets }> {
  const [row] = await db
    .select({ provider: providers, credential: providerSecrets.credentialSecret, account: providerSecrets.accountSecret })
    .from(providers)
    .leftJoin(providerSecrets, eq(providerSecrets.providerId, providers.id))
    .where(eq(providers.id, providerId))
    .limit(1);
  if (!row) throw new ActionError("not_found", `There is no provider ${providerId}. It may have been deleted.`);
  if (row.credential === null || row.account === null) throw new ActionError("internal", `Provider ${providerId} has no stored credentials.`);
  return { provider: row.provider, secrets: { credentialSecret: decryptSecret(row.credential), accountSecret: decryptSecret(row.account) } };
}

/**
 * Another provider's name and whether it derives account passwords from `accountSecret` (the
 * comparison is made here, so its secret never leaves this module); null when this database
 * has no such provider. A secret that no longer decrypts counts as different.
 */
export async function accountSecretShared(db: Db, providerId: number, accountSecret: string): Promise<{ name: string; sameSecret: boolean } | null> {
  const [row] = await db
    .select({ name: providers.name, account: providerSecrets.accountSecret })
    .from(providers)
    .leftJoin(providerSecrets, eq(providerSecrets.providerId, providers.id))
    .where(eq(providers.id, providerId))
    .limit(1);
  if (!row) return null;
  let theirs: string | null = null;
  try {
    theirs = row.account === null ? null : decryptSecret(row.account);
  } catch {
    theirs = null;
  }
  return { name: row.name, sameSecret: theirs !== null && theirs === accountSecret };
}

/** The admin client options of a stored provider and its decrypted credential. */
export function storedClientOptions(p: ProviderSettingsRow, credentialSecret: string, timeoutMs?: number): ClientOptions {
  const conn = settingsOf(p).connect;
  return clientOptions(conn, credentialSecrets(conn.authMethod, credentialSecret), timeoutMs);
}

export type OpenOptions = { timeoutMs?: number };

/**
 * An admin client for a stored provider, with the provider and its account secret (what
 * provisioning derives passwords from; never log it). Close the client when done.
 */
export async function openAdminClient(
  db: Db,
  providerId: number,
  opts: OpenOptions = {},
): Promise<{ provider: Provider; client: OpenStackClient; accountSecret: string }> {
  const { provider, secrets } = await loadProvider(db, providerId);
  const client = await connect(storedClientOptions(provider, secrets.credentialSecret, opts.timeoutMs ?? 30_000));
  return { provider, client, accountSecret: secrets.accountSecret };
}

export type AccountIdentity = {
  id: number;
  providerId: number;
  username: string;
  projectName: string;
  projectId: string | null;
  networkId: string | null;
  endDate: Date | null;
};

/**
 * How to sign in AS an identity, without signing in yet: `open()` authenticates (each call a new
 * client). A removed identity is not found unless `includeRemoved` (launch clean-up needs it).
 */
export async function accountConnection(
  db: Db,
  identityId: number,
  opts: OpenOptions & { includeRemoved?: boolean } = {},
): Promise<{ provider: Provider; identity: AccountIdentity; open: () => Promise<OpenStackClient> }> {
  const [identity] = await db
    .select({
      id: identities.id,
      providerId: identities.providerId,
      username: users.username,
      projectName: identities.projectName,
      projectId: identities.projectId,
      networkId: identities.networkId,
      endDate: identities.endDate,
    })
    .from(identities)
    .innerJoin(users, eq(users.id, identities.userId))
    .where(opts.includeRemoved ? eq(identities.id, identityId) : and(eq(identities.id, identityId), isNull(identities.endDate)))
    .limit(1);
  if (!identity) throw new ActionError("not_found", "That account does not exist or was removed.");
  const { provider, secrets } = await loadProvider(db, identity.providerId);
  if (readCloudConfig(provider.cloudConfig).user.federation) {
    // Federated users have no password Cloudport could derive: only a staff-supplied credential.
    const [cred] = await db.select().from(accountAppCredentials).where(eq(accountAppCredentials.identityId, identity.id)).limit(1);
    if (!cred) throw new ActionError("conflict", FEDERATED_NEEDS_CREDENTIAL);
    const options = appCredentialClientOptions(provider, cred.credentialId, decryptSecret(cred.secret), { timeoutMs: opts.timeoutMs ?? 30_000 });
    return { provider, identity, open: () => connect(options) };
  }
  const options = accountClientOptions(provider, identity, secrets.accountSecret, { timeoutMs: opts.timeoutMs ?? 30_000 });
  return { provider, identity, open: () => connect(options) };
}

export const FEDERATED_NEEDS_CREDENTIAL =
  "Accounts on this provider are federated Keystone users without a password: signing in as one (a launch test) needs an application credential of the account, supplied by staff on the provider's Launch test page. Cloudport does not derive a password for federated users.";

/** Client options signing in with an application credential (its own user and project). */
export function appCredentialClientOptions(
  provider: Pick<Provider, "authUrl" | "region" | "caBundle">,
  id: string,
  secret: string,
  overrides: Partial<Omit<ClientOptions, "auth">> = {},
): ClientOptions {
  return {
    authUrl: provider.authUrl,
    region: provider.region,
    interface: "public",
    caBundle: provider.caBundle ?? undefined,
    ...overrides,
    auth: { type: "applicationCredential", id, secret },
  };
}

/** A client signed in AS an identity (its own project and derived password). Close it when done. */
export async function openAccountClient(
  db: Db,
  identityId: number,
  opts: OpenOptions = {},
): Promise<{ provider: Provider; identity: AccountIdentity; client: OpenStackClient }> {
  const { provider, identity, open } = await accountConnection(db, identityId, opts);
  return { provider, identity, client: await open() };
}

/** Authenticates, turning OpenStack failures into messages an operator can act on. */
export async function connect(options: ClientOptions): Promise<OpenStackClient> {
  try {
    return await createClient(options);
  } catch (error) {
    throw asActionError(error);
  }
}

/** Maps an OpenStack failure to a returned action error; anything else stays a bug. */
export function asActionError(error: unknown): unknown {
  if (isStatus(error, 401)) {
    return new ActionError("upstream", `Keystone refused the credentials: ${error.serviceMessage ?? error.message}`);
  }
  if (error instanceof OpenStackError) return new ActionError("upstream", error.message);
  return error;
}
