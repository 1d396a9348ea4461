CREATE TABLE "ldap_directories" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"url" text NOT NULL,
	"bind_dn" text NOT NULL,
	"bind_password_secret" text NOT NULL,
	"base_dn" text NOT NULL,
	"group_filter" text DEFAULT '(objectClass=groupOfNames)' NOT NULL,
	"username_attribute" text DEFAULT 'uid' NOT NULL,
	"ca_bundle" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "ldap_directories_name_key" ON "ldap_directories" USING btree (lower("name"));--> statement-breakpoint
CREATE TABLE "ldap_group_sources" (
	"id" serial PRIMARY KEY NOT NULL,
	"provider_id" integer NOT NULL,
	"directory_id" integer NOT NULL,
	"group_name" text NOT NULL,
	"sync_enabled" boolean DEFAULT false NOT NULL,
	"interval_seconds" integer DEFAULT 3600 NOT NULL,
	"next_run_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_run_at" timestamp with time zone,
	"last_result" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ldap_group_sources" ADD CONSTRAINT "ldap_group_sources_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ldap_group_sources" ADD CONSTRAINT "ldap_group_sources_directory_id_ldap_directories_id_fk" FOREIGN KEY ("directory_id") REFERENCES "public"."ldap_directories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ldap_group_sources_key" ON "ldap_group_sources" USING btree ("provider_id","directory_id","group_name");--> statement-breakpoint
CREATE INDEX "ldap_group_sources_due_idx" ON "ldap_group_sources" USING btree ("next_run_at") WHERE "ldap_group_sources"."sync_enabled";
