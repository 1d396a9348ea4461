ALTER TABLE "accounting_sites" ADD COLUMN "vo" text;--> statement-breakpoint
ALTER TABLE "accounting_sites" ADD COLUMN "project_vos" jsonb DEFAULT '{}'::jsonb NOT NULL;
