CREATE TYPE "public"."auth_method" AS ENUM('password', 'application_credential');--> statement-breakpoint
CREATE TYPE "public"."identity_state" AS ENUM('pending', 'provisioning', 'active', 'failed', 'removing', 'removed');--> statement-breakpoint
CREATE TYPE "public"."job_state" AS ENUM('queued', 'running', 'succeeded', 'failed', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."platform" AS ENUM('KVM', 'Xen');--> statement-breakpoint
CREATE TABLE "allocation_strategies" (
	"id" serial PRIMARY KEY NOT NULL,
	"provider_id" integer NOT NULL,
	"counting_behavior" text DEFAULT '1 Month - Calendar Window' NOT NULL,
	"refresh_behaviors" text[] DEFAULT '{}'::text[] NOT NULL,
	"rules_behaviors" text[] DEFAULT '{}'::text[] NOT NULL,
	"threshold" real DEFAULT 168 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "allocation_strategies_provider_id_unique" UNIQUE("provider_id")
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" serial PRIMARY KEY NOT NULL,
	"actor_id" integer,
	"actor_username" text NOT NULL,
	"action" text NOT NULL,
	"target_type" text,
	"target_id" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"ip" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "identities" (
	"id" serial PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"provider_id" integer NOT NULL,
	"project_name" text NOT NULL,
	"project_id" text,
	"openstack_user_id" text,
	"network_id" text,
	"subnet_id" text,
	"subnet_cidr" text,
	"router_id" text,
	"router_owned" boolean DEFAULT false NOT NULL,
	"state" "identity_state" DEFAULT 'pending' NOT NULL,
	"last_step" text,
	"last_error" text,
	"job_id" uuid,
	"allocation_override" real,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"end_date" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "import_schedules" (
	"id" serial PRIMARY KEY NOT NULL,
	"provider_id" integer NOT NULL,
	"resource" text NOT NULL,
	"interval_seconds" integer NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"next_run_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "instance_status_history" (
	"id" serial PRIMARY KEY NOT NULL,
	"instance_id" integer NOT NULL,
	"status" text NOT NULL,
	"vcpus" integer DEFAULT 0 NOT NULL,
	"ram_mb" integer DEFAULT 0 NOT NULL,
	"disk_gb" integer DEFAULT 0 NOT NULL,
	"flavor_id" text,
	"flavor_name" text,
	"start_date" timestamp with time zone NOT NULL,
	"end_date" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "instances" (
	"id" serial PRIMARY KEY NOT NULL,
	"provider_id" integer NOT NULL,
	"identity_id" integer,
	"server_id" text NOT NULL,
	"name" text NOT NULL,
	"project_id" text,
	"status" text NOT NULL,
	"task_state" text,
	"flavor_id" text,
	"image_id" text,
	"addresses" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"host" text,
	"server_created_at" timestamp with time zone,
	"launched_at" timestamp with time zone,
	"start_date" timestamp with time zone DEFAULT now() NOT NULL,
	"end_date" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"flavor_name" text,
	"last_seen_run" uuid,
	"last_seen_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"provider_id" integer,
	"state" "job_state" DEFAULT 'queued' NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"progress" real DEFAULT 0 NOT NULL,
	"progress_text" text,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"result" jsonb,
	"error" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer DEFAULT 3 NOT NULL,
	"dedupe_key" text,
	"created_by" integer,
	"run_after" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_by" text,
	"locked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "launch_tests" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text DEFAULT 'launch' NOT NULL,
	"provider_id" integer NOT NULL,
	"identity_id" integer,
	"created_by" integer,
	"choices" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"timeline" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"state" text DEFAULT 'running' NOT NULL,
	"result" text,
	"error" text,
	"server_id" text,
	"floating_ip" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"duration_ms" integer,
	"job_id" uuid,
	"report" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "login_attempts" (
	"id" serial PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"ip" text NOT NULL,
	"succeeded" boolean DEFAULT false NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "machines" (
	"id" serial PRIMARY KEY NOT NULL,
	"provider_id" integer NOT NULL,
	"image_id" text NOT NULL,
	"name" text NOT NULL,
	"visibility" text,
	"owner_project_id" text,
	"size_bytes" bigint,
	"disk_format" text,
	"container_format" text,
	"min_disk_gb" integer DEFAULT 0 NOT NULL,
	"min_ram_mb" integer DEFAULT 0 NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"members" text[] DEFAULT '{}'::text[] NOT NULL,
	"image_created_at" timestamp with time zone,
	"image_updated_at" timestamp with time zone,
	"start_date" timestamp with time zone DEFAULT now() NOT NULL,
	"end_date" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_run" uuid,
	"last_seen_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "provider_drafts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_by" integer NOT NULL,
	"step" text DEFAULT 'connect' NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"sealed_secrets" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "provider_secrets" (
	"provider_id" integer PRIMARY KEY NOT NULL,
	"credential_secret" text NOT NULL,
	"account_secret" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "providers" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"type" text DEFAULT 'openstack' NOT NULL,
	"platform" "platform" DEFAULT 'KVM' NOT NULL,
	"is_public" boolean DEFAULT true NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"auth_url" text NOT NULL,
	"admin_url" text,
	"region" text DEFAULT 'RegionOne' NOT NULL,
	"auth_method" "auth_method" DEFAULT 'password' NOT NULL,
	"admin_username" text,
	"admin_project_name" text,
	"user_domain_name" text DEFAULT 'Default' NOT NULL,
	"project_domain_name" text DEFAULT 'Default' NOT NULL,
	"application_credential_id" text,
	"network_name" text,
	"public_routers" text[] DEFAULT '{}'::text[] NOT NULL,
	"cloud_config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"ca_bundle" text,
	"last_preflight" jsonb,
	"last_preflight_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sizes" (
	"id" serial PRIMARY KEY NOT NULL,
	"provider_id" integer NOT NULL,
	"flavor_id" text NOT NULL,
	"name" text NOT NULL,
	"vcpus" integer NOT NULL,
	"ram_mb" integer NOT NULL,
	"disk_gb" integer NOT NULL,
	"ephemeral_gb" integer DEFAULT 0 NOT NULL,
	"swap_mb" integer DEFAULT 0 NOT NULL,
	"is_public" boolean DEFAULT true NOT NULL,
	"extra_specs" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"start_date" timestamp with time zone DEFAULT now() NOT NULL,
	"end_date" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_run" uuid,
	"last_seen_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" serial PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"email" text,
	"display_name" text,
	"password_hash" text,
	"is_staff" boolean DEFAULT false NOT NULL,
	"is_superuser" boolean DEFAULT false NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"joined_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_login" timestamp with time zone,
	"oidc_subject" text,
	"search_text" text GENERATED ALWAYS AS (lower("username" || chr(31) || coalesce("display_name", '') || chr(31) || coalesce("email", ''))) STORED NOT NULL
);
--> statement-breakpoint
ALTER TABLE "allocation_strategies" ADD CONSTRAINT "allocation_strategies_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identities" ADD CONSTRAINT "identities_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identities" ADD CONSTRAINT "identities_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_schedules" ADD CONSTRAINT "import_schedules_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instance_status_history" ADD CONSTRAINT "instance_status_history_instance_id_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instances" ADD CONSTRAINT "instances_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instances" ADD CONSTRAINT "instances_identity_id_identities_id_fk" FOREIGN KEY ("identity_id") REFERENCES "public"."identities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "launch_tests" ADD CONSTRAINT "launch_tests_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "launch_tests" ADD CONSTRAINT "launch_tests_identity_id_identities_id_fk" FOREIGN KEY ("identity_id") REFERENCES "public"."identities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "launch_tests" ADD CONSTRAINT "launch_tests_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "launch_tests" ADD CONSTRAINT "launch_tests_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "machines" ADD CONSTRAINT "machines_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_drafts" ADD CONSTRAINT "provider_drafts_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_secrets" ADD CONSTRAINT "provider_secrets_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sizes" ADD CONSTRAINT "sizes_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_log_actor_at_idx" ON "audit_log" USING btree ("actor_username","at");--> statement-breakpoint
CREATE INDEX "audit_log_action_at_idx" ON "audit_log" USING btree ("action","at");--> statement-breakpoint
CREATE UNIQUE INDEX "identities_user_provider_live_key" ON "identities" USING btree ("user_id","provider_id") WHERE "identities"."end_date" is null;--> statement-breakpoint
CREATE INDEX "identities_provider_project_idx" ON "identities" USING btree ("provider_id","project_id");--> statement-breakpoint
CREATE UNIQUE INDEX "import_schedules_provider_resource_key" ON "import_schedules" USING btree ("provider_id","resource");--> statement-breakpoint
CREATE INDEX "instance_status_history_instance_idx" ON "instance_status_history" USING btree ("instance_id","start_date");--> statement-breakpoint
CREATE UNIQUE INDEX "instance_status_history_open_key" ON "instance_status_history" USING btree ("instance_id") WHERE "instance_status_history"."end_date" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "instances_provider_server_key" ON "instances" USING btree ("provider_id","server_id");--> statement-breakpoint
CREATE INDEX "instances_identity_idx" ON "instances" USING btree ("identity_id");--> statement-breakpoint
CREATE INDEX "jobs_claim_idx" ON "jobs" USING btree ("state","run_after");--> statement-breakpoint
CREATE INDEX "jobs_provider_kind_idx" ON "jobs" USING btree ("provider_id","kind","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_dedupe_live_key" ON "jobs" USING btree ("dedupe_key") WHERE "jobs"."state" in ('queued', 'running');--> statement-breakpoint
CREATE INDEX "launch_tests_provider_started_idx" ON "launch_tests" USING btree ("provider_id","started_at");--> statement-breakpoint
CREATE INDEX "launch_tests_started_idx" ON "launch_tests" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "login_attempts_user_at_idx" ON "login_attempts" USING btree ("username","at");--> statement-breakpoint
CREATE INDEX "login_attempts_ip_at_idx" ON "login_attempts" USING btree ("ip","at");--> statement-breakpoint
CREATE UNIQUE INDEX "machines_provider_image_key" ON "machines" USING btree ("provider_id","image_id");--> statement-breakpoint
CREATE INDEX "machines_provider_name_idx" ON "machines" USING btree ("provider_id","name");--> statement-breakpoint
CREATE INDEX "provider_drafts_created_by_idx" ON "provider_drafts" USING btree ("created_by","updated_at");--> statement-breakpoint
CREATE UNIQUE INDEX "providers_name_key" ON "providers" USING btree (lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "sizes_provider_flavor_key" ON "sizes" USING btree ("provider_id","flavor_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_username_key" ON "users" USING btree ("username");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users" USING btree (lower("email")) WHERE "users"."email" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "users_username_lower_key" ON "users" USING btree (lower("username"));--> statement-breakpoint
CREATE INDEX "users_joined_at_idx" ON "users" USING btree ("joined_at");