CREATE TABLE "volumes" (
	"id" serial PRIMARY KEY NOT NULL,
	"provider_id" integer NOT NULL,
	"identity_id" integer,
	"volume_id" text NOT NULL,
	"name" text NOT NULL,
	"project_id" text,
	"size_gb" integer NOT NULL,
	"volume_type" text,
	"status" text NOT NULL,
	"bootable" boolean DEFAULT false NOT NULL,
	"availability_zone" text,
	"attached_to" text[] DEFAULT '{}'::text[] NOT NULL,
	"volume_created_at" timestamp with time zone,
	"start_date" timestamp with time zone DEFAULT now() NOT NULL,
	"end_date" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_run" uuid,
	"last_seen_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "machines" ADD COLUMN "members_refreshed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "volumes" ADD CONSTRAINT "volumes_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volumes" ADD CONSTRAINT "volumes_identity_id_identities_id_fk" FOREIGN KEY ("identity_id") REFERENCES "public"."identities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "volumes_provider_volume_key" ON "volumes" USING btree ("provider_id","volume_id");--> statement-breakpoint
CREATE INDEX "volumes_provider_name_idx" ON "volumes" USING btree ("provider_id","name");--> statement-breakpoint
CREATE INDEX "volumes_identity_idx" ON "volumes" USING btree ("identity_id");