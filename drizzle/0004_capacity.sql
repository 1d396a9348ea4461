CREATE TABLE "capacity_snapshots" (
	"id" serial PRIMARY KEY NOT NULL,
	"provider_id" integer NOT NULL,
	"taken_at" timestamp with time zone DEFAULT now() NOT NULL,
	"hosts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"totals" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"quota" jsonb,
	"allocation" jsonb,
	"error" text,
	"job_id" uuid
);
--> statement-breakpoint
ALTER TABLE "capacity_snapshots" ADD CONSTRAINT "capacity_snapshots_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "capacity_snapshots" ADD CONSTRAINT "capacity_snapshots_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "capacity_snapshots_provider_taken_idx" ON "capacity_snapshots" USING btree ("provider_id","taken_at");--> statement-breakpoint
CREATE INDEX "identities_provider_state_live_idx" ON "identities" USING btree ("provider_id","state") WHERE "identities"."end_date" is null;--> statement-breakpoint
CREATE INDEX "jobs_state_finished_idx" ON "jobs" USING btree ("state","finished_at");