ALTER TABLE "enforcement_policies" ADD COLUMN "interval_seconds" integer DEFAULT 3600 NOT NULL;--> statement-breakpoint
ALTER TABLE "enforcement_policies" ADD COLUMN "next_run_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "enforcement_policies" ADD COLUMN "last_run_at" timestamp with time zone;--> statement-breakpoint
CREATE TABLE "enforcement_states" (
	"identity_id" integer PRIMARY KEY NOT NULL,
	"provider_id" integer NOT NULL,
	"over_since" timestamp with time zone,
	"period" text,
	"action" text,
	"enforced_at" timestamp with time zone,
	"cores_before" integer,
	"servers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "enforcement_states" ADD CONSTRAINT "enforcement_states_identity_id_identities_id_fk" FOREIGN KEY ("identity_id") REFERENCES "public"."identities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enforcement_states" ADD CONSTRAINT "enforcement_states_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "enforcement_states_provider_idx" ON "enforcement_states" USING btree ("provider_id");--> statement-breakpoint
CREATE INDEX "enforcement_events_provider_created_idx" ON "enforcement_events" USING btree ("provider_id","created_at");--> statement-breakpoint
CREATE INDEX "notifications_unread_idx" ON "notifications" USING btree ("created_at") WHERE "notifications"."read_at" is null;
