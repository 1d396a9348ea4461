ALTER TABLE "providers" ADD COLUMN "admin_project_id" text;--> statement-breakpoint
ALTER TABLE "providers" ADD COLUMN "user_domain_id" text;--> statement-breakpoint
ALTER TABLE "providers" ADD COLUMN "project_domain_id" text;