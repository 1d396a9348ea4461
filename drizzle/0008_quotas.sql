CREATE TABLE "drift_findings" (
	"id" serial PRIMARY KEY NOT NULL,
	"provider_id" integer NOT NULL,
	"identity_id" integer NOT NULL,
	"field" text NOT NULL,
	"desired" text,
	"actual" text,
	"status" text DEFAULT 'open' NOT NULL,
	"fixable" boolean DEFAULT true NOT NULL,
	"detected_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "drift_settings" (
	"provider_id" integer PRIMARY KEY NOT NULL,
	"interval_seconds" integer DEFAULT 3600 NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"next_run_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_checked_at" timestamp with time zone,
	"last_summary" jsonb,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "quota_tiers" (
	"id" serial PRIMARY KEY NOT NULL,
	"provider_id" integer NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"values" jsonb NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "identities" ADD COLUMN "quota_tier_id" integer;--> statement-breakpoint
ALTER TABLE "identities" ADD COLUMN "quota_custom" jsonb;--> statement-breakpoint
ALTER TABLE "identities" ADD COLUMN "quota_applied" jsonb;--> statement-breakpoint
ALTER TABLE "identities" ADD COLUMN "quota_applied_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "drift_findings" ADD CONSTRAINT "drift_findings_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drift_findings" ADD CONSTRAINT "drift_findings_identity_id_identities_id_fk" FOREIGN KEY ("identity_id") REFERENCES "public"."identities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drift_settings" ADD CONSTRAINT "drift_settings_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quota_tiers" ADD CONSTRAINT "quota_tiers_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "drift_findings_identity_field_key" ON "drift_findings" USING btree ("identity_id","field");--> statement-breakpoint
CREATE INDEX "drift_findings_provider_status_idx" ON "drift_findings" USING btree ("provider_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "quota_tiers_provider_name_key" ON "quota_tiers" USING btree ("provider_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "quota_tiers_provider_default_key" ON "quota_tiers" USING btree ("provider_id") WHERE "quota_tiers"."is_default";--> statement-breakpoint
ALTER TABLE "identities" ADD CONSTRAINT "identities_quota_tier_id_quota_tiers_id_fk" FOREIGN KEY ("quota_tier_id") REFERENCES "public"."quota_tiers"("id") ON DELETE set null ON UPDATE no action;