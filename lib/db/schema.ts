import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  real,
  serial,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const createdAt = () => ts("created_at").notNull().defaultNow();
const updatedAt = () =>
  ts("updated_at")
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());

// ---------------------------------------------------------------------------
// Portal users and login
// ---------------------------------------------------------------------------

export const users = pgTable(
  "users",
  {
    id: serial("id").primaryKey(),
    username: text("username").notNull(),
    email: text("email"),
    displayName: text("display_name"),
    passwordHash: text("password_hash"),
    isStaff: boolean("is_staff").notNull().default(false),
    isSuperuser: boolean("is_superuser").notNull().default(false),
    isActive: boolean("is_active").notNull().default(true),
    joinedAt: ts("joined_at").notNull().defaultNow(),
    lastLogin: ts("last_login"),
    // Set for users who came in through SSO; the issuer's subject identifier.
    oidcSubject: text("oidc_subject"),
    // What the staff list searches (a substring of username, name or email, any case): one
    // lower-cased column scans ~7× faster than three ILIKEs (scripts/bench-users.ts). The unit
    // separator keeps a search from matching across two fields.
    searchText: text("search_text")
      .notNull()
      .generatedAlwaysAs(
        sql`lower("username" || chr(31) || coalesce("display_name", '') || chr(31) || coalesce("email", ''))`,
      ),
  },
  (t) => [
    uniqueIndex("users_username_key").on(t.username),
    uniqueIndex("users_email_key")
      .on(sql`lower(${t.email})`)
      .where(sql`${t.email} is not null`),
    // Usernames are unique however they are capitalised (as people type them at login), and the
    // staff list pages in this order; trigram-free search stays fast on 10k rows (scripts/bench-users.ts).
    uniqueIndex("users_username_lower_key").on(sql`lower(${t.username})`),
    index("users_joined_at_idx").on(t.joinedAt),
  ],
);

/** Failed login attempts, kept in the database so the limit holds across app instances. */
export const loginAttempts = pgTable(
  "login_attempts",
  {
    id: serial("id").primaryKey(),
    username: text("username").notNull(),
    ip: text("ip").notNull(),
    succeeded: boolean("succeeded").notNull().default(false),
    at: ts("at").notNull().defaultNow(),
  },
  (t) => [index("login_attempts_user_at_idx").on(t.username, t.at), index("login_attempts_ip_at_idx").on(t.ip, t.at)],
);

// ---------------------------------------------------------------------------
// Providers (clouds)
// ---------------------------------------------------------------------------

export const platformEnum = pgEnum("platform", ["KVM", "Xen"]);
export const authMethodEnum = pgEnum("auth_method", ["password", "application_credential"]);

export const providers = pgTable(
  "providers",
  {
    // Serial ids are shown to people ("provider 4"), as in the original portal.
    id: serial("id").primaryKey(),
    name: text("name").notNull(),
    type: text("type").notNull().default("openstack"),
    platform: platformEnum("platform").notNull().default("KVM"),
    isPublic: boolean("is_public").notNull().default(true),
    isActive: boolean("is_active").notNull().default(true),
    authUrl: text("auth_url").notNull(),
    adminUrl: text("admin_url"),
    region: text("region").notNull().default("RegionOne"),
    authMethod: authMethodEnum("auth_method").notNull().default("password"),
    // Non-secret half of the credentials: admin username/project/domains or app-credential id.
    adminUsername: text("admin_username"),
    adminProjectName: text("admin_project_name"),
    userDomainName: text("user_domain_name").notNull().default("Default"),
    projectDomainName: text("project_domain_name").notNull().default("Default"),
    applicationCredentialId: text("application_credential_id"),
    networkName: text("network_name"),
    publicRouters: text("public_routers").array().notNull().default(sql`'{}'::text[]`),
    cloudConfig: jsonb("cloud_config").notNull().default({}),
    caBundle: text("ca_bundle"),
    lastPreflight: jsonb("last_preflight"),
    lastPreflightAt: ts("last_preflight_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("providers_name_key").on(sql`lower(${t.name})`)],
);

/**
 * A provider wizard in progress: what was typed so far, kept server-side so a reload or Back
 * loses nothing. Secrets typed into the wizard are sealed like provider secrets.
 */
export const providerDrafts = pgTable(
  "provider_drafts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    createdBy: integer("created_by")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    step: text("step").notNull().default("connect"),
    data: jsonb("data").notNull().default({}),
    sealedSecrets: text("sealed_secrets"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("provider_drafts_created_by_idx").on(t.createdBy, t.updatedAt)],
);

/**
 * Secrets live apart from providers so that a careless `select *` on providers can never
 * carry them, and every value here is AES-256-GCM ciphertext (see lib/secrets.ts).
 */
export const providerSecrets = pgTable("provider_secrets", {
  providerId: integer("provider_id")
    .primaryKey()
    .references(() => providers.id, { onDelete: "cascade" }),
  // Admin password or application-credential secret, depending on providers.auth_method.
  credentialSecret: text("credential_secret").notNull(),
  // Salt of every derived account password; must not change once identities exist.
  accountSecret: text("account_secret").notNull(),
  updatedAt: updatedAt(),
});

// ---------------------------------------------------------------------------
// Quota tiers (per provider) and drift between the cloud and what Cloudport set up
// ---------------------------------------------------------------------------

/** A named set of Nova/Cinder/Neutron quota values (lib/domain/quotas.ts QuotaValues; -1 unlimited). */
export const quotaTiers = pgTable(
  "quota_tiers",
  {
    id: serial("id").primaryKey(),
    providerId: integer("provider_id")
      .notNull()
      .references(() => providers.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    values: jsonb("values").notNull(),
    // The tier an account gets when it has none of its own; at most one per provider.
    isDefault: boolean("is_default").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("quota_tiers_provider_name_key").on(t.providerId, t.name),
    uniqueIndex("quota_tiers_provider_default_key")
      .on(t.providerId)
      .where(sql`${t.isDefault}`),
  ],
);

export const identityStateEnum = pgEnum("identity_state", [
  "pending",
  "provisioning",
  "active",
  "failed",
  "removing",
  "removed",
]);

/** A user's account on a provider (Atmosphere's "identity"). */
export const identities = pgTable(
  "identities",
  {
    id: serial("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    providerId: integer("provider_id")
      .notNull()
      .references(() => providers.id),
    projectName: text("project_name").notNull(),
    projectId: text("project_id"),
    openstackUserId: text("openstack_user_id"),
    networkId: text("network_id"),
    subnetId: text("subnet_id"),
    subnetCidr: text("subnet_cidr"),
    routerId: text("router_id"),
    // True when the router was created for this identity (External Network Topology).
    routerOwned: boolean("router_owned").notNull().default(false),
    state: identityStateEnum("state").notNull().default("pending"),
    lastStep: text("last_step"),
    lastError: text("last_error"),
    // The accounts job working on this identity right now, so two jobs never provision it at once.
    jobId: uuid("job_id"),
    allocationOverride: real("allocation_override"),
    // The account's quota tier (null: the provider's default tier) and values set for it alone.
    quotaTierId: integer("quota_tier_id").references(() => quotaTiers.id, { onDelete: "set null" }),
    quotaCustom: jsonb("quota_custom"),
    // The values last applied to (and read back from) the cloud.
    quotaApplied: jsonb("quota_applied"),
    quotaAppliedAt: ts("quota_applied_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    endDate: ts("end_date"),
  },
  (t) => [
    // One live identity per user and provider; removed ones stay as history.
    uniqueIndex("identities_user_provider_live_key")
      .on(t.userId, t.providerId)
      .where(sql`${t.endDate} is null`),
    index("identities_provider_project_idx").on(t.providerId, t.projectId),
  ],
);

// ---------------------------------------------------------------------------
// Allocation
// ---------------------------------------------------------------------------

export const allocationStrategies = pgTable("allocation_strategies", {
  id: serial("id").primaryKey(),
  providerId: integer("provider_id")
    .notNull()
    .unique()
    .references(() => providers.id, { onDelete: "cascade" }),
  countingBehavior: text("counting_behavior").notNull().default("1 Month - Calendar Window"),
  refreshBehaviors: text("refresh_behaviors").array().notNull().default(sql`'{}'::text[]`),
  rulesBehaviors: text("rules_behaviors").array().notNull().default(sql`'{}'::text[]`),
  // CPU-hours granted per refresh.
  threshold: real("threshold").notNull().default(168),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

// ---------------------------------------------------------------------------
// Imported cloud resources (end-dated, never deleted)
// ---------------------------------------------------------------------------

export const sizes = pgTable(
  "sizes",
  {
    id: serial("id").primaryKey(),
    providerId: integer("provider_id")
      .notNull()
      .references(() => providers.id, { onDelete: "cascade" }),
    flavorId: text("flavor_id").notNull(),
    name: text("name").notNull(),
    vcpus: integer("vcpus").notNull(),
    ramMb: integer("ram_mb").notNull(),
    diskGb: integer("disk_gb").notNull(),
    ephemeralGb: integer("ephemeral_gb").notNull().default(0),
    swapMb: integer("swap_mb").notNull().default(0),
    isPublic: boolean("is_public").notNull().default(true),
    extraSpecs: jsonb("extra_specs").notNull().default({}),
    startDate: ts("start_date").notNull().defaultNow(),
    endDate: ts("end_date"),
    updatedAt: updatedAt(),
    // The import run that last listed this row; rows a completed run did not see are end-dated.
    lastSeenRun: uuid("last_seen_run"),
    lastSeenAt: ts("last_seen_at"),
  },
  (t) => [uniqueIndex("sizes_provider_flavor_key").on(t.providerId, t.flavorId)],
);

export const machines = pgTable(
  "machines",
  {
    id: serial("id").primaryKey(),
    providerId: integer("provider_id")
      .notNull()
      .references(() => providers.id, { onDelete: "cascade" }),
    imageId: text("image_id").notNull(),
    name: text("name").notNull(),
    visibility: text("visibility"),
    ownerProjectId: text("owner_project_id"),
    sizeBytes: bigint("size_bytes", { mode: "number" }),
    diskFormat: text("disk_format"),
    containerFormat: text("container_format"),
    minDiskGb: integer("min_disk_gb").notNull().default(0),
    minRamMb: integer("min_ram_mb").notNull().default(0),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    members: text("members").array().notNull().default(sql`'{}'::text[]`),
    imageCreatedAt: ts("image_created_at"),
    imageUpdatedAt: ts("image_updated_at"),
    startDate: ts("start_date").notNull().defaultNow(),
    endDate: ts("end_date"),
    updatedAt: updatedAt(),
    // The import run that last listed this row; rows a completed run did not see are end-dated.
    lastSeenRun: uuid("last_seen_run"),
    lastSeenAt: ts("last_seen_at"),
  },
  (t) => [
    uniqueIndex("machines_provider_image_key").on(t.providerId, t.imageId),
    index("machines_provider_name_idx").on(t.providerId, t.name),
  ],
);

export const instances = pgTable(
  "instances",
  {
    id: serial("id").primaryKey(),
    providerId: integer("provider_id")
      .notNull()
      .references(() => providers.id, { onDelete: "cascade" }),
    identityId: integer("identity_id").references(() => identities.id),
    serverId: text("server_id").notNull(),
    name: text("name").notNull(),
    projectId: text("project_id"),
    status: text("status").notNull(),
    taskState: text("task_state"),
    flavorId: text("flavor_id"),
    imageId: text("image_id"),
    addresses: jsonb("addresses").notNull().default({}),
    host: text("host"),
    serverCreatedAt: ts("server_created_at"),
    launchedAt: ts("launched_at"),
    startDate: ts("start_date").notNull().defaultNow(),
    endDate: ts("end_date"),
    updatedAt: updatedAt(),
    // Nova from microversion 2.47 names the flavor instead of giving its id.
    flavorName: text("flavor_name"),
    // The import run that last listed this row; rows a completed run did not see are end-dated.
    lastSeenRun: uuid("last_seen_run"),
    lastSeenAt: ts("last_seen_at"),
  },
  (t) => [
    uniqueIndex("instances_provider_server_key").on(t.providerId, t.serverId),
    index("instances_identity_idx").on(t.identityId),
  ],
);

/** Status/size segments of an instance: the allocation engine's input. */
export const instanceStatusHistory = pgTable(
  "instance_status_history",
  {
    id: serial("id").primaryKey(),
    instanceId: integer("instance_id")
      .notNull()
      .references(() => instances.id, { onDelete: "cascade" }),
    status: text("status").notNull(),
    vcpus: integer("vcpus").notNull().default(0),
    ramMb: integer("ram_mb").notNull().default(0),
    diskGb: integer("disk_gb").notNull().default(0),
    flavorId: text("flavor_id"),
    flavorName: text("flavor_name"),
    startDate: ts("start_date").notNull(),
    endDate: ts("end_date"),
  },
  (t) => [
    index("instance_status_history_instance_idx").on(t.instanceId, t.startDate),
    // At most one open segment per instance.
    uniqueIndex("instance_status_history_open_key")
      .on(t.instanceId)
      .where(sql`${t.endDate} is null`),
  ],
);

// ---------------------------------------------------------------------------
// Jobs, launch tests, audit
// ---------------------------------------------------------------------------

export const jobStateEnum = pgEnum("job_state", ["queued", "running", "succeeded", "failed", "cancelled"]);

export const jobs = pgTable(
  "jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind").notNull(),
    providerId: integer("provider_id").references(() => providers.id, { onDelete: "cascade" }),
    state: jobStateEnum("state").notNull().default("queued"),
    params: jsonb("params").notNull().default({}),
    // 0..1, stored as the job goes so a reload shows the same bar.
    progress: real("progress").notNull().default(0),
    progressText: text("progress_text"),
    counts: jsonb("counts").notNull().default({}),
    result: jsonb("result"),
    error: text("error"),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(3),
    // Jobs with the same key never queue or run twice at once (e.g. "import:sizes:4").
    dedupeKey: text("dedupe_key"),
    createdBy: integer("created_by").references(() => users.id),
    runAfter: ts("run_after").notNull().defaultNow(),
    // Heartbeat of the worker holding the job; a stale one means the worker died.
    lockedBy: text("locked_by"),
    lockedAt: ts("locked_at"),
    createdAt: createdAt(),
    startedAt: ts("started_at"),
    finishedAt: ts("finished_at"),
  },
  (t) => [
    index("jobs_claim_idx").on(t.state, t.runAfter),
    index("jobs_provider_kind_idx").on(t.providerId, t.kind, t.createdAt),
    uniqueIndex("jobs_dedupe_live_key")
      .on(t.dedupeKey)
      .where(sql`${t.state} in ('queued', 'running')`),
  ],
);

/** Per provider and resource, how often the scheduler imports it. */
export const importSchedules = pgTable(
  "import_schedules",
  {
    id: serial("id").primaryKey(),
    providerId: integer("provider_id")
      .notNull()
      .references(() => providers.id, { onDelete: "cascade" }),
    resource: text("resource").notNull(),
    intervalSeconds: integer("interval_seconds").notNull(),
    enabled: boolean("enabled").notNull().default(true),
    nextRunAt: ts("next_run_at").notNull().defaultNow(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("import_schedules_provider_resource_key").on(t.providerId, t.resource)],
);

export const launchTests = pgTable(
  "launch_tests",
  {
    id: serial("id").primaryKey(),
    kind: text("kind").notNull().default("launch"),
    providerId: integer("provider_id")
      .notNull()
      .references(() => providers.id, { onDelete: "cascade" }),
    identityId: integer("identity_id").references(() => identities.id),
    createdBy: integer("created_by").references(() => users.id),
    choices: jsonb("choices").notNull().default({}),
    timeline: jsonb("timeline").notNull().default([]),
    state: text("state").notNull().default("running"),
    result: text("result"),
    error: text("error"),
    serverId: text("server_id"),
    floatingIp: text("floating_ip"),
    startedAt: ts("started_at").notNull().defaultNow(),
    finishedAt: ts("finished_at"),
    durationMs: integer("duration_ms"),
    // The durable job running it, so the page can follow it after a reload.
    jobId: uuid("job_id").references(() => jobs.id, { onDelete: "set null" }),
    // Structured outcome: fault and its explanation, hostname, DNS/SSH checks, what was created
    // and the clean-up (see lib/launch/types.ts).
    report: jsonb("report").notNull().default({}),
  },
  (t) => [
    index("launch_tests_provider_started_idx").on(t.providerId, t.startedAt),
    index("launch_tests_started_idx").on(t.startedAt),
  ],
);

/** Per provider: when the drift check runs and ran. */
export const driftSettings = pgTable("drift_settings", {
  providerId: integer("provider_id")
    .primaryKey()
    .references(() => providers.id, { onDelete: "cascade" }),
  intervalSeconds: integer("interval_seconds").notNull().default(3600),
  enabled: boolean("enabled").notNull().default(true),
  nextRunAt: ts("next_run_at").notNull().defaultNow(),
  lastCheckedAt: ts("last_checked_at"),
  lastSummary: jsonb("last_summary"),
  updatedAt: updatedAt(),
});

/**
 * One difference between what Cloudport set up for an account and what the cloud has
 * ("quota.cores": desired 20, actual 99). Rows are replaced by each check; "ignored" holds
 * until the cloud's value changes again.
 */
export const driftFindings = pgTable(
  "drift_findings",
  {
    id: serial("id").primaryKey(),
    providerId: integer("provider_id")
      .notNull()
      .references(() => providers.id, { onDelete: "cascade" }),
    identityId: integer("identity_id")
      .notNull()
      .references(() => identities.id, { onDelete: "cascade" }),
    field: text("field").notNull(),
    desired: text("desired"),
    actual: text("actual"),
    // open | ignored
    status: text("status").notNull().default("open"),
    // Whether Apply can fix it (extra roles are listed, never removed).
    fixable: boolean("fixable").notNull().default(true),
    detectedAt: ts("detected_at").notNull().defaultNow(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("drift_findings_identity_field_key").on(t.identityId, t.field),
    index("drift_findings_provider_status_idx").on(t.providerId, t.status),
  ],
);

export const auditLog = pgTable(
  "audit_log",
  {
    id: serial("id").primaryKey(),
    // Null for the system itself (seeding, scheduled jobs).
    actorId: integer("actor_id").references(() => users.id),
    // Kept as text too so the row still reads right if the user is renamed.
    actorUsername: text("actor_username").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    details: jsonb("details").notNull().default({}),
    ip: text("ip"),
    at: ts("at").notNull().defaultNow(),
  },
  (t) => [
    index("audit_log_at_idx").on(t.at),
    index("audit_log_actor_at_idx").on(t.actorUsername, t.at),
    index("audit_log_action_at_idx").on(t.action, t.at),
  ],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type Provider = typeof providers.$inferSelect;
export type Identity = typeof identities.$inferSelect;
export type Job = typeof jobs.$inferSelect;
export type AuditEntry = typeof auditLog.$inferSelect;
export type LaunchTest = typeof launchTests.$inferSelect;
export type Size = typeof sizes.$inferSelect;
export type Machine = typeof machines.$inferSelect;
export type Instance = typeof instances.$inferSelect;
export type InstanceStatusSegment = typeof instanceStatusHistory.$inferSelect;
export type ImportSchedule = typeof importSchedules.$inferSelect;
export type QuotaTier = typeof quotaTiers.$inferSelect;
export type DriftFinding = typeof driftFindings.$inferSelect;
